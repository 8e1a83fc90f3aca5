"""What a label's order tells: after an ingredient the law caps at 1 % or less, all is at most 1 %.

EU Regulation 1223/2009 Art. 19(1)(g) and US 21 CFR 701.3 list ingredients above 1 % in
descending order; those at 1 % or less may follow in any order. So an ingredient listed after
one whose legal maximum is at most 1 % is itself at most 1 %: either it sits in the descending
part, below the capped one, or in the free-order tail. Colourants may be listed in any order
whatever their amount (the knowledge marks their classes ac:outsideLabelOrder), "may contain"
shades are colourants too, and a US drug-facts panel lists its actives apart, with their
amounts: none of these is bounded, nor a name only a blurb mentions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph.index import Knowledge
from graph.model import Concept
from graph.names import Match

ORDER_BOUND_PERCENT = 1.0  # the threshold of Art. 19(1)(g) and 21 CFR 701.3
ALPHABETICAL_MIN_NAMES = 8  # a list this long in alphabetical order was sorted, not weighed


@dataclass(frozen=True, slots=True)
class Place:
    """Where a token stands among the label's ingredients that follow the weight order."""

    rank: int  # 1-based among them
    of: int  # how many there are
    bound: Bound | None  # what the order says of its amount


@dataclass(frozen=True, slots=True)
class Bound:
    percent: float  # the ingredient is at most this
    marker: Concept  # the ingredient whose legal maximum sets the bound
    marker_max: float  # that legal maximum, in percent


def ceiling(knowledge: Knowledge, iri: str, product_type: Concept | None) -> float | None:
    """The most of an ingredient the law allows in this product; None when nothing caps it.

    A maximum that binds only the preservative use caps nothing: another use may exceed it.
    With a known product type only the maxima for that type (or for every product) count;
    without one, the highest maximum of any type does.
    """
    limits = [m for m in knowledge.legal_maxima.get(iri, ()) if not m.only_as_preservative]
    if product_type is not None:
        lineage = knowledge.lineage(product_type.iri)
        typed = [m for m in limits if m.product_type is None or m.product_type in lineage]
        limits = typed or limits
    return max((m.percent for m in limits), default=None)


def label_order(
    knowledge: Knowledge, matches: Sequence[Match], product_type: Concept | None
) -> list[Place | None]:
    """For each matched token in label order: its place in the weight order, with the bound
    the order puts on its amount; None for tokens outside the order or for a sorted list."""
    places: list[Place | None] = [None] * len(matches)
    in_order = [
        index
        for index, found in enumerate(matches)
        if not (found.token.conditional or found.token.active or found.token.mentioned)
        and not _outside_order(knowledge, found)
    ]
    if _alphabetical([matches[index] for index in in_order]):
        return places
    marker: Bound | None = None
    for rank, index in enumerate(in_order, start=1):
        found = matches[index]
        places[index] = Place(rank, len(in_order), marker)
        if marker is not None or found.ingredient is None:
            continue
        if found.match not in ("exact", "synonym"):
            continue  # a bound resting on a guessed name could soften an answer wrongly
        most = ceiling(knowledge, found.ingredient.iri, product_type)
        if most is not None and most <= ORDER_BOUND_PERCENT:
            marker = Bound(ORDER_BOUND_PERCENT, found.ingredient, most)
    return places


def _outside_order(knowledge: Knowledge, found: Match) -> bool:
    if found.ingredient is None:
        return False
    return not knowledge.outside_order.isdisjoint(knowledge.lineage(found.ingredient.iri))


def _alphabetical(matches: Sequence[Match]) -> bool:
    """Some lists (US drug-facts inactive ingredients among them) are sorted by name."""
    names = [found.token.text.casefold() for found in matches]
    return len(names) >= ALPHABETICAL_MIN_NAMES and names == sorted(names)
