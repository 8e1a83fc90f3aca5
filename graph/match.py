"""Recognise a label token: exact INCI name, synonym, name pattern, then a close spelling."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from graph.index import Knowledge
from graph.labels import (
    Token,
    after_bracket,
    ampersand_parts,
    join_tokens,
    normalize_name,
    ocr_fold,
    slash_parts,
)
from graph.model import Concept

# Chosen by measurement on real labels: docs/decisions/001-fuzzy-threshold.md.
FUZZY_THRESHOLD = 92.0
FUZZY_MIN_CHARS = 6  # shorter names are one typo away from too many others
FUZZY_MAX_CHARS = 80  # longer text is a sentence or a chemical name, not a typo of a name
AMBIGUITY_MARGIN = 2.0  # two candidates this close in score are a tie
SUGGESTION_THRESHOLD = 75.0


@dataclass(frozen=True, slots=True)
class Match:
    token: Token
    ingredient: Concept | None  # an ingredient, or a name pattern; None: not recognised
    match: str | None  # "exact", "synonym", "pattern" or "fuzzy"
    read_as: str | None  # the name that was found
    score: float | None = None  # fuzzy matches: similarity 0-100
    ambiguous: tuple[Concept, ...] = ()  # close names in different classes: we will not guess


def match_tokens(knowledge: Knowledge, tokens: tuple[Token, ...]) -> list[Match]:
    """Match every token; a name the label broke in two is put back together."""
    if len(tokens) == 1 and _slash_list(knowledge, tokens[0]):
        tokens = slash_parts(tokens[0])
    tokens = tuple(part for token in tokens for part in _lost_comma(knowledge, token))
    singles = [match_token(knowledge, token) for token in tokens]
    listed = [_listed(found) for found in singles]
    matches: list[Match] = []
    index = 0
    while index < len(tokens):
        if index + 1 < len(tokens) and not (listed[index] and listed[index + 1]):
            both = join_tokens(tokens[index], tokens[index + 1])
            # Only the joined name as a whole: a part of it ('Aqua' in 'Water (Aqua) Zorbitol')
            # would swallow the unknown neighbour and call the label okay.
            joined = _listed_match(knowledge, both, (both.text,))
            if joined is not None:
                matches.append(joined)
                index += 2
                continue
        matches.append(singles[index])
        index += 1
    return matches


def _lost_comma(knowledge: Knowledge, token: Token) -> tuple[Token, ...]:
    """Names that lost their commas ('Aqua (Water) Retinol', 'Aqua & Retinol') when the token
    is no listed name and every part reads as one; otherwise the token as it is."""
    if _listed(match_token(knowledge, token)):
        return (token,)
    for parts in (after_bracket(token), ampersand_parts(token)):
        if parts and all(_listed(match_token(knowledge, part)) for part in parts):
            return parts
    return (token,)


def _slash_list(knowledge: Knowledge, token: Token) -> bool:
    """A whole label with slashes that reads as none of its slash names is a list
    ('Glycerin/Retinol'): read as one name, its first listed part would hide the rest."""
    if not any(slash in token.text for slash in "/\\"):
        return False
    read_as = match_token(knowledge, token).read_as
    return read_as is None or not any(slash in read_as for slash in "/\\")


def _listed(found: Match) -> bool:
    return found.match in ("exact", "synonym")


def _listed_match(knowledge: Knowledge, token: Token, names: Sequence[str]) -> Match | None:
    """The first of the token's names the lists have, exactly or as a synonym; no guessing."""
    for candidate in names:
        hit = knowledge.names.get(normalize_name(candidate))
        if hit is not None:
            return Match(token, knowledge.concepts[hit.iri], hit.match, candidate)
    return None


# Labels repeat the same few thousand names; a reading depends only on the token and the
# (immutable) knowledge, so each is worked out once.
@functools.lru_cache(maxsize=65_536)
def match_token(knowledge: Knowledge, token: Token, threshold: float = FUZZY_THRESHOLD) -> Match:
    """The first stage that knows one of the token's candidate names wins."""
    listed = _listed_match(knowledge, token, token.candidates)
    if listed is not None:
        return listed
    names = [normalize_name(candidate) for candidate in token.candidates]
    for candidate, name in zip(token.candidates, names, strict=True):
        lookalike = knowledge.lookalikes.get(ocr_fold(name))
        if lookalike is not None:
            score = round(fuzz.ratio(name, lookalike), 1)
            return Match(
                token, knowledge.concepts[knowledge.names[lookalike].iri], "fuzzy", candidate, score
            )
    pattern_match = next(
        (
            Match(token, pattern.concept, "pattern", candidate)
            for pattern in knowledge.patterns
            for candidate, name in zip(token.candidates, names, strict=True)
            if pattern.finds(name)
        ),
        None,
    )
    for candidate, name in zip(token.candidates, names, strict=True):
        found = _fuzzy(knowledge, token, candidate, name, threshold)
        if found is not None and (
            found.ingredient is None or _agrees(knowledge, found, pattern_match)
        ):
            return found
    return pattern_match or Match(token, None, None, None)


def _agrees(knowledge: Knowledge, fuzzy: Match, pattern: Match | None) -> bool:
    """A close spelling wins over a name pattern only when it lies in the pattern's classes."""
    if pattern is None or pattern.ingredient is None or fuzzy.ingredient is None:
        return True
    lineage = knowledge.lineage(fuzzy.ingredient.iri)
    return all(cls in lineage for cls in pattern.ingredient.broader)


def _fuzzy(
    knowledge: Knowledge, token: Token, candidate: str, name: str, threshold: float
) -> Match | None:
    closest = closest_ingredient(knowledge, name, threshold)
    if closest is None:
        return None
    best, score, ties = closest
    if ties:
        return Match(token, None, None, None, score, (best, *ties))
    return Match(token, best, "fuzzy", candidate, round(score, 1))


def closest_ingredient(
    knowledge: Knowledge,
    name: str,
    threshold: float = FUZZY_THRESHOLD,
    choices: Sequence[str] | None = None,
) -> tuple[Concept, float, tuple[Concept, ...]] | None:
    """The ingredient spelled closest to a normalised name, with any differently classed tie."""
    if len(name) < FUZZY_MIN_CHARS:
        return None
    if len(name) > FUZZY_MAX_CHARS:
        return None
    found = process.extract(
        name,
        _near_lengths(knowledge, len(name), threshold) if choices is None else choices,
        scorer=fuzz.ratio,
        limit=5,
        score_cutoff=threshold,
    )
    if not found:
        return None
    best_name, best_score, _ = found[0]
    best = knowledge.concepts[knowledge.names[best_name].iri]
    classes = set(knowledge.lineage(best.iri)) - {best.iri}
    ties = tuple(
        dict.fromkeys(
            rival
            for other, score, _ in found[1:]
            if best_score - score <= AMBIGUITY_MARGIN
            and (rival := knowledge.concepts[knowledge.names[other].iri]).iri != best.iri
            and set(knowledge.lineage(rival.iri)) - {rival.iri} != classes
        )
    )
    return best, best_score, ties


def _near_lengths(knowledge: Knowledge, length: int, threshold: float) -> list[str]:
    """Only names whose length allows the threshold: ratio = 2·matches / (len a + len b)."""
    share = threshold / 100
    shortest = int(length * share / (2 - share))
    longest = int(length * (2 - share) / share) + 1
    return [
        name
        for size in range(shortest, longest + 1)
        for name in knowledge.names_by_length.get(size, ())
    ]


@functools.lru_cache(maxsize=4_096)  # a name we do not know comes back on other labels
def suggest(knowledge: Knowledge, text: str, limit: int = 3) -> tuple[Concept, ...]:
    """Ingredients whose names are close to what was typed: 'did you mean …'."""
    found = process.extract(
        normalize_name(text),
        knowledge.name_list,
        scorer=fuzz.WRatio,
        limit=limit * 3,
        score_cutoff=SUGGESTION_THRESHOLD,
    )
    concepts = [knowledge.concepts[knowledge.names[name].iri] for name, _, _ in found]
    return tuple(dict.fromkeys(concepts))[:limit]


def search_ingredients(knowledge: Knowledge, query: str, limit: int) -> list[Concept]:
    """Ingredients whose name starts with the query, then contain it, then sound close."""
    wanted = normalize_name(query)
    if not wanted:
        return []
    names = knowledge.name_list  # sorted: the names starting with the query are side by side
    starts: dict[str, None] = {}
    index = bisect.bisect_left(names, wanted)
    while index < len(names) and names[index].startswith(wanted):
        starts[knowledge.names[names[index]].iri] = None
        index += 1
    contains: dict[str, None] = {}
    if len(starts) < limit:  # only then can a name that merely contains it make the list
        for name in names:
            if wanted in name and not name.startswith(wanted):
                contains[knowledge.names[name].iri] = None
    ranked = [knowledge.concepts[iri] for iri in dict.fromkeys([*starts, *contains])]
    if len(ranked) < limit:
        ranked += [concept for concept in suggest(knowledge, query, limit) if concept not in ranked]
    return ranked[:limit]
