"""Recognise a label token as an ingredient of the knowledge."""

from __future__ import annotations

from dataclasses import dataclass

from graph.index import Knowledge
from graph.labels import Token, normalize_name
from graph.model import Concept


@dataclass(frozen=True, slots=True)
class Match:
    token: Token
    ingredient: Concept | None  # None: not recognised
    match: str | None  # "exact" or "synonym"
    read_as: str | None  # the candidate name that was found


def match_token(knowledge: Knowledge, token: Token) -> Match:
    """The first of the token's candidate names that the name index knows."""
    for candidate in token.candidates:
        hit = knowledge.names.get(normalize_name(candidate))
        if hit is not None:
            return Match(token, knowledge.concepts[hit.iri], hit.match, candidate)
    return Match(token, None, None, None)


def search_ingredients(knowledge: Knowledge, query: str, limit: int) -> list[Concept]:
    """Ingredients whose name or synonym starts with the query, then those containing it."""
    wanted = normalize_name(query)
    if not wanted:
        return []
    starts: dict[str, None] = {}
    contains: dict[str, None] = {}
    for name, hit in sorted(knowledge.names.items()):
        if name.startswith(wanted):
            starts[hit.iri] = None
        elif wanted in name:
            contains[hit.iri] = None
    ranked = list(dict.fromkeys([*starts, *contains]))[:limit]
    return [knowledge.concepts[iri] for iri in ranked]
