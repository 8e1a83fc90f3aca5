"""Restricted ingredients a label's prose names in passing.

A sentence set aside as prose may name an ingredient the list does not hold: 'This serum
contains glycolic acid for a brighter complexion' pasted with part of a list. Counting it as
present would call 'avoid' on a product that only compares itself with it or sells another
('pair with our retinol night cream'); ignoring it would say 'okay' for what may hold it. So
such a name makes the answer unknown, and a note says what it would be if the product holds
it (decision 026). Only INCI names are looked for (not 'vitamin C', which names a family
the list may hold in another form), only those restricted on the day, and not in a sentence
that says the name is absent or sets the product against it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from graph.index import Knowledge
from graph.model import Concept, Procedure
from graph.prose import says_absent
from graph.tokens import PARENTHESIS, normalize_name
from graph.verdicts import Assessment

LONGEST_NAME_WORDS = 5  # of a name looked for in a sentence ('PEG-40 Hydrogenated Castor Oil')
_WORD = re.compile(r"[^\s,;:()\[\]\"“”!?]+")

Assess = Callable[[Knowledge, Procedure, Concept, int], Assessment]


def restricted_in_passing(
    knowledge: Knowledge,
    procedure: Procedure,
    day: int,
    sentences: Iterable[str],
    present: set[str],
    assess: Assess,
) -> list[tuple[str, Assessment]]:
    """(the name as the sentence writes it, its assessment) for each restricted ingredient
    the sentences name and the list does not hold (`present`: ingredient IRIs)."""
    found: dict[str, tuple[str, Assessment]] = {}
    for sentence in sentences:
        if says_absent(sentence):
            continue
        for text, ingredient in _names_in(knowledge, sentence):
            if ingredient.iri in present or ingredient.iri in found:
                continue
            assessment = assess(knowledge, procedure, ingredient, day)
            if assessment.level.restricts:
                found[ingredient.iri] = (text, assessment)
    return list(found.values())


def families_stated(
    knowledge: Knowledge,
    procedure: Procedure,
    day: int,
    text: str,
    held: set[str],
    assess: Assess,
) -> list[tuple[str, Assessment]]:
    """(what the label says, its assessment) for each restricted family or INCI name the
    label says the product holds and the list shows no member of (`held`: what it holds and
    its classes): 'This product contains an alpha hydroxy acid (AHA) that may increase your
    skin's sensitivity to the sun' (the US sunburn alert), 'Contains Vitamin A. Consider your
    daily intake before use.' (the EU's, Regulation 2024/996). Read in warnings too: what a
    label says it contains is never what to keep apart from it."""
    found: dict[str, tuple[str, Assessment]] = {}
    for statement in _STATED.finditer(text):
        what = statement.group("what").strip()
        bare = PARENTHESIS.sub(" ", what)
        for name in (what, bare, *PARENTHESIS.findall(what)):
            iri = _family_or_inci(knowledge, normalize_name(name))
            if iri is None:
                continue
            if iri not in held and iri not in found:
                assessment = assess(knowledge, procedure, knowledge.concepts[iri], day)
                if assessment.level.restricts:
                    found[iri] = (what, assessment)
            break
    return list(found.values())


def _family_or_inci(knowledge: Knowledge, key: str) -> str | None:
    """A family by its name ('vitamin A' is the retinoids), else an ingredient by its INCI name
    only, as in prose (decision 026)."""
    family = knowledge.keys.get(("class", key)) or knowledge.keys.get(("class", f"{key}s"))
    if family is not None:
        return family
    hit = knowledge.names.get(key)
    return hit.iri if hit is not None and hit.match == "exact" else None


# 'This product (night cream, …) contains an alpha hydroxy acid (AHA) that …', and a sentence
# that opens with 'Contains', as the warnings EU law asks for do ('Contains Vitamin A.',
# 'Contains thioglycolate.'): the product said to hold a family or an ingredient.
_STATED = re.compile(
    r"(?im)(?:\bthis\s+(?:[\w-]+\s+){1,2}?|(?:^|(?<=[.!?:]))[ \t]*)contains\s+(?:an?\s+)?"
    r"(?P<what>[^.,;:!?\n]{2,80}?)(?=\s+(?:that|which|and|to|as|at|in|for)\b|[.,;:!?\n]|$)"
)


def _names_in(knowledge: Knowledge, sentence: str) -> list[tuple[str, Concept]]:
    """The INCI names in a sentence, longest first where two overlap."""
    words = [word.strip(".'’") for word in _WORD.findall(sentence)]
    found, start = [], 0
    while start < len(words):
        for length in range(min(LONGEST_NAME_WORDS, len(words) - start), 0, -1):
            text = " ".join(words[start : start + length])
            hit = knowledge.names.get(normalize_name(text))
            if hit is not None and hit.match == "exact":
                found.append((text, knowledge.concepts[hit.iri]))
                start += length
                break
        else:
            start += 1
    return found
