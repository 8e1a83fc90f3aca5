"""What the engine answers: an assessment of one thing on one day with its reasons, one
ingredient's result on a label, a product's verdict, a day's overview."""

from __future__ import annotations

from dataclasses import dataclass

from graph.index import Path
from graph.model import Concept, Level, Procedure, Rule
from graph.names import Match
from graph.order import Bound
from graph.roles import RoleReading


@dataclass(frozen=True, slots=True)
class Reason:
    rule: Rule
    path: Path  # iris from the thing assessed up to the rule's subject
    in_force: bool


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the rules of one procedure say about one thing on one day."""

    subject: Concept
    level: Level
    ok_from_day: int | None  # None: never okay again for this procedure
    reasons: tuple[Reason, ...]  # in force first, worst first
    disagreements: tuple[tuple[str, str], ...] = ()  # (subject iri, note): sources differ
    hour_note: str | None = None  # okay only once the hours of the deciding rules have passed


@dataclass(frozen=True, slots=True)
class IngredientResult:
    match: Match
    assessment: Assessment | None  # None when the token was not recognised
    position: int = 0  # 1-based place on the label
    bound: Bound | None = None  # what the label's order says of its amount
    reading: RoleReading | None = None  # a dual-use ingredient: in its trace role or active


@dataclass(frozen=True, slots=True)
class Verdict:
    procedure: Procedure
    day: int
    level: Level
    ok_from_day: int | None
    ingredients: tuple[IngredientResult, ...]
    product_type: Assessment | None
    unrecognized: tuple[str, ...]
    notes: tuple[str, ...]
    set_aside: tuple[str, ...] = ()  # claims, prose, codes: text read as not ingredients
    assumed: tuple[Assessment, ...] = ()  # product types assumed unless the user said otherwise
    cut_short: str | None = None  # the label says its list goes on unseen ('…', 'etc.')
    # restricted ingredients prose names that the list does not hold, as it wrote them
    in_passing: tuple[tuple[str, Assessment], ...] = ()


@dataclass(frozen=True, slots=True)
class DayOverview:
    procedure: Procedure
    day: int
    activities: tuple[Assessment, ...]
    classes: tuple[Assessment, ...]
    product_types: tuple[Assessment, ...]
    notes: tuple[str, ...]
