"""Recognise a label token: exact INCI name, synonym, name pattern, then a close spelling."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from graph.index import Knowledge
from graph.labels import Token, join_tokens, normalize_name
from graph.model import Concept

# Chosen by measurement on real labels: docs/decisions/001-fuzzy-threshold.md.
FUZZY_THRESHOLD = 90.0
FUZZY_MIN_CHARS = 6  # shorter names are one typo away from too many others
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
    matches: list[Match] = []
    index = 0
    while index < len(tokens):
        found = match_token(knowledge, tokens[index])
        if index + 1 < len(tokens):
            following = match_token(knowledge, tokens[index + 1])
            if not (_listed(found) and _listed(following)):
                joined = match_token(knowledge, join_tokens(tokens[index], tokens[index + 1]))
                if _listed(joined):
                    matches.append(joined)
                    index += 2
                    continue
        matches.append(found)
        index += 1
    return matches


def _listed(found: Match) -> bool:
    return found.match in ("exact", "synonym")


def match_token(knowledge: Knowledge, token: Token, threshold: float = FUZZY_THRESHOLD) -> Match:
    """The first stage that knows one of the token's candidate names wins."""
    names = [normalize_name(candidate) for candidate in token.candidates]
    for candidate, name in zip(token.candidates, names, strict=True):
        hit = knowledge.names.get(name)
        if hit is not None:
            return Match(token, knowledge.concepts[hit.iri], hit.match, candidate)
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
    if len(name) < FUZZY_MIN_CHARS:
        return None
    found = process.extract(
        name, knowledge.name_list, scorer=fuzz.ratio, limit=5, score_cutoff=threshold
    )
    if not found:
        return None
    best_name, best_score, _ = found[0]
    best = knowledge.concepts[knowledge.names[best_name].iri]
    rivals = [
        knowledge.concepts[knowledge.names[other].iri]
        for other, score, _ in found[1:]
        if best_score - score <= AMBIGUITY_MARGIN
    ]
    classes = set(knowledge.lineage(best.iri)) - {best.iri}
    differing = tuple(
        rival
        for rival in rivals
        if rival.iri != best.iri and set(knowledge.lineage(rival.iri)) - {rival.iri} != classes
    )
    if differing:
        return Match(token, None, None, None, best_score, (best, *differing))
    return Match(token, best, "fuzzy", candidate, round(best_score, 1))


def suggest(knowledge: Knowledge, text: str, limit: int = 3) -> list[Concept]:
    """Ingredients whose names are close to what was typed: 'did you mean …'."""
    found = process.extract(
        normalize_name(text),
        knowledge.name_list,
        scorer=fuzz.WRatio,
        limit=limit * 3,
        score_cutoff=SUGGESTION_THRESHOLD,
    )
    concepts = [knowledge.concepts[knowledge.names[name].iri] for name, _, _ in found]
    return list(dict.fromkeys(concepts))[:limit]


def search_ingredients(knowledge: Knowledge, query: str, limit: int) -> list[Concept]:
    """Ingredients whose name starts with the query, then contain it, then sound close."""
    wanted = normalize_name(query)
    if not wanted:
        return []
    starts: dict[str, None] = {}
    contains: dict[str, None] = {}
    for name in knowledge.name_list:
        if name.startswith(wanted):
            starts[knowledge.names[name].iri] = None
        elif wanted in name:
            contains[knowledge.names[name].iri] = None
    ranked = [knowledge.concepts[iri] for iri in dict.fromkeys([*starts, *contains])]
    if len(ranked) < limit:
        ranked += [concept for concept in suggest(knowledge, query, limit) if concept not in ranked]
    return ranked[:limit]
