"""Turn verdicts and knowledge into the plain data of the JSON API contract (DESIGN.md)."""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import Any

from graph.engine import assess
from graph.index import Knowledge
from graph.model import (
    Concept,
    Contraindication,
    Level,
    Phase,
    Procedure,
    Rule,
    Source,
)
from graph.spelling import suggest
from graph.verdicts import Assessment, DayOverview, IngredientResult, Reason, Verdict

Json = dict[str, Any]
SUGGESTIONS_PER_LABEL = 10  # "did you mean" for the first names we do not know; then none


def source_json(source: Source) -> Json:
    return {
        "id": source.id,
        "code": source.notation,
        "title": source.title,
        "url": source.url,
        "publisher": source.publisher,
        "year": source.year,
        "grade": source.grade,
    }


def concept_ref(concept: Concept) -> Json:
    return {"id": concept.id, "label": concept.label, "kind": concept.kind}


def rule_json(knowledge: Knowledge, rule: Rule) -> Json:
    return {
        "rule": rule.notation,
        "id": rule.id,
        "subject": concept_ref(knowledge.concepts[rule.subject]),
        "verdict": rule.level.value,
        "from_day": rule.from_day,
        "until_day": rule.until_day,
        "ok_from_day": rule.ok_from_day,
        "rationale": rule.rationale,
        "grade": rule.grade,
        "hours": rule.hours,
        "duration_from_source": rule.duration_from_source,
        "until_healed": rule.until_healed,
        "source": source_json(rule.sources[0]),
        "sources": [source_json(source) for source in rule.sources],
    }


def reason_json(knowledge: Knowledge, reason: Reason) -> Json:
    return {
        **rule_json(knowledge, reason.rule),
        "in_force": reason.in_force,
        "via": [knowledge.concepts[iri].label for iri in reason.path],
    }


def assessment_json(knowledge: Knowledge, assessment: Assessment) -> Json:
    return {
        **concept_ref(assessment.subject),
        "verdict": assessment.level.value,
        "ok_from_day": assessment.ok_from_day,
        "reasons": [reason_json(knowledge, reason) for reason in assessment.reasons],
    }


def classes_of(knowledge: Knowledge, concept: Concept) -> list[str]:
    """Labels of every class above an ingredient, nearest first."""
    lineage = knowledge.lineage(concept.iri)
    ranked = sorted(
        (len(path), knowledge.concepts[iri].label)
        for iri, path in lineage.items()
        if iri != concept.iri
    )
    return [label for _, label in ranked]


def ingredient_result_json(
    knowledge: Knowledge,
    result: IngredientResult,
    procedure_id: str,
    day: int,
    suggesting: bool = True,
) -> Json:
    found = result.match
    token = found.token
    data: Json = {
        "text": token.text,
        "conditional": token.conditional,
        "position": result.position,
        **({"stated_percent": token.percent} if token.percent is not None else {}),
        **({"active_ingredient": True} if token.active else {}),
        **({"mentioned": True} if token.mentioned else {}),
        **_order_json(result),
    }
    if found.ingredient is None or result.assessment is None:
        close = found.ambiguous or (suggest(knowledge, found.token.text) if suggesting else ())
        return {
            **data,
            "ingredient": None,
            "match": None,
            "classes": [],
            "verdict": "unknown",
            "ok_from_day": None,
            "reasons": [],
            "did_you_mean": [{"id": concept.id, "label": concept.label} for concept in close],
        }
    reading = result.reading
    return {
        **data,
        **({"score": found.score} if found.match == "fuzzy" else {}),
        "ingredient": {"id": found.ingredient.id, "label": found.ingredient.label},
        "match": found.match,
        "read_as": found.read_as,
        **_judgement_json(
            knowledge,
            procedure_id,
            found.ingredient.iri,
            result.assessment.subject.iri,
            None if reading is None else reading.cap,
            day,
        ),
        **(
            {}
            if reading is None
            else {
                "role": reading.role.label if reading.assumed else None,
                "role_reason": reading.reason,
                "dual_use": {
                    "role": reading.role.label,
                    "reading": "role"
                    if reading.assumed
                    else ("uncertain" if reading.cap is not None else "active"),
                    "reason": reading.reason,
                },
            }
        ),
    }


def _order_json(result: IngredientResult) -> Json:
    bound = result.bound
    if bound is None:
        return {}
    return {
        "at_most_percent": bound.percent,
        "bounded_by": {
            "id": bound.marker.id,
            "label": bound.marker.label,
            "legal_max_percent": bound.marker_max,
        },
    }


# Every answer naming an ingredient on a day of a procedure shows the same classes and
# reasons: they are built once, and shared by the answers (which nobody mutates). Full of the
# heaviest entries (retinoids, acids: 5 to 9 reasons each) the memo holds ~30 MB.
@functools.lru_cache(maxsize=8_192)
def _judgement_json(
    knowledge: Knowledge,
    procedure_id: str,
    iri: str,
    assessed_iri: str,
    cap: Level | None,
    day: int,
) -> Json:
    """An ingredient's classes, and the verdict and reasons of what it was assessed as:
    itself, or the class of the trace role it was read in; softened to `cap` if given."""
    concept = knowledge.concepts[iri]
    assessed = knowledge.concepts[assessed_iri]
    assessment = assess(knowledge, knowledge.procedures[procedure_id], assessed, day)
    level = assessment.level
    if cap is not None and level.severity > cap.severity:
        level = cap
    return {
        "classes": classes_of(knowledge, concept),
        "verdict": level.value,
        "ok_from_day": assessment.ok_from_day,
        "reasons": [reason_json(knowledge, reason) for reason in assessment.reasons],
    }


def day_to_date(start: date | None, day: int | None) -> str | None:
    return None if start is None or day is None else (start + timedelta(days=day)).isoformat()


def verdict_json(knowledge: Knowledge, verdict: Verdict, procedure_date: date | None) -> Json:
    data: Json = {
        "procedure": verdict.procedure.id,
        "day": verdict.day,
        "verdict": verdict.level.value,
        "ok_from_day": verdict.ok_from_day,
        "ingredients": [
            ingredient_result_json(
                knowledge,
                result,
                verdict.procedure.id,
                verdict.day,
                suggesting=result.match.token.text in verdict.unrecognized[:SUGGESTIONS_PER_LABEL],
            )
            for result in verdict.ingredients
        ],
        "product_type": None
        if verdict.product_type is None
        else assessment_json(knowledge, verdict.product_type),
        "assumed_product_types": [assessment_json(knowledge, a) for a in verdict.assumed],
        "unrecognized": list(verdict.unrecognized),
        "set_aside": list(verdict.set_aside),
        "cut_short": verdict.cut_short,
        "named_in_passing": [
            {"text": text, **assessment_json(knowledge, found)}
            for text, found in verdict.in_passing
        ],
        "notes": list(verdict.notes)
        + (
            [
                f"We suggest spellings for the first {SUGGESTIONS_PER_LABEL} names we do not "
                f"know, not for the other {len(verdict.unrecognized) - SUGGESTIONS_PER_LABEL}."
            ]
            if len(verdict.unrecognized) > SUGGESTIONS_PER_LABEL
            else []
        ),
    }
    if procedure_date is not None:
        data["procedure_date"] = procedure_date.isoformat()
        data["ok_from_date"] = day_to_date(procedure_date, verdict.ok_from_day)
    return data


def warnings_json(
    knowledge: Knowledge,
    procedure: Procedure,
    conditions: list[str],
    matching: list[Contraindication],
) -> list[Json]:
    """Contraindications and cautions for the patient's conditions, each with its sources."""
    warnings: list[Json] = [
        {
            "condition": concept_ref(knowledge.concept("condition", item.condition, "conditions")),
            "verdict": item.level.value,
            "rationale": item.rationale,
            "grade": item.grade,
            "sources": [source_json(source) for source in item.sources],
        }
        for item in matching
    ]
    covered = {item.condition for item in matching}
    for condition in conditions:
        if condition not in covered:
            concept = knowledge.concept("condition", condition, "conditions")
            warnings.append(
                {
                    "condition": concept_ref(concept),
                    "verdict": None,
                    "rationale": f"No source we know lists {concept.label.lower()} as a reason for "
                    f"caution with {procedure.label.lower()}; ask your clinician all the same.",
                    "grade": None,
                    "sources": [],
                }
            )
    return warnings


def phase_json(phase: Phase) -> Json:
    return {
        "id": phase.id,
        "label": phase.label,
        "from_day": phase.from_day,
        "until_day": phase.until_day,
        "expect": phase.expect,
        "sources": [source_json(source) for source in phase.sources],
    }


def day_json(knowledge: Knowledge, overview: DayOverview) -> Json:
    phase = overview.procedure.phase_on(overview.day)
    return {
        "procedure": overview.procedure.id,
        "day": overview.day,
        "phase": None if phase is None else phase_json(phase),
        "activities": [assessment_json(knowledge, a) for a in overview.activities],
        "classes": [assessment_json(knowledge, a) for a in overview.classes],
        "product_types": [assessment_json(knowledge, a) for a in overview.product_types],
        "notes": list(overview.notes),
    }


def procedure_summary_json(procedure: Procedure) -> Json:
    return {
        "id": procedure.id,
        "label": procedure.label,
        "alt_labels": list(procedure.alt_labels),
        "rules": len(procedure.rules),
        "phases": len(procedure.phases),
    }


def procedure_json(knowledge: Knowledge, procedure: Procedure) -> Json:
    return {
        **procedure_summary_json(procedure),
        "description": procedure.description,
        "healed_from_day": procedure.healed_from_day,
        "phases": [phase_json(phase) for phase in procedure.phases],
        "rules": [rule_json(knowledge, rule) for rule in procedure.rules],
        "contraindications": [
            {
                "id": item.id,
                "condition": concept_ref(
                    knowledge.concept("condition", item.condition, "condition")
                ),
                "verdict": item.level.value,
                "rationale": item.rationale,
                "grade": item.grade,
                "sources": [source_json(source) for source in item.sources],
            }
            for item in procedure.contraindications
        ],
        "warning_signs": [
            {
                "rank": sign.rank,
                "description": sign.description,
                "sources": [source_json(source) for source in sign.sources],
            }
            for sign in procedure.warning_signs
        ],
    }


def ingredient_json(knowledge: Knowledge, ingredient: Concept) -> Json:
    """An ingredient with its classes (and the path up to each) and every rule touching it."""
    lineage = knowledge.lineage(ingredient.iri)
    return {
        "id": ingredient.id,
        "label": ingredient.label,
        "synonyms": list(ingredient.alt_labels),
        "cosing_functions": list(ingredient.functions),
        "curated": ingredient.curated,
        "listed_in": [source_json(knowledge.sources[iri]) for iri in ingredient.sources],
        "classes": [
            {
                **concept_ref(knowledge.concepts[iri]),
                "path": [knowledge.concepts[step].label for step in path],
            }
            for iri, path in sorted(lineage.items(), key=lambda item: len(item[1]))
            if iri != ingredient.iri
        ],
        "rules": {
            procedure.id: [
                {**rule_json(knowledge, rule), "via": [knowledge.concepts[i].label for i in path]}
                for rule, path in knowledge.rules_for(procedure.id, ingredient.iri)
            ]
            for procedure in sorted(knowledge.procedures.values(), key=lambda p: p.label)
        },
    }
