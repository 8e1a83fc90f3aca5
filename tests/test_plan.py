"""The recovery plan: restriction spans, okay-again dates, the timeline geometry, the .ics."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from graph.engine import assess
from graph.index import Knowledge
from graph.model import Level
from graph.plan import build_plan, format_date, plan_ics
from graph.timeline import LEFT, WIDTH, layout_timeline

START = date(2026, 11, 20)


def test_format_date_reads_like_a_person_writes_it() -> None:
    assert format_date(date(2026, 12, 1)) == "Tue 1 Dec"
    assert format_date(date(2026, 12, 1), with_year=True) == "Tue 1 Dec 2026"


def test_plan_rows_agree_with_the_engine_on_every_okay_day(knowledge: Knowledge) -> None:
    for procedure in knowledge.procedures.values():
        plan = build_plan(knowledge, procedure.id, START)
        assert plan.restrictions, procedure.id
        for restriction in plan.restrictions:
            subject = restriction.assessment.subject
            assert restriction.ok_from_day == assess(knowledge, procedure, subject, 0).ok_from_day
            for segment in restriction.segments:
                end = segment.until_day
                days = [segment.from_day, segment.from_day + 30 if end is None else end]
                for day in days:
                    level = assess(knowledge, procedure, subject, day).level
                    assert level.restricts and level.severity >= segment.level.severity
            if restriction.ok_from_day is not None:
                last = restriction.segments[-1]
                assert last.until_day == restriction.ok_from_day - 1


def test_plan_segments_split_where_the_level_changes(knowledge: Knowledge) -> None:
    found = [
        restriction
        for procedure in knowledge.procedures
        for restriction in build_plan(knowledge, procedure, START).restrictions
        if len({segment.level for segment in restriction.segments}) > 1
    ]
    assert found, "some subject is avoided first and used with caution after"
    for restriction in found:
        for before, after in zip(restriction.segments, restriction.segments[1:], strict=False):
            assert before.level is not after.level or before.until_day != after.from_day - 1


def test_plan_horizon_covers_every_okay_day_in_whole_weeks(knowledge: Knowledge) -> None:
    for procedure in knowledge.procedures:
        plan = build_plan(knowledge, procedure, START, today=3)
        assert plan.horizon % 7 == 0
        for restriction in plan.restrictions:
            if restriction.ok_from_day is not None:
                assert restriction.ok_from_day < plan.horizon


def test_plan_milestones_group_by_okay_day(knowledge: Knowledge) -> None:
    plan = build_plan(knowledge, "microneedling", START)
    days = [milestone.day for milestone in plan.milestones]
    assert days == sorted(set(days)) and days[0] > 0
    for milestone in plan.milestones:
        assert all(r.ok_from_day == milestone.day for r in milestone.restrictions)


def test_timeline_bars_stop_where_the_okay_day_starts(knowledge: Knowledge) -> None:
    plan = build_plan(knowledge, "microneedling", START, today=3)
    layout = layout_timeline(plan)
    retinoid = next(r for r in plan.restrictions if r.label == "Retinoid")
    assert retinoid.ok_from_day is not None
    end = LEFT + WIDTH * retinoid.ok_from_day / plan.horizon
    bars = [bar for bar in layout.bars if bar.title.startswith("Retinoid:")]
    assert bars and abs(bars[-1].x + bars[-1].width - end) < 0.01
    assert layout.today_x is not None and LEFT < layout.today_x < end
    assert f"okay from {format_date(START + timedelta(days=retinoid.ok_from_day))}" in [
        text.text for text in layout.texts
    ]
    assert all(bar.x >= 0 and bar.x + bar.width <= LEFT + WIDTH + 0.01 for bar in layout.bars)


def test_timeline_without_a_date_speaks_in_day_numbers(knowledge: Knowledge) -> None:
    layout = layout_timeline(build_plan(knowledge, "microneedling", None))
    assert all(tick.date_text is None for tick in layout.ticks)
    assert any(text.text.startswith("okay from day ") for text in layout.texts)
    assert layout.today_x is None


def test_ics_has_one_all_day_event_per_okay_day(knowledge: Knowledge) -> None:
    plan = build_plan(knowledge, "microneedling", START)
    stamp = datetime(2026, 11, 20, 9, tzinfo=UTC)
    calendar = Calendar.from_ical(plan_ics(plan, stamp))
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(plan.milestones)
    for event, milestone in zip(events, plan.milestones, strict=True):
        assert event.decoded("dtstart") == START + timedelta(days=milestone.day)
        assert event.decoded("dtend") == START + timedelta(days=milestone.day + 1)
        assert f"(day {milestone.day})" in str(event["summary"])
        assert "Not medical advice" in str(event["description"])
    assert len({str(event["uid"]) for event in events}) == len(events)
    assert plan_ics(plan, stamp) == plan_ics(plan, stamp)  # same plan, same file


def test_ics_needs_the_procedure_date(knowledge: Knowledge) -> None:
    with pytest.raises(ValueError, match="procedure date"):
        plan_ics(build_plan(knowledge, "microneedling", None))


def test_plan_restriction_levels_are_restricting(knowledge: Knowledge) -> None:
    for restriction in build_plan(knowledge, "microneedling", START).restrictions:
        assert restriction.level in (Level.AVOID, Level.CAUTION)
