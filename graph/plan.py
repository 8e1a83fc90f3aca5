"""A procedure's recovery plan in real dates: what is restricted when, and the .ics of it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from graph.engine import assess
from graph.index import Knowledge
from graph.model import PLAN_KINDS, Level, Procedure, worst
from graph.verdicts import Assessment

MIN_HORIZON_DAYS = 14
MAX_HORIZON_DAYS = 364  # a year: a longer restriction is drawn as running off the end


@dataclass(frozen=True, slots=True)
class Segment:
    """Consecutive days on which a subject is restricted at one level."""

    from_day: int
    until_day: int | None  # None: no end for this procedure
    level: Level


@dataclass(frozen=True, slots=True)
class Restriction:
    """One activity, product type, class or ingredient the procedure restricts."""

    assessment: Assessment
    segments: tuple[Segment, ...]

    @property
    def label(self) -> str:
        return self.assessment.subject.label

    @property
    def kind(self) -> str:
        return self.assessment.subject.kind

    @property
    def ok_from_day(self) -> int | None:
        return self.assessment.ok_from_day

    @property
    def level(self) -> Level:
        return worst([segment.level for segment in self.segments])

    @property
    def deciding_sources(self) -> tuple[str, ...]:
        """Codes of the rules that set the okay day (the most cautious sources)."""
        rules = [
            reason.rule
            for reason in self.assessment.reasons
            if reason.rule.level.restricts and reason.rule.ok_from_day == self.ok_from_day
        ]
        return tuple(dict.fromkeys(rule.notation for rule in rules))


@dataclass(frozen=True, slots=True)
class Milestone:
    """A day from which some things are okay again."""

    day: int
    restrictions: tuple[Restriction, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    procedure: Procedure
    start: date | None  # the procedure day (day 0), when the person gave it
    today: int | None  # the day number of today, when it is day 0 or later
    restrictions: tuple[Restriction, ...]
    horizon: int  # the calendar shows days 0 .. horizon - 1

    def date_of(self, day: int) -> date | None:
        return None if self.start is None else self.start + timedelta(days=day)

    @property
    def milestones(self) -> tuple[Milestone, ...]:
        by_day: dict[int, list[Restriction]] = {}
        for restriction in self.restrictions:
            if restriction.ok_from_day is not None:
                by_day.setdefault(restriction.ok_from_day, []).append(restriction)
        return tuple(Milestone(day, tuple(found)) for day, found in sorted(by_day.items()))

    @property
    def never_okay(self) -> tuple[Restriction, ...]:
        return tuple(r for r in self.restrictions if r.ok_from_day is None)


def format_date(day: date, with_year: bool = False) -> str:
    """A date as a person reads it: Tue 1 Dec (2026)."""
    return f"{day:%a} {day.day} {day:%b}" + (f" {day.year}" if with_year else "")


def group_by_okay_day(
    assessed: Iterable[Mapping[str, Any]],
) -> list[tuple[str, int | None, list[str]]]:
    """Assessed things (day JSON) as (verdict, okay day, labels): worst, then soonest, first."""
    groups: dict[tuple[str, int | None], list[str]] = {}
    for item in assessed:
        restricted = Level(item["verdict"]).restricts
        key = (item["verdict"], item["ok_from_day"] if restricted else None)
        groups.setdefault(key, []).append(item["label"])
    order = sorted(
        groups,
        key=lambda key: (
            -Level(key[0]).severity,
            key[1] if key[1] is not None else MAX_HORIZON_DAYS + 1,
        ),
    )
    return [(verdict, day, groups[(verdict, day)]) for verdict, day in order]


def build_plan(
    knowledge: Knowledge, procedure_key: str, start: date | None, today: int | None = None
) -> Plan:
    """Every subject the procedure restricts, with the days it is restricted on."""
    procedure = knowledge.procedure(procedure_key)
    restrictions = []
    for iri in dict.fromkeys(rule.subject for rule in procedure.rules if rule.level.restricts):
        concept = knowledge.concepts[iri]
        if concept.kind in PLAN_KINDS:
            assessment = assess(knowledge, procedure, concept, 0)
            restriction = Restriction(assessment, _segments(assessment))
            restrictions.append((PLAN_KINDS.index(concept.kind), restriction))
    restrictions.sort(
        key=lambda item: (
            item[0],
            item[1].ok_from_day if item[1].ok_from_day is not None else MAX_HORIZON_DAYS + 1,
            item[1].label.lower(),
            item[1].assessment.subject.iri,
        )
    )
    ordered = tuple(restriction for _, restriction in restrictions)
    today = today if today is not None and today >= 0 else None
    return Plan(procedure, start, today, ordered, _horizon(procedure, ordered, today))


def _segments(assessment: Assessment) -> tuple[Segment, ...]:
    rules = [reason.rule for reason in assessment.reasons if reason.rule.level.restricts]
    ends = [rule.until_day for rule in rules if rule.until_day is not None]
    # Past the last finite end only the open-ended rules are left, so one more day tells all.
    last = max([*ends, *(rule.from_day for rule in rules)], default=0) + 1
    segments: list[Segment] = []
    for day in range(last + 1):
        in_force = [rule.level for rule in rules if rule.covers(day)]
        level = worst(in_force) if in_force else None
        previous = segments[-1] if segments else None
        if level is None:
            continue
        if previous is not None and previous.level is level and previous.until_day == day - 1:
            segments[-1] = Segment(previous.from_day, day, level)
        else:
            segments.append(Segment(day, day, level))
    if segments and segments[-1].until_day == last and any(r.until_day is None for r in rules):
        segments[-1] = Segment(segments[-1].from_day, None, segments[-1].level)
    return tuple(segments)


def _horizon(procedure: Procedure, restrictions: tuple[Restriction, ...], today: int | None) -> int:
    """Whole weeks covering every okay day, every phase start and today, within limits."""
    days = [MIN_HORIZON_DAYS]
    days += [r.ok_from_day + 1 for r in restrictions if r.ok_from_day is not None]
    # An open-ended phase gets a week of its own, so its bar is seen to run on.
    days += [
        phase.from_day + (1 if phase.until_day is not None else 7) for phase in procedure.phases
    ]
    days += [phase.until_day + 2 for phase in procedure.phases if phase.until_day is not None]
    if today is not None and today < MAX_HORIZON_DAYS:
        days.append(today + 1)
    weeks = -(-max(days) // 7)
    return min(weeks * 7, MAX_HORIZON_DAYS)


def _ics_line(restriction: Restriction) -> str:
    sources = ", ".join(restriction.deciding_sources)
    return f"- {restriction.label} ({restriction.level.value} until then; rules {sources})"


def plan_ics(plan: Plan, stamp: datetime | None = None) -> bytes:
    """One all-day event per date from which things are okay again, today's and later ones:
    a calendar gains nothing from reminders already past."""
    if plan.start is None:
        raise ValueError("An .ics needs the procedure date.")
    from icalendar import Calendar, Event  # only the .ics needs it: start-up skips its import

    calendar = Calendar()
    calendar.add("prodid", "-//Aftercare Checker//aftercare plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Aftercare: {plan.procedure.label}")
    stamp = stamp or datetime.now(UTC)
    for milestone in plan.milestones:
        if plan.today is not None and milestone.day < plan.today:
            continue
        day = plan.start + timedelta(days=milestone.day)
        labels = [restriction.label for restriction in milestone.restrictions]
        shown = ", ".join(labels[:4]) + (f" and {len(labels) - 4} more" if len(labels) > 4 else "")
        event = Event()
        event.add(
            "uid", f"{plan.procedure.id}-{plan.start.isoformat()}-day-{milestone.day}@aftercare"
        )
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("summary", f"Okay again (day {milestone.day}): {shown}")
        event.add(
            "description",
            "\n".join(
                [
                    f"Day {milestone.day} after your {plan.procedure.label.lower()} on "
                    f"{format_date(plan.start, with_year=True)} (day 0 is the procedure day).",
                    "Okay again from today, by the most cautious source:",
                    *(_ics_line(restriction) for restriction in milestone.restrictions),
                    "Not medical advice: follow your clinician's instructions. Call your "
                    "clinician about bleeding, bruising, signs of infection or peeling.",
                ]
            ),
        )
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
