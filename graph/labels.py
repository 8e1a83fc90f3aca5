"""Split a pasted ingredient label into tokens, each with the names it may stand for."""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass

from graph.errors import InvalidValue, LabelTooLong
from graph.sections import (
    is_claim,
    is_prose,
    is_prose_sentence,
    split_blurb,
    split_parts,
    split_purpose,
    take_claims,
)

MAX_LABEL_CHARS = 20_000  # the longest real labels, marketing copy included, are ~7,300

_PLUS_MINUS = r"(?:[(\[]\s*\+\s*/\s*-\s*[)\]]|\+\s*/\s*-|±)"
# Starts at its words: a '[' or spaces before them end the list before anyway (an unmatched
# bracket separates), and a pattern that may start anywhere is 3 times slower to search.
_MAY_CONTAIN = re.compile(
    rf"(?i)(?:(?:may\s+contain|peut\s+contenir|kann\s+enthalten)\s*[:\-]?\s*{_PLUS_MINUS}?"
    rf"|{_PLUS_MINUS})\s*[:\-]?"
)
_SEPARATORS = ",;\n\t|•·●▪"
_SEPARATOR_CHARS = re.compile(f"[{re.escape(_SEPARATORS)}]")
# The comma of '1,2-Hexanediol' or of 'N,N-Bis(…)' is part of the name.
_NOT_DIGIT_COMMA = r"(?!(?<=\d,)\d)(?!(?<=\b[a-zA-Z],)[a-zA-Z]['’]?-)"
# A mark that separates a list.
_LIST_MARK = re.compile(f"[{re.escape(_SEPARATORS)}]{_NOT_DIGIT_COMMA}")
# A separator, or a bracket that does not group (see _grouping_brackets).
_SEPARATOR = re.compile(f"[{re.escape(_SEPARATORS)}()\\[\\]]{_NOT_DIGIT_COMMA}")
_BRACKET = re.compile(r"[()\[\]]")
_SPACED_AMPERSAND = re.compile(r"\s+[&+]\s+")
_QUANTITY = re.compile(
    r"\s*\(?\s*(?:<|≤)?\s*\d+(?:[.,]\d+)?\s*(?:%|ppm)\s*\)?", flags=re.IGNORECASE
)
# US certified colours (21 CFR 74, 82): 'FD&C Yellow No. 5', 'D&C Red 7 Lake', 'Ext. D&C Violet 2'.
_US_COLOUR = re.compile(
    r"(?i)^(?:ext\.?\s*)?(?:fd&c|d&c)?\s*(?:ext(?:ernal)?\.?\s+)?(?P<hue>red|yellow|blue|green|orange|"
    r"violet|brown|black)\s*(?:no\.?|#)?\s*(?P<number>\d{1,2})(?P<lake>\s+lake)?$"
)
# Pharmacopoeia names of ethoxylates count ethylene oxide units as INCI's PEG-n and
# Ceteareth-n do (USP-NF 'Polyoxyl', Ph. Eur. 'Macrogol cetostearyl ether n'); one unit
# is ethylene glycol itself, so 'PEG-1 Stearate' is INCI's Glycol Stearate.
_PEG_NAMES = (
    (re.compile(r"(?i)^(?:peg-|polyoxyl\s+)1\s+(.+)$"), r"Glycol \1"),
    (re.compile(r"(?i)^polyoxyl\s+(\d+)\s+cetostearyl\s+ether$"), r"Ceteareth-\1"),
    (re.compile(r"(?i)^macrogol\s+cetostearyl\s+ether\s+(\d+)$"), r"Ceteareth-\1"),
    (re.compile(r"(?i)^polyoxyl\s+(\d+)\s+(.+)$"), r"PEG-\1 \2"),
)
# What follows a name without changing what it names: a pharmacopoeia's mark, an isomer,
# a formula number ('Citric Acid FORMULA #703-0').
_NAME_SUFFIX = re.compile(
    r"(?i)(?:\s+(?:b\.?p|ph\.?\s?eur|u\.?s\.?p(?:/nf)?|e\.?p|n\.?f)\.?"
    r"|\s+(?:trans|cis)-isomer|\s+formula\s*#\s*[\w-]+)+$"
)
# Words of grade or origin before a name, which never change what it names: 'Organic Argan
# Oil', 'Pure Medical Grade Lanolin', 'Cold-Pressed Jojoba Oil'. ('Natural' and 'Vegetable'
# are left out: 'Natural Yellow 3' is a colour, 'Vegetable Collagen' is not collagen.)
_QUALIFIER = re.compile(
    r"(?i)^(?:(?:certified\s+)?organic|pure|100\s*%\s*pure|"
    r"medical[\s-]grade|pharmaceutical[\s-]grade|cosmetic[\s-]grade|cold[\s-]pressed|"
    r"(?:extra\s+)?virgin|unrefined|refined|wild[\s-](?:harvested|crafted)|raw)\s+(?=\S)"
)
# A number written apart from its name: 'Laureth 3' is Laureth-3, 'PEG 8-Dimethicone' PEG-8.
_DETACHED_NUMBER = re.compile(
    r"(?i)\b(laureth|ceteareth|steareth|oleth|ceteth|isoceteth|"
    r"pareth|peg|ppg|polyquaternium|polyglyceryl|quaternium|disteareth|beheneth|trideceth|"
    r"deceth|coceth|myreth|choleth|sorbeth)\s+(\d+)(?:-(?=[a-z]))?"
)
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
_PARENTHESIS = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
_NESTING_PARENTHESIS = re.compile(r"\(((?:[^()]*\([^()]*\))+[^()]*)\)")  # one level inside
# Several products or shades in one field: each part's list is read, all together.
_PART_HEADER = re.compile(r"(?i)\b(?:step\s*\d+|shade|product\s*\d+|part\s*\d+)\s*[:\-–]")
_URL = re.compile(r"(?i)^\s*(?:https?://|www\.)\S+\s*$")
# A footnote after a name ('Juice*') or on its own ('*Certified Organic'): not an ingredient.
_FOOTNOTE_MARK = "*†‡¹²³"
_FOOTNOTE_WORDS = re.compile(
    r"(?i)\b(?:organic|certified|natural(?:ly)? (?:origin|derived)|derived|fair ?trade|wild|"
    r"ingredients?|grown|agriculture|from|of)\b"
)
# A footnote's legend as a sentence of its own: '*Certified organic.', '*Coconut, vegetable,
# or plant derived.', '†Derived from coconut, palm or rapeseed.' Its commas separate only
# words of origin: '*Certified organic, Retinol' still lists Retinol.
_ORIGIN = (
    r"(?:coconut|vegetable|plant|palm(?: kernel)?|sugar ?cane|sugar|cane|beet|corn|soya?|"
    r"rapeseed|olive|sunflower|castor|mineral|natural|renewable|animal|synthetic|fruit|seed|"
    r"wheat|rice|grain)s?"
)
_ORIGINS = rf"{_ORIGIN}(?:\s*,\s*(?:(?:or|and)\s+)?{_ORIGIN}|\s+(?:or|and)\s+{_ORIGIN})*"
_FOOTNOTE_LEGEND = re.compile(
    r"(?im)(?:^|(?<=\.))[ \t]*([*†‡]+[ \t]*(?:"
    rf"(?:(?:derived|sourced|obtained|produced|made)\s+)?from\s+{_ORIGINS}"
    rf"(?:\s+(?:sources?|origin|oils?|materials?))?"
    rf"|{_ORIGINS}\s+(?:derived|origin|based|sourced)"
    r"|[^*†‡\n.,;/•|]{0,120}?\b(?:derived|origin|organic|certified|grown|farmed|harvested|"
    r"sourced|agriculture)\b[^*†‡\n.,;/•|]{0,30}"
    r")\.?)[ \t]*(?=[\s'\x22\])]*$|[*†‡])"  # a pasted list may close with '] or "
)
_BLEND = re.compile(r"(?i)\s\(and\)\s")  # 'Caprylic/Capric Triglyceride (and) Tocopherol'
_FULL_STOP = re.compile(r"(?<!\bNo)(?<!\bno)(?<!\bNO)(?<!\bExt)(?<!\bext)(?<!\bEXT)\.\s+(?=\S)")
# An item number: '1. Aqua 2. Glycerin' numbers a list on one line.
_ITEM_NUMBER = re.compile(r"(?:(?<=\s)|^)(\d{1,3})[.)]\s+(?=[A-Za-z(])")
# A word hyphenated at the end of a line goes on on the next; whether the hyphen is the
# name's own ('BIS-⏎ETHYLHEXYL…') or the typesetter's ('PHENOXY-⏎ETHANOL'), the lists decide:
# the line-end hyphen becomes U+2010, and a name holding one is also tried without it.
_LINE_END_HYPHEN = re.compile(r"(?<=[A-Za-z])-[ \t]*\n[ \t]*(?=[A-Za-z0-9])")
_HYPHENATION = "\u2010"
# A list that says it goes on where we cannot see it: '…', '[...]', 'etc.', 'and more',
# 'see the full list on the pack'. What it hides may be anything.
_CUT_SHORT = re.compile(
    r"(?i)[\[(]\s*(?:\.{3,}|…)\s*[\])]|\betc\b\.?|\band\s+other\s+ingredients\b|"
    r"\(?\s*(?:please\s+)?see\s+(?:the\s+)?(?:full|complete)\s+(?:ingredients?\s+)?list\b[^,)\n]*\)?|"
    # an ellipsis or 'and more' only at the end: dot leaders ('3% …… Sunscreen') go on
    r"(?:\.{3,}|…|\band\s+(?:much\s+)?more\b)(?=(?:\s*(?:and\s+(?:much\s+)?more|etc\b\.?))?"
    r"[\s,.;)\]]*$)"
)
# Locants spaced out after their comma ('1, 2-Hexanediol'): one name, not the number 1.
_SPACED_LOCANTS = re.compile(r"(?:(?<=^)|(?<=[,;(]\s)|(?<=[,;(]))(\d),\s+(\d-[A-Za-z])", re.M)
_NOTE_AFTER_STOP = re.compile(r"\.\s+(?=[*†‡])")
_INLINE_NOTE = re.compile(r"\s[*†‡]\s*[a-z].*$")
_GLUED_WORDS = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z])")
_CODE = re.compile(r"<[^<>]{0,40}>")  # retailer item codes and stray HTML: <ILN39837>, <b>
# HTML that ends a line or an item: a label pasted from a page's source ('<li>Aqua</li>').
_BLOCK_TAG = re.compile(r"(?i)</?(?:li|br|p|div|tr|td|th|dd|dt|ul|ol)\b[^<>]{0,40}>")
# Words of a web page's controls that get pasted along with a label.
_UI_WORDS = frozenset(
    {
        "less",
        "more",
        "read more",
        "show more",
        "see more",
        "view more",
        "show less",
        "see less",
        "read less",
    }
)
_EDGE_JUNK = " \t\"'`{}*†‡.:-–—"


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as the label wrote it, trimmed
    candidates: tuple[str, ...]  # names to look up, most specific first
    conditional: bool = False  # listed under "may contain"
    active: bool = False  # a drug-facts active ingredient: outside the weight order
    percent: float | None = None  # the amount the label states, as for drug-facts actives
    mentioned: bool = False  # named in a blurb or heading, not in the list itself


@dataclass(frozen=True, slots=True)
class Label:
    tokens: tuple[Token, ...]  # the ingredients, in label order; names blurbs mention last
    set_aside: tuple[str, ...]  # claims, prose, codes and sections that are no ingredients
    cut_short: str | None = None  # how the list says it goes on unseen: '…', 'etc.'
    # False when the text holds several lists (a kit's products, shades, groups by function):
    # each is weighed on its own, so one list's order says nothing of another's amounts
    one_list: bool = True


@functools.lru_cache(maxsize=65_536)  # labels repeat the same few thousand names
def normalize_name(name: str) -> str:
    """The form names are compared in: no accents or case, one spacing."""
    decomposed = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    text = re.sub(r"[‐‑‒–—−]", "-", text).replace(".", " ")
    text = text.replace("sulph", "sulf").replace("aluminium", "aluminum")  # INCI spells US
    text = re.sub(r"\s*([-/])\s*", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


_OCR_LOOKALIKES = str.maketrans({"l": "i", "1": "i", "|": "i", "!": "i", "0": "o"})


def ocr_fold(normalized: str) -> str:
    """A name with the letters OCR confuses made equal: 'cl 77891' and 'ci 77891' meet."""
    return normalized.replace("rn", "m").translate(_OCR_LOOKALIKES)


def parse_label(text: str, max_chars: int = MAX_LABEL_CHARS) -> tuple[Token, ...]:
    """Tokens in label order, each once; raises when the text cannot be a label."""
    return read_label(text, max_chars).tokens


def read_label(text: str, max_chars: int = MAX_LABEL_CHARS) -> Label:
    """The label's ingredient tokens and the text set aside; raises when there is no list."""
    if len(text) > max_chars:
        raise LabelTooLong(
            f"The label has {len(text):,} characters; the limit is {max_chars:,}.",
            field="ingredients",
        )
    if _URL.match(text):
        raise InvalidValue(
            "That looks like a web address. Paste the ingredient list itself, as printed on "
            "the product or its page.",
            field="ingredients",
        )
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).replace("\r", "\n")
    text = _LINE_END_HYPHEN.sub(_HYPHENATION, text)  # 'PHENOXY-⏎ETHANOL' is one word
    if "<" in text:
        text = _BLOCK_TAG.sub("\n", text)
    if "&" in text:
        text = html.unescape(text).replace("\xa0", " ")  # 'Caprylic&#47;Capric', '&nbsp;'
    text = _PHARMACOPOEIA.sub(" Ph Eur", text)  # its full stops end no sentence
    text = _SPACED_LOCANTS.sub(r"\1,\2", text)  # '1, 2-Hexanediol' is 1,2-Hexanediol
    text = _unnumbered(text)  # '1. Aqua 2. Glycerin 3. Retinol'
    hints = _Hints(text)
    parted = hints.any("step", "shade", "product", "part") and bool(_PART_HEADER.search(text))
    if parted:
        text = _PART_HEADER.sub("\n", text)
    text = _NOTE_AFTER_STOP.sub("\n", text)
    if hints.any("(and)"):
        text = _BLEND.sub(",", text)
    reader = _Reader()
    lists = 0  # parts that list names not listed before: the same list in another language
    for part in split_parts(text):  # ('Ingredients: … Ingrédients: …') is still one list
        if part.kind == "aside":
            reader.aside(part.text)
        elif part.kind == "blurb":
            reader.read_blurbs(part.text)
        else:
            before = len(reader.tokens)
            kind = "list" if part.kind == "group" else part.kind
            reader.read_list(part.text, hints, kind)
            lists += kind == "list" and len(reader.tokens) > before
    one_list = not parted and lists <= 1
    tokens = reader.tokens + [t for t in reader.mentioned if _key(t) not in reader.seen]
    if not tokens:
        found = "; ".join(f"'{text}'" for text in list(dict.fromkeys(reader.set_aside))[:3])
        raise InvalidValue(
            "No ingredients found in the label"
            + (f"; we read only text that is not an ingredient list: {found}." if found else "."),
            field="ingredients",
        )
    return Label(tuple(tokens), tuple(dict.fromkeys(reader.set_aside)), reader.cut_short, one_list)


def _key(token: Token) -> str:
    return normalize_name(token.text)


class _Reader:
    """Collects tokens in label order, and the text set aside, as the parts are read."""

    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self.mentioned: list[Token] = []
        self.set_aside: list[str] = []
        self.seen: set[str] = set()
        self.cut_short: str | None = None

    def aside(self, text: str) -> None:
        text = " ".join(text.split()).strip(" ,;.")
        if text:
            self.set_aside.append(text)

    def add(self, token: Token | None) -> None:
        if token is not None and _key(token) not in self.seen:
            self.seen.add(_key(token))
            self.tokens.append(token)

    def read_blurbs(self, text: str) -> None:
        """Marketing copy: set aside, but a blurb's heading names an ingredient it contains."""
        self.aside(text)
        for line in _BLURB_LINE.split(text):
            blurb = split_blurb(line.strip())
            if blurb is not None:
                token = _token(blurb[0], False)
                if token is not None:
                    self.mentioned.append(_mentioned(token))

    def read_list(self, text: str, hints: _Hints, kind: str) -> None:
        """A part that lists ingredients ('list', drug-facts 'active'), or the preamble before
        the first heading, whose names count only as mentioned."""
        text, claims = take_claims(text)
        for claim in claims:
            self.aside(claim)
        for legend in _FOOTNOTE_LEGEND.findall(text):  # '*Coconut, vegetable or plant derived.'
            self.aside(legend.strip())
        text = _FOOTNOTE_LEGEND.sub("\n", text)
        if kind != "preamble" and not _LIST_MARK.search(text):
            text = _FULL_STOP.sub("\n", text)  # 'Aqua. Glycerin. Retinol.'
        # A sentence may end inside a list ('Glycerin. Retinol', '… Phenoxyethanol. Store
        # below 25 °C'); a sentence of prose, or of claims only, is set aside whole. Before the
        # first heading, a sentence that lists names is a list; a lone name, a mention.
        kept = []
        splitter = _PREAMBLE_LINE if kind == "preamble" else _SENTENCE_END
        for sentence in splitter.split(text) if kind == "preamble" or "." in text else [text]:
            if split_blurb(sentence.strip()) is not None:
                self.read_piece(sentence, False, kind)  # 'Retinol: smooths fine lines.'
            elif is_prose_sentence(sentence) or _only_claims(sentence):
                self.aside(sentence)
            elif kind == "preamble" and not _LIST_MARK.search(sentence.strip(_EDGE_JUNK)):
                self.read_piece(sentence, False, kind)
            else:
                kept.append(sentence)
        text = "\n".join(kept)
        cut = _CUT_SHORT.search(text)
        if cut is not None:  # 'Aqua, Glycerin, …': the rest of the list is not here
            self.cut_short = self.cut_short or " ".join(cut.group().split())
            text = _CUT_SHORT.sub(",", text)
        kind = "list" if kind == "preamble" else kind
        main, conditional = _split_may_contain(text, hints)
        for part, is_conditional in ((main, False), (conditional, True)):
            for raw in _split_top_level(_CODE.sub(" ", part)):
                self.read_piece(raw, is_conditional, kind)

    def read_piece(self, raw: str, conditional: bool, kind: str) -> None:
        active = kind == "active"
        raw = raw.strip()
        if has_top_level_slash(raw):  # 'Retinol/Fragrance-free': only the name stays
            pieces = _TOP_LEVEL_SLASH.split(raw)
            aside = [piece for piece in pieces if _not_a_name(piece)]
            for piece in aside:
                self.aside(piece.strip(_EDGE_JUNK))
            if aside:
                raw = "/".join(piece for piece in pieces if piece not in aside).strip()
        if not raw.strip(_EDGE_JUNK):
            return
        if _is_footnote(raw):
            self.aside(raw)  # the legend of a footnote: '*Certified Organic'
            return
        raw, purpose = split_purpose(raw) if active or _STATED_PURPOSE.search(raw) else (raw, "")
        if purpose:
            self.aside(purpose)
        if is_claim(raw.strip(_EDGE_JUNK)):
            self.aside(raw.strip(_EDGE_JUNK))
            return
        if raw.rstrip(" '\"[]").endswith(":"):  # a part's title ('Big Sky:'), a list follows
            title = _token(raw, conditional)
            if title is not None:
                self.mentioned.append(_mentioned(title))
            return
        blurb = split_blurb(raw)
        if blurb is not None:
            self.aside(blurb[1])
            head = _token(blurb[0], conditional)
            if head is not None:  # a highlight says the product contains it, if it is a name
                self.mentioned.append(_mentioned(head))
            return
        blend = _BLEND_CONTENTS.search(raw)
        if blend is not None:  # 'Emulsifying Wax BP (contains Cetostearyl Alcohol and …)'
            self.aside(raw[: blend.start()].strip(_EDGE_JUNK))
            for part in re.split(r",|\band\b|&", blend.group(1)):
                self.add(_token(part, conditional, active))
            return
        for inner in _PARENTHESIS.findall(raw):  # 'Cetrimonium Chloride (as a conditioning agent)'
            if is_prose(inner):
                self.aside(inner)
                raw = raw.replace(inner, " ").replace("( )", " ").replace("[ ]", " ")
        if is_prose(raw):
            self.aside(raw)
            return
        token = _token(raw, conditional, active)
        if kind == "preamble" and token is not None:
            self.mentioned.append(_mentioned(token))
        else:
            self.add(token)


def _is_footnote(text: str) -> bool:
    text = text.strip()
    return text[:1] in _FOOTNOTE_MARK and bool(_FOOTNOTE_WORDS.search(text))


def _not_a_name(piece: str) -> bool:
    """A claim, a footnote's legend or prose standing between slashes."""
    return _is_footnote(piece) or is_claim(piece.strip(_EDGE_JUNK)) or is_prose(piece)


def _only_claims(sentence: str) -> bool:
    pieces = [piece.strip(_EDGE_JUNK) for piece in _SEPARATOR_CHARS.split(sentence)]
    pieces = [piece for piece in pieces if piece]
    return len(pieces) > 1 and all(is_claim(piece) for piece in pieces)


def _mentioned(token: Token) -> Token:
    return Token(token.text, token.candidates, mentioned=True)


class _Hints:
    """Words a section regex needs, to skip the regex on the many labels without them.

    Plain ASCII labels only: there `str.lower()` and the regexes' IGNORECASE agree exactly, so
    a label without any of a regex's words cannot match it. Any other text runs every regex.
    """

    def __init__(self, text: str) -> None:
        self.lowered = text.lower() if text.isascii() else None

    def any(self, *words: str) -> bool:
        return self.lowered is None or any(word in self.lowered for word in words)


_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")  # zero-width, soft hyphen
_PHARMACOPOEIA = re.compile(r"(?i)\s+ph\.\s?eur\.?")
# A full stop after a word of three letters or more, then a capital: a sentence ends there.
_SENTENCE_END = re.compile(
    r"(?:(?<=[A-Za-z]{3}[.!?])|(?<=\s[A-Z][.])|(?<=\d[.])|(?<=\d-[A-Za-z][.]))"
    r"(?<!ext\.)(?<!Ext\.)(?<!EXT\.)\s+"
    r"(?=[A-Z*(\[]|\d+\s*%)"
    r"|(?<=[)\]][.!?])\s+(?=[A-Z])"
)
# A blend's bracket that says what it holds: its components are the ingredients.
_BLEND_CONTENTS = re.compile(
    r"(?i)[(\[]\s*(?:contains|containing|comprising|consists of)\s*:?\s*([^()\[\]]+)[)\]]\s*$"
)
_TOP_LEVEL_SLASH = re.compile(r"[/\\](?![^()\[\]]*[)\]])")
_PREAMBLE_LINE = re.compile(rf"{_SENTENCE_END.pattern}|\n+")
_BLURB_LINE = re.compile(r"\n|[•·●▪]|(?<=[.!?])\s+(?=[A-Z])")
_STATED_PURPOSE = re.compile(r"(?i)(?:\d\s*%|:)\s*(?:sunscreen|skin protectant)\b")


def _split_may_contain(text: str, hints: _Hints) -> tuple[str, str]:
    if not hints.any("contain", "contenir", "enthalten", "+"):
        return text, ""
    marker = _MAY_CONTAIN.search(text)
    if marker is None:
        return text, ""
    # A later marker (the next shade's or product's) separates: '… Polysorbate 60. [+/- CI
    # 77499]' would otherwise be one name, read as its first.
    return text[: marker.start()], _MAY_CONTAIN.sub(",", text[marker.end() :])


def _grouping_brackets(text: str) -> set[int]:
    """Positions of brackets that group part of a name: '(Water)', '[Nano]', '(CI 77491, CI 77492)'.

    Unmatched brackets, square brackets around a list (a pasted Python list, '[less]…[more]'),
    and parentheses around a whole sub-list of ingredients do not group: they separate.
    """
    grouping: set[int] = set()
    stack: list[tuple[str, int]] = []
    for bracket in _BRACKET.finditer(text):
        char, index = bracket.group(), bracket.start()
        if char in "([":
            stack.append((char, index))
        else:
            opener = "(" if char == ")" else "["
            if stack and stack[-1][0] == opener:
                _, start = stack.pop()
                content = text[start + 1 : index]
                if opener == "(":  # groups unless it holds a long list of 3 or more
                    groups = len(content) <= 60 or len(_SEPARATOR_CHARS.findall(content)) < 3
                else:
                    groups = _SEPARATOR_CHARS.search(content) is None
                if groups:
                    grouping.update((start, index))
    return grouping


def _split_top_level(text: str) -> list[str]:
    """Split on separators outside grouping brackets; a comma between digits stays."""
    grouping = _grouping_brackets(text)
    if not grouping:
        return _SEPARATOR.split(text)
    parts: list[str] = []
    depth = 0
    start = 0
    for separator in _SEPARATOR.finditer(text):
        index = separator.start()
        if index in grouping:
            depth += 1 if text[index] in "([" else -1
        elif depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


# A formula reference printed before a section's first name; no name starts with five digits.
_LEADING_CODE = re.compile(r"^[A-Z]{0,3}\d{5,}(?:/\d{1,3})?(?:\s+|(?=[A-Za-z][a-z]{2}))")


@functools.lru_cache(maxsize=65_536)  # the same few thousand names, written the same ways
def _token(raw: str, conditional: bool, active: bool = False) -> Token | None:
    raw = raw.strip()
    if raw[:1] in _FOOTNOTE_MARK and _FOOTNOTE_WORDS.search(raw):
        return None  # the legend of a footnote: '*Certified Organic'
    raw = _INLINE_NOTE.sub("", raw)  # 'Limonene *antistatic agent' keeps 'Limonene'
    spaced = " ".join(raw.replace("\\\\", "\\").split())
    text = _trim(" ".join(_QUANTITY.sub(" ", spaced).split()))
    text = _LEADING_CODE.sub("", text)  # 'C267317/1 Trimethylsiloxysilicate': a formula code
    if not text or not any(char.isalpha() for char in text) or text.casefold() in _UI_WORDS:
        return None
    stated = _PERCENT.search(spaced) if active else None
    percent = float(stated.group(1).replace(",", ".")) if stated else None
    return Token(text, _candidates(text), conditional, active, percent)


def _trim(text: str) -> str:
    """Drop junk at the edges, and brackets there that have lost their partner."""
    while True:
        trimmed = text.strip(_EDGE_JUNK)
        if trimmed[:1] in "([" and not any(close in trimmed for close in ")]"):
            trimmed = trimmed[1:]
        if trimmed[-1:] in ")]" and not any(opener in trimmed for opener in "(["):
            trimmed = trimmed[:-1]
        if trimmed == text:
            return text
        text = trimmed


def _unnumbered(text: str) -> str:
    """A list numbered 1, 2, 3 … in order, each number a separator; a number out of that
    sequence ('Polysorbate 20. Glycerin') is left alone."""
    numbers, expected = [], 1
    for found in _ITEM_NUMBER.finditer(text):
        if int(found.group(1)) == expected:
            numbers.append(found)
            expected += 1
    if len(numbers) < 3:
        return text
    pieces, start = [], 0
    for found in numbers:
        pieces.append(text[start : found.start()])
        start = found.end()
    return "\n".join([*pieces, text[start:]])


def _candidates(text: str) -> tuple[str, ...]:
    """The whole name first, then without its parenthesis, then what the parenthesis holds."""
    names = [text]
    if _HYPHENATION in text:
        names.append(text.replace(_HYPHENATION, ""))
    plain = _NAME_SUFFIX.sub("", text)
    if plain != text and plain:
        names.append(plain)  # 'Yellow Soft Paraffin BP', '… Trans-Isomer': the name itself
    for pharmacopoeia, inci in _PEG_NAMES:  # 'Polyoxyl 40 Stearate' is PEG-40 Stearate
        if pharmacopoeia.match(text):
            names.append(pharmacopoeia.sub(inci, text))
    colour = _US_COLOUR.match(text)
    if colour:  # 'FD&C Blue No. 1 Lake' is the certified colour 'Blue 1' (as a lake)
        names.extend(
            dict.fromkeys(
                [
                    f"{colour['hue']} {colour['number']}{colour['lake'] or ''}",
                    f"{colour['hue']} {colour['number']}",
                ]
            )
        )
    spaced = _GLUED_WORDS.sub(" ", text)
    if spaced != text:
        names.append(spaced)  # 'GlycerylCaprylate' lost its space
    for name in list(names):
        plain = _QUALIFIER.sub("", name)
        while plain != name:
            names.append(plain)
            name, plain = plain, _QUALIFIER.sub("", plain)
        numbered = _DETACHED_NUMBER.sub(r"\1-\2 ", name).strip()
        if numbered != name:
            names.append(numbered)
    inner = _PARENTHESIS.findall(text)
    if inner:
        bare = _PARENTHESIS.sub(" ", text)
        names.append(bare)
        nested = bool(_PARENTHESIS.search(bare))
        while _PARENTHESIS.search(bare):
            bare = _PARENTHESIS.sub(" ", bare)
        # A name inside a name: 'Candelilla Cera (Euphorbia Cerifera (Candelilla) Wax)' is
        # 'Candelilla Cera', also written 'Euphorbia Cerifera (Candelilla) Wax'.
        names.append(bare)
        # What a bracket holds names the token only when the bracket ends it: in
        # 'Aqua (Water) Retinol' a comma is missing, and reading 'Water' would hide Retinol.
        tail = text[max(text.rfind(")"), text.rfind("]")) + 1 :]
        if not any(char.isalnum() for char in tail):
            names.extend([*(_NESTING_PARENTHESIS.findall(text) if nested else ()), *inner])
    for name in list(names):
        for slash in "/\\":
            if slash in name:
                names.extend(name.split(slash))
    cleaned = (" ".join(name.split()).strip(_EDGE_JUNK) for name in names)
    return tuple(dict.fromkeys(name for name in cleaned if name))


_RUN_UNIT = re.compile(r"[(\[][^()\[\]]*[)\]]|[^\s()\[\]]+")


def run_units(text: str) -> list[str]:
    """The words of a token, brackets kept whole, split where a lost separator glued two
    names ('OxideWater' is 'Oxide', 'Water'); a bracket stays with the word before it."""
    units: list[str] = []
    for unit in _RUN_UNIT.findall(_GLUED_WORDS.sub(" ", text)):
        if unit[:1] in "([" and units:
            units[-1] = f"{units[-1]} {unit}"
        else:
            units.append(unit)
    return units


def after_bracket(token: Token) -> tuple[Token, Token] | None:
    """A token cut after its last bracket, when a name follows it: 'Aqua (Water)', 'Retinol'."""
    end = max(token.text.rfind(")"), token.text.rfind("]")) + 1
    if not end:
        return None
    head = _token(token.text[:end], token.conditional)
    tail = _token(token.text[end:], token.conditional)
    return None if head is None or tail is None else (head, tail)


def ampersand_parts(token: Token) -> tuple[Token, ...] | None:
    """A token cut at a spaced '&' or '+': 'Aqua & Retinol' ('D&C Red No. 7' has no spaces)."""
    pieces = _SPACED_AMPERSAND.split(token.text)
    if len(pieces) < 2:
        return None
    parts = [_token(piece, token.conditional) for piece in pieces]
    found = tuple(part for part in parts if part is not None)
    return found if len(found) == len(parts) else None


# Words that mark the French, Spanish, German or Latin twin of a name ('Water/Eau', 'Barley
# Extract/Extrait d'Orge', 'Beeswax/Cire d'Abeille', 'Whey Protein/Lactis Protein').
_TRANSLATION = re.compile(
    r"(?i)(?:^|\s)(?:d[’']|de|du|des|la|le|les|et|extrait|huile|beurre|cire|sel|eau|miel|"
    r"prot[ée]ine|poudre|jus|feuilles?|fleurs?|racines?|graines?|graisse|farine|ar[ôo]me|sucre|"
    r"lait|levure|orge|amande|avoine|bl[ée]|riz|noix|[ée]corce|aceite|extracto|agua|manteca|"
    r"hojas?|flor|ra[íi]z|semillas?|[öo]l|extrakt|wasser|wachs|honig|"
    r"cera|oleum|mel|lactis|faex|sal|maris|extractum|butyrum|aqua)(?=\s|$|[’'])"
)


def is_translation(text: str) -> bool:
    """A name written in French, Spanish, German or Latin beside its INCI twin."""
    return bool(_TRANSLATION.search(text))


def read_token(raw: str, conditional: bool = False, active: bool = False) -> Token | None:
    """One piece of a label as a token; None when it holds no name."""
    return _token(raw, conditional, active)


def bracket_contents(text: str) -> list[str]:
    """What the innermost brackets of a token hold, trimmed: 'Aqua (Water)' -> ['Water']."""
    return [" ".join(inner.split()).strip(_EDGE_JUNK) for inner in _PARENTHESIS.findall(text)]


def has_top_level_slash(text: str) -> bool:
    """A slash outside brackets: 'Glycerin/Retinol', not 'Water (Aqua/Eau)'."""
    depth = 0
    for char in text:
        depth += (char in "([") - (char in ")]")
        if char in "/\\" and depth == 0:
            return True
    return False


def slash_parts(token: Token) -> tuple[Token, ...]:
    """The names a token holds between its slashes outside brackets: 'Water / Glycerin'."""
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(token.text):
        depth += (char in "([") - (char in ")]")
        if char in "/\\" and depth == 0:
            pieces.append(token.text[start:index])
            start = index + 1
    pieces.append(token.text[start:])
    parts = (_token(piece, token.conditional, token.active) for piece in pieces)
    return tuple(part for part in parts if part is not None)


def join_tokens(first: Token, second: Token) -> Token:
    """One name the label broke in two: 'Cocamidopropyl' + 'Betaine', '2-Oleamido-1' + '3-…'."""
    glue = "," if first.text[-1:].isdigit() and second.text[:1].isdigit() else " "
    text = f"{first.text}{glue}{second.text}"
    return Token(text, _candidates(text), first.conditional)
