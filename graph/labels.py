"""Split a pasted ingredient label into tokens, each with the names it may stand for."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from graph.errors import InvalidValue, LabelTooLong

MAX_LABEL_CHARS = 20_000  # the longest real labels, marketing copy included, are ~7,300

_HEADER = re.compile(
    r"(?i)\b(?:(?:active|inactive|other)\s+)?(?:ingredients?|ingrédients?|inci)\s*(?:list)?\s*[:\-–—]"
)
_PLUS_MINUS = r"(?:[(\[]\s*\+\s*/\s*-\s*[)\]]|\+\s*/\s*-|±)"
# Starts at its words: a '[' or spaces before them end the list before anyway (an unmatched
# bracket separates), and a pattern that may start anywhere is 3 times slower to search.
_MAY_CONTAIN = re.compile(
    rf"(?i)(?:(?:may\s+contain|peut\s+contenir|kann\s+enthalten)\s*[:\-]?\s*{_PLUS_MINUS}?"
    rf"|{_PLUS_MINUS})\s*[:\-]?"
)
_SEPARATORS = ",;\n\t|•·●▪"
_SEPARATOR_CHARS = re.compile(f"[{re.escape(_SEPARATORS)}]")
_NOT_DIGIT_COMMA = r"(?!(?<=\d,)\d)"  # the comma of '1,2-Hexanediol' is part of the name
# A mark that separates a list.
_LIST_MARK = re.compile(f"[{re.escape(_SEPARATORS)}]{_NOT_DIGIT_COMMA}")
# A separator, or a bracket that does not group (see _grouping_brackets).
_SEPARATOR = re.compile(f"[{re.escape(_SEPARATORS)}()\\[\\]]{_NOT_DIGIT_COMMA}")
_BRACKET = re.compile(r"[()\[\]]")
_SPACED_AMPERSAND = re.compile(r"\s+[&+]\s+")
_QUANTITY = re.compile(
    r"\s*\(?\s*(?:<|≤)?\s*\d+(?:[.,]\d+)?\s*(?:%|ppm)\s*\)?", flags=re.IGNORECASE
)
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
_BLEND = re.compile(r"(?i)\s\(and\)\s")  # 'Caprylic/Capric Triglyceride (and) Tocopherol'
_TRAILING_WORDS = (  # one of these is in every match of _TRAILING_SECTION
    "directions",
    "to use",
    "warning",
    "caution",
    "usage",
    "storage",
    "made in",
    "distributed by",
    "manufactured by",
)
_TRAILING_SECTION = re.compile(
    r"(?i)(?:^|[\s.,;])(?:directions(?: for use)?|how to use|to use|warnings?|caution|usage|"
    r"storage|made in|distributed by|manufactured by)\s*[:\-–]"
)
_FULL_STOP = re.compile(r"\.\s+(?=\S)")
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
    text = unicodedata.normalize("NFC", text).replace("\r", "\n")
    if "<" in text:
        text = _BLOCK_TAG.sub("\n", text)
    hints = _Hints(text)
    if hints.any("step", "shade", "product", "part"):
        text = _PART_HEADER.sub("\n", text)
    text = _NOTE_AFTER_STOP.sub("\n", text)
    if hints.any("(and)"):
        text = _BLEND.sub(",", text)
    if hints.any(*_TRAILING_WORDS):
        trailer = _TRAILING_SECTION.search(text)
        if trailer is not None and trailer.start() > 0:
            text = text[: trailer.start()]  # directions, warnings: the list has ended
    if not _LIST_MARK.search(text):
        text = _FULL_STOP.sub("\n", text)  # 'Aqua. Glycerin. Retinol.'

    if hints.any("ingredient", "inci"):
        headers = list(_HEADER.finditer(text))
        if headers:
            text = _HEADER.sub(",", text[headers[0].start() :])
    main, conditional = _split_may_contain(text, hints)
    tokens: list[Token] = []
    seen: set[str] = set()
    for part, is_conditional in ((main, False), (conditional, True)):
        for raw in _split_top_level(_CODE.sub(" ", part)):
            token = _token(raw, is_conditional)
            if token and normalize_name(token.text) not in seen:
                seen.add(normalize_name(token.text))
                tokens.append(token)
    if not tokens:
        raise InvalidValue("No ingredients found in the label.", field="ingredients")
    return tuple(tokens)


class _Hints:
    """Words a section regex needs, to skip the regex on the many labels without them.

    Plain ASCII labels only: there `str.lower()` and the regexes' IGNORECASE agree exactly, so
    a label without any of a regex's words cannot match it. Any other text runs every regex.
    """

    def __init__(self, text: str) -> None:
        self.lowered = text.lower() if text.isascii() else None

    def any(self, *words: str) -> bool:
        return self.lowered is None or any(word in self.lowered for word in words)


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


@functools.lru_cache(maxsize=65_536)  # the same few thousand names, written the same ways
def _token(raw: str, conditional: bool) -> Token | None:
    raw = raw.strip()
    if raw[:1] in _FOOTNOTE_MARK and _FOOTNOTE_WORDS.search(raw):
        return None  # the legend of a footnote: '*Certified Organic'
    raw = _INLINE_NOTE.sub("", raw)  # 'Limonene *antistatic agent' keeps 'Limonene'
    text = _trim(_QUANTITY.sub("", " ".join(raw.replace("\\\\", "\\").split())))
    if not text or not any(char.isalpha() for char in text) or text.casefold() in _UI_WORDS:
        return None
    return Token(text, _candidates(text), conditional)


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


def _candidates(text: str) -> tuple[str, ...]:
    """The whole name first, then without its parenthesis, then what the parenthesis holds."""
    names = [text]
    spaced = _GLUED_WORDS.sub(" ", text)
    if spaced != text:
        names.append(spaced)  # 'GlycerylCaprylate' lost its space
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


def slash_parts(token: Token) -> tuple[Token, ...]:
    """The names a token holds between its slashes: 'Water / Glycerin / Retinol'."""
    parts = (_token(part, token.conditional) for part in re.split(r"[/\\]", token.text))
    return tuple(part for part in parts if part is not None)


def join_tokens(first: Token, second: Token) -> Token:
    """One name the label broke in two: 'Cocamidopropyl' + 'Betaine', '2-Oleamido-1' + '3-…'."""
    glue = "," if first.text[-1:].isdigit() and second.text[:1].isdigit() else " "
    text = f"{first.text}{glue}{second.text}"
    return Token(text, _candidates(text), first.conditional)
