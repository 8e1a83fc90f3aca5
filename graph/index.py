"""Compile the validated RDF graph once into an immutable index the engine reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from graph.errors import KnowledgeInvalid, NotFound, UnknownProcedure
from graph.labels import normalize_name
from graph.model import (
    Concept,
    Contraindication,
    Level,
    Phase,
    Procedure,
    Rule,
    Source,
    WarningSign,
)
from graph.namespaces import AC, local_id

LEVELS = {
    AC.Avoid: Level.AVOID,
    AC.Caution: Level.CAUTION,
    AC.Ok: Level.OK,
    AC.Recommended: Level.RECOMMENDED,
}
KINDS = {
    AC.Ingredient: "ingredient",
    AC.IngredientClass: "class",
    AC.Activity: "activity",
    AC.ProductType: "product-type",
    AC.Condition: "condition",
}

Path = tuple[str, ...]  # iris from a concept up to one of its ancestors, both included


@dataclass(frozen=True, slots=True)
class NameHit:
    iri: str
    match: str  # "exact" (the INCI name) or "synonym"


@dataclass(frozen=True)
class Knowledge:
    """Everything the checker knows, compiled from knowledge/*.ttl; never mutated."""

    graph: Graph
    procedures: Mapping[str, Procedure]
    concepts: Mapping[str, Concept]
    names: Mapping[str, NameHit]
    lineages: Mapping[str, Mapping[str, Path]]
    rules_by_subject: Mapping[tuple[str, str], tuple[Rule, ...]]
    sources: Mapping[str, Source]

    def procedure(self, key: str) -> Procedure:
        """A procedure by id or name, case-insensitive."""
        wanted = normalize_name(key)
        for procedure in self.procedures.values():
            names = (procedure.id, procedure.label, *procedure.alt_labels)
            if wanted in {normalize_name(name) for name in names}:
                return procedure
        known = ", ".join(sorted(self.procedures))
        raise UnknownProcedure(
            f"Unknown procedure {key!r}; known procedures: {known}.", field="procedure"
        )

    def of_kind(self, kind: str) -> Iterator[Concept]:
        return (concept for concept in self.concepts.values() if concept.kind == kind)

    def concept(self, kind: str, key: str, field: str) -> Concept:
        """A concept of a kind by id or by any of its names, case-insensitive."""
        wanted = normalize_name(key)
        for concept in self.of_kind(kind):
            if concept.id == key or wanted in {
                normalize_name(name) for name in (concept.id, concept.label, *concept.alt_labels)
            }:
                return concept
        raise NotFound(f"No {kind.replace('-', ' ')} called {key!r}.", field=field)

    def lineage(self, iri: str) -> Mapping[str, Path]:
        """Each ancestor of a concept (itself included) with the shortest path to it."""
        return self.lineages.get(iri, {iri: (iri,)})

    def rules_for(self, procedure: str, iri: str) -> list[tuple[Rule, Path]]:
        """Every rule of the procedure on the concept or on anything broader than it."""
        return [
            (rule, path)
            for ancestor, path in self.lineage(iri).items()
            for rule in self.rules_by_subject.get((procedure, ancestor), ())
        ]


def compile_knowledge(graph: Graph) -> Knowledge:
    problems: list[str] = []
    sources = {str(iri): _source(graph, iri) for iri in graph.subjects(RDF.type, AC.Source)}
    concepts = {
        str(iri): _concept(graph, iri, kind)
        for rdf_class, kind in KINDS.items()
        for iri in graph.subjects(RDF.type, rdf_class)
    }
    lineages = _lineages(concepts, problems)
    names = _name_index(concepts, problems)
    procedures = {
        local_id(str(iri)): _procedure(graph, iri, sources)
        for iri in graph.subjects(RDF.type, AC.Procedure)
    }
    rules_by_subject: dict[tuple[str, str], list[Rule]] = defaultdict(list)
    for procedure in procedures.values():
        for rule in procedure.rules:
            rules_by_subject[(procedure.id, rule.subject)].append(rule)
    if problems:
        raise KnowledgeInvalid(problems)
    return Knowledge(
        graph=graph,
        procedures=MappingProxyType(procedures),
        concepts=MappingProxyType(concepts),
        names=MappingProxyType(names),
        lineages=MappingProxyType(lineages),
        rules_by_subject=MappingProxyType(
            {key: tuple(rules) for key, rules in rules_by_subject.items()}
        ),
        sources=MappingProxyType(sources),
    )


def _lineages(concepts: Mapping[str, Concept], problems: list[str]) -> dict[str, dict[str, Path]]:
    """Shortest paths up the hierarchy (skos:broader, ac:memberOf), which must be a DAG."""
    hierarchy: nx.DiGraph[str] = nx.DiGraph()
    hierarchy.add_nodes_from(concepts)
    hierarchy.add_edges_from(
        (iri, broader) for iri, concept in concepts.items() for broader in concept.broader
    )
    if not nx.is_directed_acyclic_graph(hierarchy):
        cycle = " → ".join(local_id(edge[0]) for edge in nx.find_cycle(hierarchy))
        problems.append(f"The hierarchy has a cycle ({cycle}); skos:broader must never loop.")
        return {}
    return {
        iri: {ancestor: tuple(path) for ancestor, path in paths.items()}
        for iri in concepts
        if (paths := nx.single_source_shortest_path(hierarchy, iri))
    }


def _name_index(concepts: Mapping[str, Concept], problems: list[str]) -> dict[str, NameHit]:
    """Every ingredient name and synonym, normalised; one name, one ingredient."""
    names: dict[str, NameHit] = {}
    ingredients = [concept for concept in concepts.values() if concept.kind == "ingredient"]
    for match, attribute in (("exact", "label"), ("synonym", "alt_labels")):
        for ingredient in ingredients:
            value = getattr(ingredient, attribute)
            for name in (value,) if isinstance(value, str) else value:
                key = normalize_name(name)
                other = names.get(key)
                if other is None:
                    names[key] = NameHit(ingredient.iri, match)
                elif other.iri != ingredient.iri:
                    problems.append(
                        f"The name {name!r} belongs to two ingredients, {local_id(other.iri)} "
                        f"and {ingredient.id}; a label could not tell them apart."
                    )
    return names


def _text(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    values = sorted(str(value) for value in graph.objects(subject, predicate))
    return values[0] if values else None


def _integer(graph: Graph, subject: Node, predicate: URIRef) -> int | None:
    value = graph.value(subject, predicate)
    return int(value.toPython()) if isinstance(value, Literal) else None


def _boolean(graph: Graph, subject: Node, predicate: URIRef, default: bool) -> bool:
    value = graph.value(subject, predicate)
    return bool(value.toPython()) if isinstance(value, Literal) else default


def _grade_label(graph: Graph, subject: Node) -> str:
    grade = graph.value(subject, AC.evidenceGrade)
    return str(graph.value(grade, RDFS.label)) if grade is not None else ""


def _source(graph: Graph, iri: Node) -> Source:
    doi = _text(graph, iri, AC.doi)
    url = _text(graph, iri, AC.url) or (f"https://doi.org/{doi}" if doi else None)
    return Source(
        id=local_id(str(iri)),
        notation=_text(graph, iri, SKOS.notation) or local_id(str(iri)),
        title=_text(graph, iri, DCTERMS.title) or "",
        publisher=_text(graph, iri, DCTERMS.publisher),
        year=_text(graph, iri, DCTERMS.date),
        url=url,
        grade=_grade_label(graph, iri),
    )


def _sources_of(graph: Graph, iri: Node, sources: Mapping[str, Source]) -> tuple[Source, ...]:
    found = [sources[str(source)] for source in graph.objects(iri, DCTERMS.source)]
    return tuple(sorted(found, key=lambda source: (source.grade, source.notation)))


def _concept(graph: Graph, iri: Node, kind: str) -> Concept:
    broader = AC.memberOf if kind == "ingredient" else SKOS.broader
    return Concept(
        iri=str(iri),
        id=local_id(str(iri)),
        kind=kind,
        label=_text(graph, iri, SKOS.prefLabel) or local_id(str(iri)),
        alt_labels=tuple(sorted(str(label) for label in graph.objects(iri, SKOS.altLabel))),
        definition=_text(graph, iri, SKOS.definition),
        broader=tuple(sorted(str(parent) for parent in graph.objects(iri, broader))),
        implies=tuple(sorted(str(cls) for cls in graph.objects(iri, AC.impliesClass))),
    )


def _rule(graph: Graph, iri: Node, procedure: str, sources: Mapping[str, Source]) -> Rule:
    return Rule(
        iri=str(iri),
        id=local_id(str(iri)),
        notation=_text(graph, iri, SKOS.notation) or local_id(str(iri)),
        procedure=procedure,
        subject=str(graph.value(iri, AC.subject)),
        level=LEVELS[graph.value(iri, AC.verdict)],  # type: ignore[index]
        from_day=_integer(graph, iri, AC.fromDay) or 0,
        until_day=_integer(graph, iri, AC.untilDay),
        rationale=_text(graph, iri, AC.rationale) or "",
        sources=_sources_of(graph, iri, sources),
        grade=_grade_label(graph, iri),
        hours=_integer(graph, iri, AC.hours),
        duration_from_source=_boolean(graph, iri, AC.durationFromSource, default=True),
        until_healed=_boolean(graph, iri, AC.untilHealed, default=False),
    )


def _procedure(graph: Graph, iri: Node, sources: Mapping[str, Source]) -> Procedure:
    procedure_id = local_id(str(iri))
    parts = list(graph.subjects(AC.procedure, iri))
    typed = defaultdict(list)
    for part in parts:
        typed[graph.value(part, RDF.type)].append(part)
    phases = [
        Phase(
            id=local_id(str(phase)),
            label=_text(graph, phase, SKOS.prefLabel) or "",
            from_day=_integer(graph, phase, AC.fromDay) or 0,
            until_day=_integer(graph, phase, AC.untilDay),
            expect=_text(graph, phase, AC.expect) or "",
            sources=_sources_of(graph, phase, sources),
        )
        for phase in typed[AC.RecoveryPhase]
    ]
    contraindications = [
        Contraindication(
            id=local_id(str(node)),
            condition=local_id(str(graph.value(node, AC.condition))),
            level=LEVELS[graph.value(node, AC.verdict)],  # type: ignore[index]
            rationale=_text(graph, node, AC.rationale) or "",
            sources=_sources_of(graph, node, sources),
            grade=_grade_label(graph, node),
        )
        for node in typed[AC.Contraindication]
    ]
    signs = [
        WarningSign(
            rank=_integer(graph, sign, AC.rank) or 0,
            description=_text(graph, sign, AC.description) or "",
            sources=_sources_of(graph, sign, sources),
        )
        for sign in typed[AC.WarningSign]
    ]
    rules = [_rule(graph, rule, procedure_id, sources) for rule in typed[AC.Rule]]
    return Procedure(
        iri=str(iri),
        id=procedure_id,
        label=_text(graph, iri, SKOS.prefLabel) or procedure_id,
        alt_labels=tuple(sorted(str(label) for label in graph.objects(iri, SKOS.altLabel))),
        description=_text(graph, iri, RDFS.comment),
        healed_from_day=_integer(graph, iri, AC.healedFromDay),
        phases=tuple(sorted(phases, key=lambda phase: (phase.from_day, phase.until_day or 10**9))),
        rules=tuple(sorted(rules, key=lambda rule: rule.notation)),
        contraindications=tuple(sorted(contraindications, key=lambda item: item.id)),
        warning_signs=tuple(sorted(signs, key=lambda sign: sign.rank)),
    )
