"""How a dual-use ingredient is read on one label: in its trace role, or as the active it can be.

The knowledge gives each role its limit and what keeps the active reading (knowledge/roles.ttl,
team decision 005); this module only compares a label against it, in this order: the product
type, the rest of the label, the bound the label's order puts on the ingredient.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from graph.index import Knowledge
from graph.model import Concept, Level, TraceRole
from graph.order import Bound, Place


@dataclass(frozen=True, slots=True)
class RoleReading:
    role: TraceRole
    assumed: bool  # read in its trace role; False: read as the active its classes name
    cap: Level | None  # the active's restrictions softened to at most this
    reason: str  # why, in plain words


def read_role(
    knowledge: Knowledge,
    role: TraceRole,
    place: Place | None,
    product_type: Concept | None,
    other_classes: Set[str],
    stated: float | None = None,
) -> RoleReading:
    """`stated`: the percent the label prints beside the name ('Citric Acid 10%'), if any; a
    label prints the amount of what it sells as an active, so a small one softens nothing."""
    name = knowledge.concepts[role.ingredient].label
    if product_type is not None:
        lineage = knowledge.lineage(product_type.iri)
        if any(kind in lineage for kind in role.active_in_types):
            return RoleReading(
                role, False, None, f"in a product of type {product_type.label} it is the active"
            )
    for cls in role.active_with_classes:
        if cls in other_classes:
            label = knowledge.concepts[cls].label.lower()
            return RoleReading(role, False, None, f"the label also lists {label}")
    if stated is not None and stated > role.up_to_percent:  # not a bound: what it holds
        said = f"the label states {stated:g} %, more than the {role.up_to_percent:g} %"
        return RoleReading(role, False, None, f"{said} a {role.label} needs")
    bound = place.bound if place is not None else None
    if bound is not None and bound.percent <= role.up_to_percent:
        if role.within_role is not None:
            reason = f"{_bound_words(bound)}: as little as a {role.label} needs, but enough to act"
            return _capped(role, role.within_role, reason)
        return RoleReading(role, True, None, _bound_words(bound))
    if bound is not None:
        reason = (
            f"{_bound_words(bound)}, more than the {role.up_to_percent:g} % a {role.label} "
            "needs, so it may still act"
        )
        return _capped(role, role.over_role, reason)
    if role.active_in_first_share is not None and (
        place is None or place.rank - 1 <= place.of * role.active_in_first_share
    ):
        where = "" if place is None else f" {_ordinal(place.rank)} of {place.of},"
        return RoleReading(
            role,
            False,
            None,
            f"it is listed{where} among the first ingredients, which labels list by weight, "
            "and nothing before it caps its amount",
        )
    return _capped(role, role.unbounded, f"the label does not show how much {name} it holds")


def _capped(role: TraceRole, cap: Level | None, reason: str) -> RoleReading:
    if cap is None:
        return RoleReading(role, False, None, reason)
    if not cap.restricts:
        return RoleReading(role, True, None, f"{reason}, and nothing on it suggests another use")
    return RoleReading(role, False, cap, reason)


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _bound_words(bound: Bound) -> str:
    return (
        f"listed after {bound.marker.label}, which EU law caps at {bound.marker_max:g} %, "
        f"so at most {bound.percent:g} %"
    )
