"""Geometry of the range chart: one bar per rule, over the days each source restricts a subject.

It follows graph/timeline.py: x positions are percentages of the drawing's width, y positions
are pixels, and the template only draws what this says.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from graph.index import Knowledge
from graph.model import KINDS
from graph.professional import Span, spans_by_kind
from graph.timeline import LEFT, WIDTH, Text, Tick, bar_note
from graph.verdicts import Reason

AXIS_HEIGHT = 24
LABEL_HEIGHT = 20
BAR_HEIGHT = 16
BAR_GAP = 3
ROW_GAP = 10
TICK_STEPS = (1, 2, 7, 14, 28, 56)
MAX_TICKS = 10
MAX_CODES_CHARS = 20  # past this a bar names its first source and how many more


@dataclass(frozen=True, slots=True)
class ChartBar:
    x: float  # percent
    width: float  # percent
    y: int
    height: int
    css: str  # "avoid" or "caution", and "open" when the restriction has no end
    key: str  # the row it belongs to: a subject or a procedure id
    rule: str  # the rule's code
    title: str  # what a hover or a screen reader says about the bar


@dataclass(frozen=True, slots=True)
class Marker:
    """The consolidated okay day of a row: a line across its bars."""

    x: float
    y1: int
    y2: int
    title: str


@dataclass(frozen=True, slots=True)
class RangeChart:
    height: int
    horizon: int
    bars: tuple[ChartBar, ...]
    markers: tuple[Marker, ...]
    texts: tuple[Text, ...]
    ticks: tuple[Tick, ...]
    bottom_axis_y: int
    title: str
    description: str


def bar_label(knowledge: Knowledge, reason: Reason) -> str:
    """What a bar says by itself: its source code(s), the evidence grade, and any 'via'."""
    codes = [source.notation for source in reason.rule.sources]
    text = "+".join(codes)
    if len(text) > MAX_CODES_CHARS:
        text = f"{codes[0]} +{len(codes) - 1}"
    via = f" · via {knowledge.concepts[reason.rule.subject].label}" if len(reason.path) > 1 else ""
    return f"{text} · {reason.rule.grade}{via}"


def days_text(from_day: int, until_day: int | None) -> str:
    if until_day is None:
        return f"from day {from_day}, no end"
    if from_day == until_day:
        return f"day {from_day}"
    return f"days {from_day}–{until_day}"


def bar_title(knowledge: Knowledge, span: Span, reason: Reason) -> str:
    rule = reason.rule
    sources = "; ".join(source.title for source in rule.sources)
    flags = [
        f"once the full {rule.hours} hours have passed" if rule.hours else "",
        "until healed" if rule.until_healed else "",
        "the source gave no duration: team default" if not rule.duration_from_source else "",
    ]
    # A rule on a broader class (or on what a product type counts as) reaches this row too.
    via = f" (via {knowledge.concepts[rule.subject].label})" if len(reason.path) > 1 else ""
    extra = "".join(f", {flag}" for flag in flags if flag)
    return (
        f"{rule.notation}: {rule.level.value} {span.subject.label}{via}, "
        f"{days_text(rule.from_day, rule.until_day)}{extra}. {sources}, evidence grade "
        f"{rule.grade}."
    )


def horizon_and_step(spans: Sequence[Span]) -> tuple[int, int]:
    ends = [reason.rule.ok_from_day for span in spans for reason in span.restricting]
    longest = max((end for end in ends if end is not None), default=1)
    target = longest + (1 if None in ends else 0)
    step = next((s for s in TICK_STEPS if target / s <= MAX_TICKS), TICK_STEPS[-1])
    horizon = max(step, -(-target // step) * step)
    if None in ends and horizon <= longest:
        horizon += step
    return horizon, step


def layout_range_chart(
    knowledge: Knowledge,
    spans: Sequence[Span],
    row_label: Callable[[Span], str],
    row_key: Callable[[Span], str],
    title: str,
    description: str,
    scale: tuple[int, int] | None = None,
) -> RangeChart:
    """One row per span (with a restriction), one bar per restricting rule in it.

    scale is (horizon, tick step) in days, so that several charts can share one axis.
    """
    rows = [span for span in spans if span.restricted]
    horizon, step = scale or horizon_and_step(rows)

    def x_of(day: int) -> float:
        return round(LEFT + WIDTH * min(day, horizon) / horizon, 3)

    bars: list[ChartBar] = []
    markers: list[Marker] = []
    texts: list[Text] = []
    y = AXIS_HEIGHT
    for span in rows:
        texts.append(Text(0, y + LABEL_HEIGHT - 5, row_label(span), "label"))
        y += LABEL_HEIGHT
        top = y
        for reason in span.restricting:
            rule = reason.rule
            start = x_of(rule.from_day)
            end = x_of(horizon if rule.until_day is None else rule.until_day + 1)
            css = rule.level.value + (" open" if rule.until_day is None else "")
            bars.append(
                ChartBar(
                    start,
                    round(end - start, 3),
                    y,
                    BAR_HEIGHT,
                    css,
                    row_key(span),
                    rule.notation,
                    bar_title(knowledge, span, reason),
                )
            )
            label = bar_label(knowledge, reason) + (", no end" if rule.until_day is None else "")
            texts.append(bar_note(end, y + BAR_HEIGHT - 4, label, rule.level.value, 5))
            y += BAR_HEIGHT + BAR_GAP
        if span.ok_from_day is not None:
            markers.append(
                Marker(x_of(span.ok_from_day), top - 2, y, f"okay from day {span.ok_from_day}")
            )
        y += ROW_GAP
    ticks = tuple(Tick(x_of(day), day, None) for day in range(0, horizon + 1, step))
    return RangeChart(
        height=y + AXIS_HEIGHT,
        horizon=horizon,
        bars=tuple(bars),
        markers=tuple(markers),
        texts=tuple(texts),
        ticks=ticks,
        bottom_axis_y=y,
        title=title,
        description=description,
    )


def okay_words(span: Span) -> str:
    if span.ok_from_day is None:
        return "no end after this procedure"
    return f"okay from day {span.ok_from_day}"


DESCRIPTION = (
    "Each bar is one rule: the days its source says to avoid (or use with caution) the "
    "thing, labelled with the source's code and the evidence grade. The line across a "
    "row's bars is the day we use: the most cautious source's. Day 0 is the procedure day; "
    "a bar stops on the first day that source calls it okay. The table below gives the same."
)


@dataclass(frozen=True, slots=True)
class ChartGroup:
    kind: str
    heading: str
    spans: tuple[Span, ...]
    chart: RangeChart


def procedure_charts(
    knowledge: Knowledge, procedure_label: str, spans: Sequence[Span]
) -> list[ChartGroup]:
    """A chart per kind of subject (classes, ingredients, activities, product types)."""
    groups = []
    scale = horizon_and_step(spans)  # one axis for the whole page, so the charts compare
    for kind, group in spans_by_kind(spans):
        heading = KINDS[kind].heading if kind in KINDS else kind
        chart = layout_range_chart(
            knowledge,
            group,
            lambda span: f"{span.subject.label}: {okay_words(span)}",
            lambda span: span.subject.id,
            f"{procedure_label}: how long each source restricts each of these {heading.lower()}",
            DESCRIPTION,
            scale,
        )
        groups.append(ChartGroup(kind, heading, tuple(group), chart))
    return groups


def compare_chart(knowledge: Knowledge, subject_label: str, spans: Sequence[Span]) -> RangeChart:
    """One row per procedure that restricts the subject."""
    return layout_range_chart(
        knowledge,
        spans,
        lambda span: f"{span.procedure.label}: {okay_words(span)}",
        lambda span: span.procedure.id,
        f"How long each procedure's sources restrict {subject_label}",
        DESCRIPTION,
    )
