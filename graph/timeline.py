"""Geometry of the recovery timeline SVG: phases and restrictions as bars over the days.

x positions are percentages of the drawing's width, so the SVG takes any screen width
without shrinking its text; y positions are pixels. The template only draws what this says.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.model import KINDS, Level
from graph.plan import Plan, Restriction, format_date

LEFT, WIDTH = 1.0, 97.0  # percent: the day axis runs from 1% to 98%
HEADING_HEIGHT = 30
LABEL_HEIGHT = 17
BAR_HEIGHT = 18
ROW_GAP = 9
AXIS_HEIGHT = 40
TODAY_LABEL_HEIGHT = 16
INSIDE_FROM = 55.0  # a bar ending past this percentage carries its text inside


@dataclass(frozen=True, slots=True)
class Bar:
    x: float  # percent
    width: float  # percent
    y: int
    height: int
    css: str  # "avoid", "caution" or "phase"
    title: str  # what a hover or a screen reader says about the bar


@dataclass(frozen=True, slots=True)
class Text:
    x: float  # percent
    y: int
    text: str
    css: str
    anchor: str = "start"
    dx: int = 0


def bar_note(end_x: float, baseline: int, text: str, level: str, gap: int) -> Text:
    """A bar's note: inside its end when the bar runs past INSIDE_FROM, else just after it."""
    inside = end_x > INSIDE_FROM
    where = "inside" if inside else "outside"
    return Text(
        end_x,
        baseline,
        text,
        f"note {where} {level}",
        "end" if inside else "start",
        -gap if inside else gap,
    )


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    day: int
    date_text: str | None


@dataclass(frozen=True, slots=True)
class TimelineLayout:
    height: int
    bars: tuple[Bar, ...]
    texts: tuple[Text, ...]
    ticks: tuple[Tick, ...]
    top_axis_y: int
    bottom_axis_y: int
    today_x: float | None
    today_text: str
    today_y: int
    grid_top: int
    grid_bottom: int
    title: str
    description: str


def x_of(plan: Plan, day: float) -> float:
    return round(LEFT + WIDTH * min(day, plan.horizon) / plan.horizon, 3)


def _day_or_date(plan: Plan, day: int) -> str:
    on = plan.date_of(day)
    return f"day {day}" if on is None else format_date(on)


def okay_text(plan: Plan, restriction: Restriction) -> str:
    """What the end of a restriction's bar says: when it is okay, or that it never is."""
    if restriction.ok_from_day is None:
        last = restriction.segments[-1]
        if last.level is Level.CAUTION and last.from_day > 0:
            return f"with care from {_day_or_date(plan, last.from_day)}, no end"
        return "no end after this procedure"
    prefix = "caution; " if restriction.level is Level.CAUTION else ""
    return f"{prefix}okay from {_day_or_date(plan, restriction.ok_from_day)}"


def _ticks(plan: Plan) -> tuple[Tick, ...]:
    step = 7 if plan.horizon <= 35 else 14 if plan.horizon <= 84 else 28
    days = range(0, plan.horizon + 1, step)
    return tuple(
        Tick(
            x_of(plan, day),
            day,
            None if (on := plan.date_of(day)) is None else f"{on.day} {on:%b}",
        )
        for day in days
    )


def layout_timeline(plan: Plan) -> TimelineLayout:
    bars: list[Bar] = []
    texts: list[Text] = []
    y = AXIS_HEIGHT + TODAY_LABEL_HEIGHT

    def heading(text: str) -> None:
        nonlocal y
        texts.append(Text(0, y + HEADING_HEIGHT - 9, text, "heading"))
        y += HEADING_HEIGHT

    def row(label: str, spans: list[tuple[int, int | None, str, str]], note: str) -> None:
        """A label line, then the bars (start, end or None, css, title) and a note after them."""
        nonlocal y
        texts.append(Text(0, y + LABEL_HEIGHT - 4, label, "label"))
        y += LABEL_HEIGHT
        end_x = LEFT
        for start, end, css, title in spans:
            x = x_of(plan, start)
            end_x = x_of(plan, plan.horizon if end is None else end + 1)
            bars.append(Bar(x, round(end_x - x, 3), y, BAR_HEIGHT, css, title))
        if note:
            texts.append(bar_note(end_x, y + BAR_HEIGHT - 5, note, spans[-1][2], 6))
        y += BAR_HEIGHT + ROW_GAP

    heading("Recovery phases")
    for phase in plan.procedure.phases:
        if phase.until_day == phase.from_day:
            days = f"day {phase.from_day}"
        elif phase.until_day is None:
            days = f"from day {phase.from_day}"
        else:
            days = f"days {phase.from_day}–{phase.until_day}"
        row(
            f"{phase.label} ({days})",
            [(phase.from_day, phase.until_day, "phase", phase.expect)],
            "",
        )
    kind = None
    for restriction in plan.restrictions:
        if restriction.kind != kind:
            kind = restriction.kind
            heading(KINDS[kind].heading)
        spans = [
            (
                segment.from_day,
                segment.until_day,
                segment.level.value,
                f"{restriction.label}: {segment.level.value} from day {segment.from_day} to "
                + ("no end" if segment.until_day is None else f"day {segment.until_day}"),
            )
            for segment in restriction.segments
        ]
        row(restriction.label, spans, okay_text(plan, restriction))
    today_x = None
    today_text = ""
    if plan.today is not None and plan.today < plan.horizon:
        today_x = x_of(plan, plan.today + 0.5)
        today_text = f"today, day {plan.today}"
    return TimelineLayout(
        height=y + AXIS_HEIGHT,
        bars=tuple(bars),
        texts=tuple(texts),
        ticks=_ticks(plan),
        top_axis_y=AXIS_HEIGHT,
        bottom_axis_y=y,
        today_x=today_x,
        today_text=today_text,
        today_y=AXIS_HEIGHT + TODAY_LABEL_HEIGHT - 4,
        grid_top=AXIS_HEIGHT - 6,
        grid_bottom=y,
        title=f"Recovery calendar: {plan.procedure.label}",
        description=(
            "Each bar is the span during which a thing is to be avoided (or used with caution); "
            "the day where it stops is the first day it is okay again. Day 0 is the procedure day."
        ),
    )
