"""A list cut into its items: at its separators, outside the brackets that group part of a
name ('Aqua (Water)', '(CI 77491, CI 77492)'); a comma inside a name ('1,2-Hexanediol') stays."""

from __future__ import annotations

import re

SEPARATORS = ",;\n\t|•·●▪‧∙◦"  # bullets of every kind: '‧Solvent ‧Emollient'
SEPARATOR_CHARS = re.compile(f"[{re.escape(SEPARATORS)}]")
# A dash with a space each side: between a name and what is said of it ('Aqua - Solvent').
SPACED_DASH = re.compile(r"\s[-–—]\s")
# The comma of '1,2-Hexanediol' or of 'N,N-Bis(…)' is part of the name.
_NOT_DIGIT_COMMA = r"(?!(?<=\d,)\d)(?!(?<=\b[a-zA-Z],)[a-zA-Z]['’]?-)"
# A mark that separates a list.
LIST_MARK = re.compile(f"[{re.escape(SEPARATORS)}]{_NOT_DIGIT_COMMA}")
# A separator, or a bracket that does not group (see _grouping_brackets).
_SEPARATOR = re.compile(f"[{re.escape(SEPARATORS)}()\\[\\]]{_NOT_DIGIT_COMMA}")
_BRACKET = re.compile(r"[()\[\]]")


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
                if opener == "(":  # groups unless it holds a long list of 3 or more, or the
                    # whole text is a list within it: '(Aqua, Glycerin, Squalane)'
                    whole = not text[:start].strip() and not text[index + 1 :].strip(" .;")
                    groups = not (whole and SEPARATOR_CHARS.search(content)) and (
                        len(content) <= 60 or len(SEPARATOR_CHARS.findall(content)) < 3
                    )
                else:
                    groups = SEPARATOR_CHARS.search(content) is None
                if groups:
                    grouping.update((start, index))
    return grouping


def split_top_level(text: str) -> list[str]:
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
