"""The compiled knowledge as plain, frozen Python values: what the engine compares."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from operator import attrgetter

_BEST_FIRST = ("recommended", "ok", "unknown", "caution", "avoid")
# A day range without an end ("from day 30 on") sorts and compares after every real day.
NO_END = 10**9


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of concept: its id (in URLs, JSON and lookups) and how pages name it."""

    id: str  # "product-type"
    word: str  # "product type": in a sentence
    heading: str  # "Products": above a plan's or a chart's rows


KINDS = {
    kind.id: kind
    for kind in (
        Kind("class", "ingredient class", "Ingredient classes"),
        Kind("ingredient", "ingredient", "Ingredients"),
        Kind("activity", "activity", "Activities"),
        Kind("product-type", "product type", "Products"),
        Kind("condition", "condition", "Conditions"),
        Kind("pattern", "name pattern", "Name patterns"),
    )
}
# The kinds a rule may be about, in the order the professional pages show them.
SUBJECT_KINDS = ("class", "ingredient", "activity", "product-type")
# Where one word names several kinds, the broader meaning comes first.
LOOKUP_ORDER = ("class", "activity", "product-type", "ingredient")
# The kinds a patient's plan has rows for, in the order a patient reads them.
PLAN_KINDS = ("activity", "product-type", "class", "ingredient")


class Level(Enum):
    """A verdict; declaration order is severity order, best first."""

    RECOMMENDED = "recommended"
    OK = "ok"
    UNKNOWN = "unknown"
    CAUTION = "caution"
    AVOID = "avoid"

    # Plain attributes, not properties: every check compares levels many times.
    severity: int
    restricts: bool  # whether this verdict keeps a patient from using or doing the thing

    def __init__(self, value: str) -> None:
        self.severity = _BEST_FIRST.index(value)
        self.restricts = value in ("caution", "avoid")


def worst(levels: list[Level], default: Level = Level.OK) -> Level:
    return max(levels, key=attrgetter("severity"), default=default)


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    notation: str
    title: str
    publisher: str | None
    year: str | None
    url: str | None
    grade: str
    decision: str | None = None  # a team decision: the path of its record in docs/decisions/

    @property
    def link(self) -> str | None:
        return self.url


@dataclass(frozen=True, slots=True)
class Concept:
    """A rule subject or condition: an ingredient, class, activity, product type or condition."""

    iri: str
    id: str
    kind: str  # "ingredient", "class", "activity", "product-type", "condition", "pattern"
    label: str
    alt_labels: tuple[str, ...]
    definition: str | None
    broader: tuple[str, ...]  # iris: classes for an ingredient, broader concepts otherwise
    implies: tuple[str, ...] = ()  # product type: class iris its products count as
    functions: tuple[str, ...] = ()  # ingredient: functions the EU CosIng inventory declares
    sources: tuple[str, ...] = ()  # source iris of a listed name; curated ingredients have none
    families: tuple[str, ...] = ()  # ingredient: family patterns that placed it in their classes

    @property
    def curated(self) -> bool:
        """Written by hand in knowledge/, not generated from an inventory that it cites."""
        return not self.sources


@dataclass(frozen=True, slots=True)
class LegalMaximum:
    """The most of an ingredient a law allows (EU 1223/2009 Annexes III, V, VI)."""

    percent: float
    product_type: str | None  # iri: holds only in products of this type; None: in every product
    only_as_preservative: bool  # caps only the preservative use: bounds nothing on a label
    entry: str  # annex and entry, e.g. "V/29"


@dataclass(frozen=True, slots=True)
class TraceRole:
    """What a dual-use ingredient does at low levels, and what keeps its active reading."""

    iri: str
    ingredient: str  # iri
    label: str  # "pH adjuster"
    role_class: str  # iri of the class it counts as in this role
    up_to_percent: float
    active_in_types: tuple[str, ...]  # product type iris
    active_with_classes: tuple[str, ...]  # class iris
    unbounded: Level | None  # cap when the label bounds nothing; OK: the role is assumed
    over_role: Level | None  # cap when bounded at 1 % but the role needs less
    within_role: Level | None  # cap when bounded within the role, where an active dose fits too
    active_in_first_share: float | None  # unbounded and in this first share of the list: active
    rationale: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    iri: str
    id: str
    notation: str
    procedure: str  # procedure id
    subject: str  # subject iri
    level: Level
    from_day: int
    until_day: int | None  # None: no end
    rationale: str
    sources: tuple[Source, ...]
    grade: str
    hours: int | None
    duration_from_source: bool
    until_healed: bool

    def covers(self, day: int) -> bool:
        return self.from_day <= day and (self.until_day is None or day <= self.until_day)

    @property
    def ok_from_day(self) -> int | None:
        # Ranges are inclusive: "for one week" is days 0-6, so it is fine again the day after.
        return None if self.until_day is None else self.until_day + 1


def okay_days(rules: Iterable[Rule]) -> list[int | None]:
    """The distinct days the restricting rules make a thing okay again, earliest first; None
    (not okay again after this procedure) last. Two or more: the sources disagree, and the
    engine follows the last."""
    found = {rule.ok_from_day for rule in rules if rule.level.restricts}
    return sorted(found, key=lambda day: NO_END if day is None else day)


def latest_okay_day(days: Iterable[int | None]) -> int | None:
    """The latest okay day; None (never) wins, and nothing to wait for is day 0."""
    days = list(days)
    if any(day is None for day in days):
        return None
    return max((day for day in days if day is not None), default=0)


@dataclass(frozen=True, slots=True)
class Phase:
    id: str
    label: str
    from_day: int
    until_day: int | None
    expect: str
    sources: tuple[Source, ...]

    def covers(self, day: int) -> bool:
        return self.from_day <= day and (self.until_day is None or day <= self.until_day)


@dataclass(frozen=True, slots=True)
class Contraindication:
    id: str
    condition: str  # condition id
    level: Level
    rationale: str
    sources: tuple[Source, ...]
    grade: str


@dataclass(frozen=True, slots=True)
class WarningSign:
    rank: int
    description: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Procedure:
    iri: str
    id: str
    label: str
    alt_labels: tuple[str, ...]
    description: str | None
    healed_from_day: int | None
    phases: tuple[Phase, ...]
    rules: tuple[Rule, ...]
    contraindications: tuple[Contraindication, ...]
    warning_signs: tuple[WarningSign, ...]

    def phase_on(self, day: int) -> Phase | None:
        """The most specific phase covering the day."""
        covering = [phase for phase in self.phases if phase.covers(day)]
        # the one that started last; of two that started together, the one ending first
        return max(
            covering,
            key=lambda phase: (
                phase.from_day,
                -(phase.until_day if phase.until_day is not None else NO_END),
            ),
            default=None,
        )
