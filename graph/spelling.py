"""Close spellings: which listed name a misspelt one stands for, and "did you mean".

Names are compared by the share of characters aligned (a swap of two neighbouring letters is
one slip), only against names of a length that can reach the threshold, so a guess costs about
a millisecond whatever was typed (docs/decisions/001-fuzzy-threshold.md)."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from graph.index import Knowledge
from graph.model import Concept
from graph.plants import restrictions
from graph.tokens import normalize_name

# Chosen by measurement on real labels: docs/decisions/001-fuzzy-threshold.md.
FUZZY_THRESHOLD = 90.0  # share of characters aligned, a swap of two neighbours one slip
FUZZY_MIN_CHARS = 6  # shorter names are one typo away from too many others
FUZZY_MAX_CHARS = 80  # longer text is a sentence or a chemical name, not a typo of a name
AMBIGUITY_MARGIN = 2.0  # two candidates this close in score are a tie
LONE_SLIP_ROOM = 2  # a short name's slip is read only when no other name is this near
EXTRA_SLIP_ROOM = 2  # a slip more than the share allows: no other name within this many more
SUGGESTION_THRESHOLD = 75.0


def closest_ingredient(
    knowledge: Knowledge,
    name: str,
    threshold: float = FUZZY_THRESHOLD,
    choices: Sequence[str] | None = None,
    metric: str = "osa-alike",
) -> tuple[Concept, float, tuple[Concept, ...]] | None:
    """The ingredient spelled closest to a normalised name, with any differently classed tie.

    Close means an alignment share (1 - slips / longer length, a swap of two neighbouring
    letters being one slip) of at least `threshold`; `metric="indel"` is the insert/delete
    ratio used before (docs/decisions/001-fuzzy-threshold.md compares them).
    """
    if not FUZZY_MIN_CHARS <= len(name) <= FUZZY_MAX_CHARS:
        return None
    found = _closest(knowledge, name, threshold, choices, metric != "indel")
    if found is not None or metric not in ("osa-lone", "osa-room", "osa-alike"):
        return found
    alike = metric == "osa-alike"
    allowed = int(len(name) * (1 - threshold / 100) + 1e-9)  # slips the share lets through
    if allowed == 0:  # too short for one slip to reach it
        lone = _lone_slip(knowledge, name, choices, 1, LONE_SLIP_ROOM - 1, alike)
    elif metric != "osa-lone":  # one slip more, all in one word
        lone = _lone_slip(knowledge, name, choices, allowed + 1, EXTRA_SLIP_ROOM, alike)
        lone = lone if lone is not None and _one_word_misspelt(name, lone[2]) else None
    else:
        lone = None
    return None if lone is None else (lone[0], lone[1], ())


def _lone_slip(
    knowledge: Knowledge,
    name: str,
    choices: Sequence[str] | None,
    slips: int,
    margin: int,
    alike: bool = True,
) -> tuple[Concept, float, str] | None:
    """A name `slips` slips from a listed name and from no other: within `margin` slips more
    there is only that one ingredient ('Gycerin', 'Cerbomer'; not 'Retinal', a slip from
    Retinol), or, when `alike`, only ingredients of the same classes restricted alike
    ('Triethanolmanie' beside Diethanolamine; not 'Salycilic Acid' beside Glycolic Acid).
    The ingredient, the alignment share and the listed name it is read as."""
    room = slips + margin
    # most names have no listed name within `slips`: that cheap search comes first
    close = _within(knowledge, name, choices, slips)
    one = {knowledge.names[other].iri for other, _ in close}
    if len(one) != 1:
        return None
    within = {knowledge.names[other].iri for other, _ in _within(knowledge, name, choices, room)}
    best = knowledge.concepts[one.pop()]
    rivals = within - {best.iri}
    if rivals and not (alike and all(_judged_alike(knowledge, best.iri, r) for r in rivals)):
        return None
    other, found = min(close, key=lambda pair: pair[1])
    return best, round(100 * (1 - found / max(len(name), len(other))), 1), other


def _judged_alike(knowledge: Knowledge, one: str, other: str) -> bool:
    """Two ingredients of the same classes that every rule, trace role and legal maximum
    treats alike: reading one for the other changes no answer."""
    classes = set(knowledge.lineage(one)) - {one}
    return classes == set(knowledge.lineage(other)) - {other} and restrictions(
        knowledge, one
    ) == restrictions(knowledge, other)


def _within(
    knowledge: Knowledge, name: str, choices: Sequence[str] | None, slips: int
) -> list[tuple[str, int]]:
    """Listed names at most `slips` slips from the name, with their slips."""
    if choices is None:
        names, starts = _by_length(knowledge)
        low, high = max(0, len(name) - slips), len(name) + slips + 1
        choices = names[starts[min(low, len(starts) - 1)] : starts[min(high, len(starts) - 1)]]
    found = process.extract(name, choices, scorer=OSA.distance, score_cutoff=slips, limit=None)
    return [(other, int(distance)) for other, distance, _ in found]


def _one_word_misspelt(written: str, listed: str) -> bool:
    """The slips lie in one long word that keeps its first letter ('Xanthum Gum'): not in the
    short words that tell plant parts and products apart ('leaf', 'root', 'peel', 'oil'), not
    spread over two words ('Behenyl Trimethyl …' is not 'Benzyl Triethyl …')."""
    words, names = written.split(), listed.split()
    if len(words) != len(names):
        return False
    differ = [(word, name) for word, name in zip(words, names, strict=True) if word != name]
    return len(differ) == 1 and len(differ[0][1]) > 5 and differ[0][0][0] == differ[0][1][0]


def _closest(
    knowledge: Knowledge, name: str, threshold: float, choices: Sequence[str] | None, osa: bool
) -> tuple[Concept, float, tuple[Concept, ...]] | None:
    found = [
        (other, score * 100 if osa else score, index)
        for other, score, index in process.extract(
            name,
            _near_lengths(knowledge, len(name), threshold, osa) if choices is None else choices,
            scorer=OSA.normalized_similarity if osa else fuzz.ratio,
            limit=5,
            score_cutoff=threshold / 100 if osa else threshold,
        )
    ]
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


def _near_lengths(
    knowledge: Knowledge, length: int, threshold: float, osa: bool = True
) -> Sequence[str]:
    """Only names whose length allows the threshold: for the alignment score every missing
    character is an edit (1 - edits / longer length); for the ratio, 2·matches / both lengths."""
    share = threshold / 100
    if osa:
        shortest, longest = int(length * share), int(length / share) + 1
    else:
        shortest = int(length * share / (2 - share))
        longest = int(length * (2 - share) / share) + 1
    names, starts = _by_length(knowledge)
    first = starts[min(shortest, len(starts) - 1)]
    last = starts[min(longest + 1, len(starts) - 1)]
    return names[first:last]


@functools.cache
def _by_length(knowledge: Knowledge) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Every name ordered by length, and where each length starts: a window is one slice."""
    names = tuple(
        name
        for size in sorted(knowledge.names_by_length)
        for name in knowledge.names_by_length[size]
    )
    longest = max(knowledge.names_by_length, default=0) + 2
    starts, index = [], 0
    for size in range(longest + 1):
        starts.append(index)
        index += len(knowledge.names_by_length.get(size, ()))
    return names, tuple(starts)


@functools.lru_cache(maxsize=4_096)  # a name we do not know comes back on other labels
def suggest(knowledge: Knowledge, text: str, limit: int = 3) -> tuple[Concept, ...]:
    """Ingredients whose names are close to what was typed: 'did you mean …'.

    Only names of a length that can reach the score are compared, so a suggestion costs about
    a millisecond whatever was typed; prose and very long text get none.
    """
    name = normalize_name(text)
    if not name or len(name) > FUZZY_MAX_CHARS:
        return ()
    found = process.extract(
        name,
        _near_lengths(knowledge, len(name), SUGGESTION_THRESHOLD, osa=False),
        scorer=fuzz.ratio,
        limit=limit * 3,
        score_cutoff=SUGGESTION_THRESHOLD,
    )
    concepts = [knowledge.concepts[knowledge.names[other].iri] for other, _, _ in found]
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
