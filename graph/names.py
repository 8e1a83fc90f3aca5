"""Which listed ingredient one token of a label names: exactly, as a synonym, by a name
pattern, or misspelt (docs/decisions/001-fuzzy-threshold.md)."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from graph.index import Knowledge
from graph.model import Concept
from graph.plants import common_name, part_omitted, restricting
from graph.spelling import FUZZY_THRESHOLD, closest_ingredient
from graph.tokens import (
    Token,
    has_top_level_slash,
    is_translation,
    normalize_name,
    ocr_fold,
    slash_parts,
)
from graph.translate import english_forms

VARIANT_SHARE = 80.0  # a slash part spelled this close to its known twin is the same name


@dataclass(frozen=True, slots=True)
class Match:
    token: Token
    ingredient: Concept | None  # an ingredient, or a name pattern; None: not recognised
    match: str | None  # "exact", "synonym", "pattern" or "fuzzy"
    read_as: str | None  # the name that was found
    score: float | None = None  # fuzzy matches: similarity 0-100
    ambiguous: tuple[Concept, ...] = ()  # close names in different classes: we will not guess


def names_the_same(text: str, known: Sequence[str]) -> bool:
    """A second name for what the known names name: a translation, an older spelling, or a
    plant's common name beside its botanical one."""
    return is_translation(text) or _variant(text, known) or common_name(text, known)


def _variant(text: str, known: Sequence[str]) -> bool:
    name = normalize_name(text)
    return any(
        OSA.normalized_similarity(name, normalize_name(other)) * 100 >= VARIANT_SHARE
        for other in known
    )


def not_read(found: Match) -> bool:
    return found.ingredient is None and not found.ambiguous


def by_list(found: Match) -> bool:
    return found.match in ("exact", "synonym")


def listed_match(knowledge: Knowledge, token: Token, names: Sequence[str]) -> Match | None:
    """The first of the token's names the lists have, exactly or as a synonym; no guessing."""
    for candidate in names:
        hit = knowledge.names.get(normalize_name(candidate))
        if hit is not None:
            return Match(token, knowledge.concepts[hit.iri], hit.match, candidate)
    return None


# Labels repeat the same few thousand names; a reading depends only on the token and the
# (immutable) knowledge, so each is worked out once.
@functools.lru_cache(maxsize=65_536)
def match_token(
    knowledge: Knowledge, token: Token, threshold: float = FUZZY_THRESHOLD, guess: bool = True
) -> Match:
    """The first stage that knows one of the token's candidate names wins; `guess` allows
    reading a misspelt name as the closest listed one."""
    english = english_forms(token.text)  # 'Acide glycolique': another name for Glycolic Acid
    tried = (*token.candidates, *english)
    listed = listed_match(knowledge, token, tried)
    if listed is not None and listed.match == "exact" and listed.read_as in english:
        return dataclasses.replace(listed, match="synonym")
    if listed is not None:
        return listed
    # A guess reads the token whole: guessing one name between its slashes would drop the
    # others ('Hydroxyethl Acrylate/Zorblaxin' is not a misspelt Hydroxyethyl Acrylate alone).
    sliced = has_top_level_slash(token.text)
    candidates = [candidate for candidate in tried if has_top_level_slash(candidate) or not sliced]
    names = [normalize_name(candidate) for candidate in candidates]
    for candidate, name in zip(candidates, names, strict=True):
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
            for candidate, name in zip(candidates, names, strict=True)
            if pattern.finds(name)
        ),
        None,
    )
    for name in names:
        plant = part_omitted(knowledge, name)  # 'Olea Europaea (Olive) Oil'
        found = None if plant is None else Match(token, plant, "synonym", plant.label)
        if found is not None and _agrees(knowledge, found, pattern_match):
            return found
    for candidate, name in zip(candidates, names, strict=True):
        if not guess:
            break
        found = _fuzzy(knowledge, token, candidate, name, threshold)
        if found is not None and (
            found.ingredient is None or _agrees(knowledge, found, pattern_match)
        ):
            return found
    twin = _guessed_twin(knowledge, token, threshold) if guess and sliced else None
    return twin or pattern_match or Match(token, None, None, None)


def _guessed_twin(knowledge: Knowledge, token: Token, threshold: float) -> Match | None:
    """Names between slashes, none listed, that are one ingredient misspelt twice or once
    beside its other name: 'Prunus Armeniaca Kernal Oil/Apricot Kernal Oil'."""
    reads = [match_token(knowledge, part, threshold) for part in slash_parts(token)]
    found = [read for read in reads if read.ingredient is not None and read.match != "pattern"]
    ingredients = {read.ingredient.iri for read in found if read.ingredient is not None}
    if len(ingredients) != 1:
        return None
    known = [read.ingredient.label for read in found if read.ingredient is not None]
    if any(read not in found and not names_the_same(read.token.text, known) for read in reads):
        return None
    weakest = min(found, key=lambda read: 100.0 if read.score is None else read.score)
    return dataclasses.replace(weakest, token=token)


def _agrees(knowledge: Knowledge, fuzzy: Match, pattern: Match | None) -> bool:
    """A close spelling wins over a name pattern that restricts only when it lies in the
    pattern's classes; a pattern that only hints ('a plant extract') never stops it."""
    if pattern is None or pattern.ingredient is None or fuzzy.ingredient is None:
        return True
    if not restricting(knowledge, pattern.ingredient.iri):
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
