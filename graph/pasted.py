"""A pasted label made plain before it is read: what web pages, PDFs and other scripts
carry along with the words (invisible characters, full-width punctuation, HTML, line-end
hyphens, item numbers), and runs of one mark no name holds."""

from __future__ import annotations

import html
import re
import unicodedata

from graph.tokens import HYPHENATION


def plain_text(text: str) -> str:
    """The label's text with what is not its words made plain; its words as written."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).replace("\r", "\n")
    if "\\" in text:
        text = _ESCAPED_BREAK.sub("\n", text)  # 'Aqua\\nGlycerin' copied from a JSON export
        text = _ESCAPED_CHARACTER.sub(_unescaped, text)  # 'Cr\\u00e8me', as JSON writes it
    text = text.translate(_FULL_WIDTH)
    if not text.isascii():
        text = _PICTOGRAPH.sub("\n", text)  # '💧 Hyaluronic Acid', 'Aqua 💦,', '✓ Retinol'
        if _LOOK_ALIKE_LETTER.search(text):
            text = _WORD.sub(_latin_if_mixed, text)  # a Latin name typed with a Cyrillic letter
    text = _squeezed(text)
    text = _LINE_END_HYPHEN.sub(HYPHENATION, text)  # 'PHENOXY-⏎ETHANOL' is one word
    if "<" in text:
        text = _INLINE_TAG.sub("", _BLOCK_TAG.sub("\n", text))
    if "&" in text:
        text = html.unescape(text).replace("\xa0", " ")  # 'Caprylic&#47;Capric', '&nbsp;'
    text = _PHARMACOPOEIA.sub(" Ph Eur", text)  # its full stops end no sentence
    text = _SPACED_LOCANTS.sub(r"\1,\2", text)  # '1, 2-Hexanediol' is 1,2-Hexanediol
    return _unnumbered(text)  # '1. Aqua 2. Glycerin 3. Retinol'


def _latin_if_mixed(word: re.Match[str]) -> str:
    text = word.group()
    if _LATIN_LETTER.search(text) and _LOOK_ALIKE_LETTER.search(text):
        return text.translate(_LOOK_ALIKE)
    return text


def _unescaped(escape: re.Match[str]) -> str:
    high, low, single = escape.groups()
    if single is None:
        return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + int(low, 16) - 0xDC00)
    code = int(single, 16)
    return "" if 0xD800 <= code <= 0xDFFF else chr(code)  # half of a pair, alone: nothing


def _squeezed(text: str) -> str:
    """Long runs of one mark or of white space shortened to what they can mean (a gap, a
    paragraph, an ellipsis, a dot leader): no name holds more, and some of the patterns that
    read a label would take time growing with the square of such a run."""
    text = _LONG_GAP.sub(lambda gap: "\n\n" if "\n" in gap.group() else "   ", text)
    return _LONG_RUN.sub(r"\1\1\1", text)


def _unnumbered(text: str) -> str:
    """A list numbered 1, 2, 3 … (or lettered a, b, c …) in order, each number a separator; a
    number out of that sequence ('Polysorbate 20. Glycerin') is left alone."""
    numbers, expected = [], 1
    for found in _ITEM_NUMBER.finditer(text):
        mark = found.group(1) or found.group(2)  # 1, 2, 3 … or a, b, c …
        if (int(mark) if mark.isdigit() else ord(mark) - ord("a") + 1) == expected:
            numbers.append(found)
            expected += 1
    if len(numbers) < 3:
        return text
    pieces, start = [], 0
    for found in numbers:
        pieces.append(text[start : found.start()])
        start = found.end()
    return "\n".join([*pieces, text[start:]])


# A line break or tab written as its escape, not before a lower-case letter: 'Aqua\\niacinamide'
# is a backslash between two names.
_ESCAPED_BREAK = re.compile(r"\\[rnt](?![a-z])")
_LONG_GAP = re.compile(r"\s{4,}")
_LONG_RUN = re.compile(r"([^\w\s])\1{3,}")
# Unicode's format characters (category Cf): zero-width spaces and joiners, the soft hyphen, the
# marks and embeddings that set the direction of Arabic or Hebrew text beside a Latin list,
# invisible operators, the byte-order mark, tags. Web pages and PDFs carry them inside words
# ('Retinyl\u00adPalmitate'); none is part of a name.
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)
# Cyrillic and Greek letters drawn like Latin ones, typed into a Latin name when a keyboard's
# layout was not switched back ('Aqua' typed with a Cyrillic A, as shops in Cyrillic scripts
# show INCI lists): read as the Latin letter in a word that also holds Latin letters. A word
# wholly in Cyrillic or Greek is left as written.
_LOOK_ALIKE = str.maketrans(
    dict(
        zip(
            "АВЕКМНОРСТУХаеорсухіјѕІЈЅԁԛԝҺһӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧο",
            "ABEKMHOPCTYXaeopcyxijsIJSdqwHhlABEZHIKMNOPTYXo",
            strict=True,
        )
    )
)
_LOOK_ALIKE_LETTER = re.compile("[АВЕКМНОРСТУХаеорсухіјѕІЈЅԁԛԝҺһӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧο]")
_WORD = re.compile(r"[^\W\d_]+")
_LATIN_LETTER = re.compile("[A-Za-z]")
# Emoji, dingbats and other pictographs a shop puts before or after names ('💧', '✨', '✓'):
# never inside a name, so each separates, as a bullet does.
_PICTOGRAPH = re.compile("[\u2190-\u21ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f]+")
# East Asian punctuation, as labels pasted from Japanese, Chinese or Korean pages carry it, the
# fraction and division slashes that typesetting puts for a slash, and bullets.
_FULL_WIDTH = str.maketrans(
    {
        "，": ",",
        "、": ",",
        "；": ";",
        # the small and half-width forms of those, and the comma and semicolon of Arabic script
        **dict.fromkeys("﹐﹑､︐︑،", ","),
        **dict.fromkeys("﹔︔؛", ";"),
        "（": "(",
        "）": ")",
        "：": ":",
        "／": "/",
        "⁄": "/",
        # the lenticular and tortoise-shell brackets of East Asian shop pages title a section
        # each ('【Ingredients】Aqua, …【How to use】Apply …'): a section starts a line
        **dict.fromkeys("【〔〖", "\n["),
        **dict.fromkeys("】〕〗", "]"),
        "∕": "/",
        # Bullets of other typefaces and scripts ('Aqua・Glycerin' on a Japanese page) are the
        # list's bullet.
        **dict.fromkeys("・･·∙⋅◦■◆♦►▸➤✓✔", "•"),
    }
)
_PHARMACOPOEIA = re.compile(r"(?i)\s+ph\.\s?eur\.?")
# An item number: '1. Aqua 2. Glycerin' numbers a list on one line; '1 Aqua⏎2 Glycerin', a
# number with no mark, one a line.
_ITEM_NUMBER = re.compile(
    r"(?:(?<=\s)|^)(\d{1,3}|[a-z])[.)]\s+(?=[A-Za-z(])|(?m:^)[ \t]*(\d{1,3})[ \t]+(?=[A-Za-z(])"
)
# A word hyphenated at the end of a line goes on on the next; whether the hyphen is the
# name's own ('BIS-⏎ETHYLHEXYL…') or the typesetter's ('PHENOXY-⏎ETHANOL'), the lists decide:
# the line-end hyphen becomes U+2010, and a name holding one is also tried without it.
_LINE_END_HYPHEN = re.compile(r"(?<=[A-Za-z])-[ \t]*\n[ \t]*(?=[A-Za-z0-9])")
# Locants spaced out after their comma ('1, 2-Hexanediol'): one name, not the number 1.
_SPACED_LOCANTS = re.compile(r"(?:(?<=^)|(?<=[,;(]\s)|(?<=[,;(]))(\d),\s+(\d-[A-Za-z])", re.M)
# HTML that ends a line or an item: a label pasted from a page's source ('<li>Aqua</li>').
_BLOCK_TAG = re.compile(r"(?i)</?(?:li|br|p|div|tr|td|th|dd|dt|ul|ol)\b[^<>]{0,40}>")
# HTML that styles words inside a line: '<strong>Ingredients:</strong>', '<sup>*</sup>'.
_INLINE_TAG = re.compile(r"(?i)</?(?:strong|b|em|i|u|span|font|small|sup|sub|a)\b[^<>]{0,80}>")
# A character written as its escape by a JSON or Python export, a pair for one beyond 16 bits.
_ESCAPED_CHARACTER = re.compile(
    r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})|\\u([0-9a-f]{4})", re.I
)
