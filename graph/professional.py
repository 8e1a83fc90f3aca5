"""The professional's view: a procedure's whole timeline, a class, one subject everywhere."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph import report
from graph.engine import assess
from graph.index import Knowledge
from graph.model import NO_END, Concept, Procedure, okay_days
from graph.subjects import MemberPage, broader_classes, kind_rank, narrower_classes, subject_json
from graph.verdicts import Reason

Json = report.Json


@dataclass(frozen=True, slots=True)
class Span:
    """What one procedure's rules say about one subject, from the procedure day on."""

    procedure: Procedure
    subject: Concept
    ok_from_day: int | None  # the engine's: the day after the latest restriction; None: never
    restricting: tuple[Reason, ...]  # avoid or caution, latest end first: one chart bar each
    others: tuple[Reason, ...]  # okay or recommended

    @property
    def restricted(self) -> bool:
        return bool(self.restricting)

    @property
    def ends(self) -> list[int | None]:
        """The distinct okay days the sources give, shortest first (None, no end, last)."""
        return okay_days(reason.rule for reason in self.restricting)

    @property
    def disagreement(self) -> str | None:
        """'Retinoid: 3 to 14 days depending on the source; we use 14.', if sources differ."""
        ends = self.ends
        if len(ends) < 2:
            return None
        # A restriction from the procedure day that is okay again on day N lasts N days.
        shortest, longest = ends[0], ends[-1]
        if longest is None:
            spread, used = f"{shortest} days to no end", "no end"
        else:
            spread, used = f"{shortest} to {longest} days", str(longest)
        return f"{self.subject.label}: {spread} depending on the source; we use {used}."

    @property
    def summary(self) -> str:
        """The consolidated day in words, with how many sources stand behind it."""
        if not self.restricted:
            return "No source restricts it."
        sources = {source.id for reason in self.restricting for source in reason.rule.sources}
        count = f"{len(sources)} source{'s' if len(sources) != 1 else ''}"
        if self.ok_from_day is None:
            return f"Not okay again after this procedure, by the most cautious of {count}."
        if self.disagreement is None:
            agree = f"; {count} agree" if len(sources) > 1 else f" ({count})"
            return f"Okay from day {self.ok_from_day}{agree}."
        return f"Okay from day {self.ok_from_day}, the most cautious of {count}."


def subject_span(knowledge: Knowledge, procedure: Procedure, subject: Concept) -> Span:
    """The engine's assessment on the procedure day, split into chart bars and the rest."""
    assessment = assess(knowledge, procedure, subject, 0)
    restricting = [r for r in assessment.reasons if r.rule.level.restricts]
    restricting.sort(
        key=lambda r: (
            -(NO_END if r.rule.until_day is None else r.rule.until_day),
            r.rule.from_day,
            r.rule.notation,
        )
    )
    others = [r for r in assessment.reasons if not r.rule.level.restricts]
    return Span(procedure, subject, assessment.ok_from_day, tuple(restricting), tuple(others))


def procedure_spans(knowledge: Knowledge, procedure: Procedure) -> list[Span]:
    """Every subject the procedure has a rule on, by kind, then by name."""
    subjects = {rule.subject for rule in procedure.rules}
    concepts = [knowledge.concepts[iri] for iri in subjects]
    concepts.sort(key=lambda c: (kind_rank(c.kind), c.label.casefold()))
    return [subject_span(knowledge, procedure, concept) for concept in concepts]


def spans_by_kind(spans: Iterable[Span]) -> list[tuple[str, list[Span]]]:
    grouped: dict[str, list[Span]] = {}
    for span in spans:
        grouped.setdefault(span.subject.kind, []).append(span)
    return sorted(grouped.items(), key=lambda item: kind_rank(item[0]))


def compare_spans(knowledge: Knowledge, subject: Concept) -> list[Span]:
    """The subject under every procedure, by name of the procedure."""
    procedures = sorted(knowledge.procedures.values(), key=lambda p: p.label.casefold())
    return [subject_span(knowledge, procedure, subject) for procedure in procedures]


# --- classes --------------------------------------------------------------------------------


# --- JSON -----------------------------------------------------------------------------------


def reason_rule_json(knowledge: Knowledge, reason: Reason) -> Json:
    return {
        **report.rule_json(knowledge, reason.rule),
        "via": [knowledge.concepts[iri].label for iri in reason.path],
    }


def span_json(knowledge: Knowledge, span: Span) -> Json:
    return {
        "procedure": {"id": span.procedure.id, "label": span.procedure.label},
        "subject": report.concept_ref(span.subject),
        "restricted": span.restricted,
        "ok_from_day": span.ok_from_day,
        "source_ok_from_days": span.ends,
        "disagreement": span.disagreement,
        "summary": span.summary,
        "rules": [reason_rule_json(knowledge, reason) for reason in span.restricting],
        "other_rules": [reason_rule_json(knowledge, reason) for reason in span.others],
    }


def procedure_list_json(knowledge: Knowledge) -> list[Json]:
    """Every procedure with its counts, by name."""
    procedures = sorted(knowledge.procedures.values(), key=lambda p: p.label.casefold())
    return [
        {
            **report.procedure_summary_json(procedure),
            "subjects": len({rule.subject for rule in procedure.rules}),
            "contraindications": len(procedure.contraindications),
            "warning_signs": len(procedure.warning_signs),
        }
        for procedure in procedures
    ]


def timeline_json(knowledge: Knowledge, procedure: Procedure, spans: list[Span]) -> Json:
    whole = report.procedure_json(knowledge, procedure)
    return {
        "id": procedure.id,
        "label": procedure.label,
        "alt_labels": list(procedure.alt_labels),
        "description": procedure.description,
        "healed_from_day": procedure.healed_from_day,
        "rule_count": len(procedure.rules),
        "phases": whole["phases"],
        "subjects": [span_json(knowledge, span) for span in spans],
        "contraindications": whole["contraindications"],
        "warning_signs": whole["warning_signs"],
    }


def compare_json(
    knowledge: Knowledge, subject: Concept, spans: list[Span], also: list[Concept]
) -> Json:
    return {
        "subject": subject_json(subject),
        "also": [report.concept_ref(concept) for concept in also],
        "procedures": [span_json(knowledge, span) for span in spans],
    }


def class_json(
    knowledge: Knowledge, concept: Concept, members: MemberPage, spans: list[Span]
) -> Json:
    return {
        **subject_json(concept),
        "broader": [report.concept_ref(c) for c in broader_classes(knowledge, concept)],
        "narrower": [report.concept_ref(c) for c in narrower_classes(knowledge, concept)],
        "members": {
            "total": members.total,
            "curated": members.curated,
            "page": members.page,
            "per_page": members.per_page,
            "pages": members.pages,
            "items": [
                {
                    "id": m.ingredient.id,
                    "label": m.ingredient.label,
                    "curated": m.curated,
                    "class": report.concept_ref(m.filed_under),
                }
                for m in members.items
            ],
        },
        "procedures": [span_json(knowledge, span) for span in spans],
    }
