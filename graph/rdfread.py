"""Knowledge objects read from the RDF graph: sources, concepts, procedures with their rules
and phases, legal maxima and trace roles (graph/model.py holds what they are)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from graph.model import (
    NO_END,
    Concept,
    Contraindication,
    LegalMaximum,
    Level,
    Phase,
    Procedure,
    Rule,
    Source,
    TraceRole,
    WarningSign,
)
from graph.namespaces import AC, local_id

LEVELS = {
    AC.Avoid: Level.AVOID,
    AC.Caution: Level.CAUTION,
    AC.Ok: Level.OK,
    AC.Recommended: Level.RECOMMENDED,
}

_KIND_OF_TYPE = {
    AC.Ingredient: "ingredient",
    AC.NamePattern: "pattern",
    AC.IngredientClass: "class",
    AC.Activity: "activity",
    AC.ProductType: "product-type",
    AC.Condition: "condition",
}


def read_legal_maxima(graph: Graph) -> dict[str, tuple[LegalMaximum, ...]]:
    found: dict[str, list[LegalMaximum]] = defaultdict(list)
    for node in graph.subjects(RDF.type, AC.LegalMaximum):
        product_type = graph.value(node, AC.forProductType)
        found[str(graph.value(node, AC.ingredient))].append(
            LegalMaximum(
                percent=float(graph.value(node, AC.maxPercent).toPython()),  # type: ignore[union-attr]
                product_type=None if product_type is None else str(product_type),
                only_as_preservative=read_boolean(
                    graph, node, AC.onlyAsPreservative, default=False
                ),
                entry=read_text(graph, node, AC.annexEntry) or "",
            )
        )
    return {iri: tuple(sorted(limits, key=lambda m: m.entry)) for iri, limits in found.items()}


def read_trace_roles(graph: Graph, sources: Mapping[str, Source]) -> dict[str, TraceRole]:
    roles = {}
    for node in graph.subjects(RDF.type, AC.TraceRole):
        unbounded, over_role, within_role = (
            graph.value(node, AC.unboundedVerdict),
            graph.value(node, AC.overRoleVerdict),
            graph.value(node, AC.withinRoleVerdict),
        )
        ingredient = str(graph.value(node, AC.ingredient))
        roles[ingredient] = TraceRole(
            iri=str(node),
            ingredient=ingredient,
            label=read_text(graph, node, SKOS.prefLabel) or "",
            role_class=str(graph.value(node, AC.roleClass)),
            up_to_percent=float(graph.value(node, AC.upToPercent).toPython()),  # type: ignore[union-attr]
            active_in_types=tuple(
                sorted(str(t) for t in graph.objects(node, AC.activeInProductType))
            ),
            active_with_classes=tuple(
                sorted(str(c) for c in graph.objects(node, AC.activeWithClass))
            ),
            unbounded=None if unbounded is None else LEVELS[unbounded],  # type: ignore[index]
            over_role=None if over_role is None else LEVELS[over_role],  # type: ignore[index]
            within_role=None if within_role is None else LEVELS[within_role],  # type: ignore[index]
            active_in_first_share=_decimal(graph, node, AC.activeInFirstShare),
            rationale=read_text(graph, node, AC.rationale) or "",
            sources=_sources_of(graph, node, sources),
        )
    return roles


def read_text(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    values = sorted(str(value) for value in graph.objects(subject, predicate))
    return values[0] if values else None


def read_integer(graph: Graph, subject: Node, predicate: URIRef) -> int | None:
    value = graph.value(subject, predicate)
    return int(value.toPython()) if isinstance(value, Literal) else None


def _decimal(graph: Graph, subject: Node, predicate: URIRef) -> float | None:
    value = graph.value(subject, predicate)
    return float(value.toPython()) if isinstance(value, Literal) else None


def read_boolean(graph: Graph, subject: Node, predicate: URIRef, default: bool) -> bool:
    value = graph.value(subject, predicate)
    return bool(value.toPython()) if isinstance(value, Literal) else default


def _grade_label(graph: Graph, subject: Node) -> str:
    grade = graph.value(subject, AC.evidenceGrade)
    return str(graph.value(grade, RDFS.label)) if grade is not None else ""


def read_source(graph: Graph, iri: Node) -> Source:
    doi = read_text(graph, iri, AC.doi)
    url = read_text(graph, iri, AC.url) or (f"https://doi.org/{doi}" if doi else None)
    return Source(
        id=local_id(str(iri)),
        notation=read_text(graph, iri, SKOS.notation) or local_id(str(iri)),
        title=read_text(graph, iri, DCTERMS.title) or "",
        publisher=read_text(graph, iri, DCTERMS.publisher),
        year=read_text(graph, iri, DCTERMS.date),
        url=url,
        grade=_grade_label(graph, iri),
        decision=read_text(graph, iri, AC.citation)
        if (iri, RDF.type, AC.Decision) in graph
        else None,
    )


def _sources_of(graph: Graph, iri: Node, sources: Mapping[str, Source]) -> tuple[Source, ...]:
    found = [sources[str(source)] for source in graph.objects(iri, DCTERMS.source)]
    return tuple(sorted(found, key=lambda source: (source.grade, source.notation)))


def read_concepts(graph: Graph) -> dict[str, Concept]:
    """Every concept, read predicate by predicate: one pass each, not one lookup per node."""
    values: dict[Node, dict[str, list[str]]] = {}
    predicates = {
        SKOS.prefLabel: "label",
        SKOS.altLabel: "alt",
        SKOS.definition: "definition",
        SKOS.broader: "broader",
        AC.memberOf: "broader",
        AC.impliesClass: "implies",
        AC.cosingFunction: "functions",
        AC.inFamilyOf: "families",
        DCTERMS.source: "sources",
    }
    for predicate, field in predicates.items():
        for subject, value in graph.subject_objects(predicate):
            values.setdefault(subject, {}).setdefault(field, []).append(str(value))
    concepts = {}
    for rdf_class, kind in _KIND_OF_TYPE.items():
        for iri in graph.subjects(RDF.type, rdf_class):
            found = values.get(iri, {})
            identifier = local_id(str(iri))
            concepts[str(iri)] = Concept(
                iri=str(iri),
                id=identifier,
                kind=kind,
                label=min(found.get("label", [identifier])),
                alt_labels=tuple(sorted(found.get("alt", []))),
                definition=min(found["definition"]) if "definition" in found else None,
                broader=tuple(sorted(found.get("broader", []))),
                implies=tuple(sorted(found.get("implies", []))),
                functions=tuple(sorted(found.get("functions", []))),
                sources=tuple(sorted(found.get("sources", []))) if kind == "ingredient" else (),
                families=tuple(sorted(found.get("families", []))),
            )
    return concepts


def _rule(graph: Graph, iri: Node, procedure: str, sources: Mapping[str, Source]) -> Rule:
    return Rule(
        iri=str(iri),
        id=local_id(str(iri)),
        notation=read_text(graph, iri, SKOS.notation) or local_id(str(iri)),
        procedure=procedure,
        subject=str(graph.value(iri, AC.subject)),
        level=LEVELS[graph.value(iri, AC.verdict)],  # type: ignore[index]
        from_day=read_integer(graph, iri, AC.fromDay) or 0,
        until_day=read_integer(graph, iri, AC.untilDay),
        rationale=read_text(graph, iri, AC.rationale) or "",
        sources=_sources_of(graph, iri, sources),
        grade=_grade_label(graph, iri),
        hours=read_integer(graph, iri, AC.hours),
        duration_from_source=read_boolean(graph, iri, AC.durationFromSource, default=True),
        until_healed=read_boolean(graph, iri, AC.untilHealed, default=False),
    )


def _phase_order(phase: Phase) -> tuple[int, int]:
    """Earliest first; of two starting the same day, the shorter (an open phase last)."""
    return (phase.from_day, NO_END if phase.until_day is None else phase.until_day)


def read_procedure(graph: Graph, iri: Node, sources: Mapping[str, Source]) -> Procedure:
    procedure_id = local_id(str(iri))
    parts = list(graph.subjects(AC.procedure, iri))
    typed = defaultdict(list)
    for part in parts:
        typed[graph.value(part, RDF.type)].append(part)
    phases = [
        Phase(
            id=local_id(str(phase)),
            label=read_text(graph, phase, SKOS.prefLabel) or "",
            from_day=read_integer(graph, phase, AC.fromDay) or 0,
            until_day=read_integer(graph, phase, AC.untilDay),
            expect=read_text(graph, phase, AC.expect) or "",
            sources=_sources_of(graph, phase, sources),
        )
        for phase in typed[AC.RecoveryPhase]
    ]
    contraindications = [
        Contraindication(
            id=local_id(str(node)),
            condition=local_id(str(graph.value(node, AC.condition))),
            level=LEVELS[graph.value(node, AC.verdict)],  # type: ignore[index]
            rationale=read_text(graph, node, AC.rationale) or "",
            sources=_sources_of(graph, node, sources),
            grade=_grade_label(graph, node),
        )
        for node in typed[AC.Contraindication]
    ]
    signs = [
        WarningSign(
            rank=read_integer(graph, sign, AC.rank) or 0,
            description=read_text(graph, sign, AC.description) or "",
            sources=_sources_of(graph, sign, sources),
        )
        for sign in typed[AC.WarningSign]
    ]
    rules = [_rule(graph, rule, procedure_id, sources) for rule in typed[AC.Rule]]
    return Procedure(
        iri=str(iri),
        id=procedure_id,
        label=read_text(graph, iri, SKOS.prefLabel) or procedure_id,
        alt_labels=tuple(sorted(str(label) for label in graph.objects(iri, SKOS.altLabel))),
        description=read_text(graph, iri, RDFS.comment),
        healed_from_day=read_integer(graph, iri, AC.healedFromDay),
        phases=tuple(sorted(phases, key=_phase_order)),
        rules=tuple(sorted(rules, key=lambda rule: rule.notation)),
        contraindications=tuple(sorted(contraindications, key=lambda item: item.id)),
        warning_signs=tuple(sorted(signs, key=lambda sign: sign.rank)),
    )
