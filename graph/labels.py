"""Split a pasted ingredient label into tokens, each with the names it may stand for."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from graph.errors import InvalidValue, LabelTooLong

MAX_LABEL_CHARS = 20_000  # the longest real labels, marketing copy included, are ~7,300

_HEADER = re.compile(
    r"(?i)\b(?:(?:active|inactive|other)\s+)?(?:ingredients?|ingrédients?|inci)\s*(?:list)?\s*[:\-–—]"
)
_MAY_CONTAIN = re.compile(r"(?i)\[?\s*(?:may\s+contain|peut\s+contenir|\+\s*/\s*-|±)\s*[:\-]?")
_SEPARATORS = ",;\n|•·●▪"
_QUANTITY = re.compile(
    r"\s*\(?\s*(?:<|≤)?\s*\d+(?:[.,]\d+)?\s*(?:%|ppm)\s*\)?", flags=re.IGNORECASE
)
_PARENTHESIS = re.compile(r"\(([^()]*)\)")
_EDGE_JUNK = " \t\"'`[]{}*†‡.:-–—"


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as the label wrote it, trimmed
    candidates: tuple[str, ...]  # names to look up, most specific first
    conditional: bool = False  # listed under "may contain"


def normalize_name(name: str) -> str:
    """The form names are compared in: no accents or case, one spacing."""
    decomposed = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    text = re.sub(r"[‐‑‒–—−]", "-", text).replace(".", " ")
    text = re.sub(r"\s*([-/])\s*", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_label(text: str, max_chars: int = MAX_LABEL_CHARS) -> tuple[Token, ...]:
    """Tokens in label order, each once; raises when the text cannot be a label."""
    if len(text) > max_chars:
        raise LabelTooLong(
            f"The label has {len(text):,} characters; the limit is {max_chars:,}.",
            field="ingredients",
        )
    text = unicodedata.normalize("NFC", text).replace("\r", "\n")
    headers = list(_HEADER.finditer(text))
    if headers:
        text = _HEADER.sub(",", text[headers[0].start() :])
    main, conditional = _split_may_contain(text)
    tokens: list[Token] = []
    seen: set[str] = set()
    for part, is_conditional in ((main, False), (conditional, True)):
        for raw in _split_top_level(part):
            token = _token(raw, is_conditional)
            if token and normalize_name(token.text) not in seen:
                seen.add(normalize_name(token.text))
                tokens.append(token)
    if not tokens:
        raise InvalidValue("No ingredients found in the label.", field="ingredients")
    return tuple(tokens)


def _split_may_contain(text: str) -> tuple[str, str]:
    marker = _MAY_CONTAIN.search(text)
    return (text, "") if marker is None else (text[: marker.start()], text[marker.end() :])


def _split_top_level(text: str) -> list[str]:
    """Split on separators outside brackets; a comma between digits (1,2-Hexanediol) stays."""
    parts: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(depth - 1, 0)
        elif char in _SEPARATORS and depth == 0:
            between_digits = (
                char == ","
                and 0 < index < len(text) - 1
                and text[index - 1].isdigit()
                and text[index + 1].isdigit()
            )
            if not between_digits:
                parts.append(text[start:index])
                start = index + 1
    parts.append(text[start:])
    return parts


def _token(raw: str, conditional: bool) -> Token | None:
    text = _QUANTITY.sub("", " ".join(raw.split())).strip(_EDGE_JUNK)
    if not text or not any(char.isalpha() for char in text):
        return None
    return Token(text=text, candidates=_candidates(text), conditional=conditional)


def _candidates(text: str) -> tuple[str, ...]:
    """The whole name first, then without its parenthesis, then what the parenthesis holds."""
    names = [text]
    inner = _PARENTHESIS.findall(text)
    if inner:
        names.append(_PARENTHESIS.sub(" ", text))
        names.extend(inner)
    for name in list(names):
        if "/" in name:
            names.extend(name.split("/"))
    cleaned = (" ".join(name.split()).strip(_EDGE_JUNK) for name in names)
    return tuple(dict.fromkeys(name for name in cleaned if name))
