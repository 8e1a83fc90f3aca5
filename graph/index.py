"""Compile the validated RDF graph once into an immutable index the engine reads."""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path as FsPath

from rdflib import Graph, Literal
from rdflib.namespace import RDF

from graph.errors import InvalidValue, KnowledgeInvalid, NotFound, UnknownProcedure
from graph.model import (
    Concept,
    LegalMaximum,
    Procedure,
    Rule,
    Source,
    TraceRole,
)
from graph.namespaces import AC, local_id
from graph.rdfread import (
    read_boolean,
    read_concepts,
    read_integer,
    read_legal_maxima,
    read_procedure,
    read_source,
    read_text,
    read_trace_roles,
)
from graph.tokens import normalize_name, ocr_fold
from graph.turtle import read_graph

LEAF_KINDS = {"ingredient", "pattern"}  # their lineage is computed from their classes on demand

Path = tuple[str, ...]  # iris from a concept up to one of its ancestors, both included
_BRACKETS = re.compile(r"[()\[\]]")


@dataclass(frozen=True, slots=True)
class NameHit:
    iri: str
    match: str  # "exact" (the INCI name) or "synonym"
    table: str | None = None  # the name table a synonym comes from (pharmacopoeia, plant, …)


@dataclass(frozen=True, slots=True)
class NamePattern:
    concept: Concept  # kind "pattern": its broader iris are the classes it places names in
    regex: re.Pattern[str]
    exception: re.Pattern[str] | None
    family: bool = False  # it also places listed names in its classes (restricting only)

    def finds(self, normalized_name: str) -> bool:
        return bool(self.regex.search(normalized_name)) and not (
            self.exception and self.exception.search(normalized_name)
        )


class GraphHandle:
    """The rdflib graph of the knowledge, parsed only when first asked for (SPARQL, tests)."""

    def __init__(self, directory: FsPath | None, graph: Graph | None = None) -> None:
        self.directory = directory
        self._graph = graph
        self._lock = threading.Lock()

    def get(self) -> Graph:
        with self._lock:
            if self._graph is None:
                assert self.directory is not None
                self._graph = read_graph(self.directory)
            return self._graph

    def __getstate__(self) -> dict[str, object]:
        return {"directory": self.directory}

    def __setstate__(self, state: dict[str, object]) -> None:
        directory = state["directory"]
        self.__init__(directory if isinstance(directory, FsPath) else None)  # type: ignore[misc]


@dataclass(frozen=True, eq=False, repr=False)  # compared and hashed by identity: a memo key
class Knowledge:
    """Everything the checker knows, compiled from knowledge/*.ttl; never mutated."""

    graph_handle: GraphHandle
    procedures: Mapping[str, Procedure]
    concepts: Mapping[str, Concept]
    keys: Mapping[tuple[str, str], str]  # (kind, normalised id or name) -> iri
    names: Mapping[str, NameHit]  # normalised ingredient name -> ingredient
    name_list: tuple[str, ...]  # the same names, sorted: what fuzzy matching searches
    lookalikes: Mapping[str, str]  # name with OCR look-alike letters folded -> the name
    names_by_length: Mapping[int, tuple[str, ...]]  # fuzzy matching only compares near lengths
    patterns: tuple[NamePattern, ...]  # in rank order
    lineages: Mapping[str, Mapping[str, Path]]  # for every concept but ingredients
    rules_by_subject: Mapping[tuple[str, str], tuple[Rule, ...]]
    sources: Mapping[str, Source]
    by_kind: Mapping[str, tuple[Concept, ...]]  # pages list a kind without scanning 29,000
    members: Mapping[str, tuple[str, ...]]  # class iri -> the ingredients directly in it
    legal_maxima: Mapping[str, tuple[LegalMaximum, ...]]  # ingredient iri -> its legal maxima
    trace_roles: Mapping[str, TraceRole]  # dual-use ingredient iri -> its trace role
    outside_order: frozenset[str]  # classes whose members a label may list in any order
    name_tables: Mapping[str, str]  # name table iri -> the kind of names it holds, in words
    assumed_types: Mapping[str, str]  # product type iri -> the type it is assumed for
    short_for: Mapping[str, str]  # ingredient iri -> the class its INCI name also shortens
    triple_count: int  # triples in the graph, known without parsing it again
    version: str = ""  # hash of the knowledge files (and compiler) it was built from

    def __repr__(self) -> str:  # the generated one runs to megabytes
        return f"<Knowledge {self.version or 'uncached'}: {len(self.concepts):,} concepts>"

    @property
    def graph(self) -> Graph:
        return self.graph_handle.get()

    def procedure(self, key: str) -> Procedure:
        """A procedure by id or name, case-insensitive."""
        iri = self.keys.get(("procedure", normalize_name(key)))
        if iri is not None:
            return self.procedures[local_id(iri)]
        known = ", ".join(sorted(self.procedures))
        raise UnknownProcedure(
            f"Unknown procedure {key!r}; known procedures: {known}.", field="procedure"
        )

    def product_type(self, key: str) -> Concept:
        """A product type by id or name; an unknown one names the known ones (a wrong value)."""
        try:
            return self.concept("product-type", key, field="product_type")
        except NotFound as error:
            known = ", ".join(sorted(c.id for c in self.of_kind("product-type")))
            raise InvalidValue(
                f"Unknown product type {key!r}; known product types: {known}.", "product_type"
            ) from error

    def of_kind(self, kind: str) -> Iterator[Concept]:
        return iter(self.by_kind.get(kind, ()))

    def concept(self, kind: str, key: str, field: str) -> Concept:
        """A concept of a kind by id or by any of its names, case-insensitive."""
        iri = self.keys.get((kind, normalize_name(key)))
        if iri is None:
            raise NotFound(f"No {kind.replace('-', ' ')} called {key!r}.", field=field)
        return self.concepts[iri]

    def lineage(self, iri: str) -> Mapping[str, Path]:
        """Each ancestor of a concept (itself included) with the shortest path to it."""
        known = self.lineages.get(iri)
        if known is not None:
            return known
        paths: dict[str, Path] = {iri: (iri,)}
        concept = self.concepts.get(iri)
        for parent in concept.broader if concept else ():
            for ancestor, path in self.lineages.get(parent, {parent: (parent,)}).items():
                if ancestor not in paths or len(path) + 1 < len(paths[ancestor]):
                    paths[ancestor] = (iri, *path)
        return paths

    def rules_for(self, procedure: str, iri: str) -> list[tuple[Rule, Path]]:
        """Every rule of the procedure on the concept or on anything broader than it."""
        return [
            (rule, path)
            for ancestor, path in self.lineage(iri).items()
            for rule in self.rules_by_subject.get((procedure, ancestor), ())
        ]


def compile_knowledge(graph: Graph, directory: FsPath | None = None) -> Knowledge:
    problems: list[str] = []
    sources = {str(iri): read_source(graph, iri) for iri in graph.subjects(RDF.type, AC.Source)}
    concepts = read_concepts(graph)
    lineages = _lineages(concepts, problems)
    patterns = _patterns(graph, concepts, problems)
    names = _name_index(graph, concepts, problems)
    procedures = {
        local_id(str(iri)): read_procedure(graph, iri, sources)
        for iri in graph.subjects(RDF.type, AC.Procedure)
    }
    rules_by_subject: dict[tuple[str, str], list[Rule]] = defaultdict(list)
    for procedure in procedures.values():
        for rule in procedure.rules:
            rules_by_subject[(procedure.id, rule.subject)].append(rule)
    if problems:
        raise KnowledgeInvalid(problems)
    return Knowledge(
        graph_handle=GraphHandle(directory, graph),
        procedures=procedures,
        concepts=concepts,
        keys=_keys(concepts, procedures),
        names=names,
        name_list=tuple(sorted(names)),
        lookalikes=_lookalikes(names),
        names_by_length=_by_length(names),
        patterns=patterns,
        lineages=lineages,
        rules_by_subject={key: tuple(rules) for key, rules in rules_by_subject.items()},
        sources=sources,
        by_kind=_by_kind(concepts),
        members=_members(concepts),
        legal_maxima=read_legal_maxima(graph),
        trace_roles=read_trace_roles(graph, sources),
        outside_order=frozenset(
            str(cls) for cls in graph.subjects(AC.outsideLabelOrder, Literal(True))
        ),
        assumed_types={
            str(assumed): str(kind) for assumed, kind in graph.subject_objects(AC.assumedFor)
        },
        short_for={
            str(name): str(family) for name, family in graph.subject_objects(AC.alsoShortFor)
        },
        name_tables={
            str(table): read_text(graph, table, AC.nameKind) or ""
            for table in graph.subjects(RDF.type, AC.NameTable)
        },
        triple_count=len(graph),
    )


def _by_kind(concepts: Mapping[str, Concept]) -> dict[str, tuple[Concept, ...]]:
    found: dict[str, list[Concept]] = defaultdict(list)
    for concept in concepts.values():
        found[concept.kind].append(concept)
    return {kind: tuple(items) for kind, items in found.items()}


def _members(concepts: Mapping[str, Concept]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = defaultdict(list)
    for concept in concepts.values():
        if concept.kind == "ingredient":
            for cls in concept.broader:
                found[cls].append(concept.iri)
    return {cls: tuple(iris) for cls, iris in found.items()}


def _keys(
    concepts: Mapping[str, Concept], procedures: Mapping[str, Procedure]
) -> dict[tuple[str, str], str]:
    """Where a person may type an id or a name, each normalised form leads to one thing."""
    keys: dict[tuple[str, str], str] = {}
    for procedure in procedures.values():
        for name in (procedure.id, procedure.label, *procedure.alt_labels):
            keys.setdefault(("procedure", normalize_name(name)), procedure.iri)
    for concept in concepts.values():
        keys[(concept.kind, normalize_name(concept.id))] = concept.iri
    for concept in concepts.values():
        for name in (concept.label, *concept.alt_labels):
            keys.setdefault((concept.kind, normalize_name(name)), concept.iri)
    return keys


def _by_length(names: Mapping[str, NameHit]) -> dict[int, tuple[str, ...]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for name in sorted(names):
        grouped[len(name)].append(name)
    return {length: tuple(group) for length, group in grouped.items()}


def _lookalikes(names: Mapping[str, NameHit]) -> dict[str, str]:
    """Folded spellings that still lead to exactly one ingredient."""
    folded: dict[str, str | None] = {}
    for name, hit in names.items():
        key = ocr_fold(name)
        if key not in folded:
            folded[key] = name
        elif (other := folded[key]) is not None and names[other].iri != hit.iri:
            folded[key] = None  # two ingredients look alike once folded: never guess
    return {key: name for key, name in folded.items() if name is not None}


def _patterns(
    graph: Graph, concepts: Mapping[str, Concept], problems: list[str]
) -> tuple[NamePattern, ...]:
    found = []
    for iri in graph.subjects(RDF.type, AC.NamePattern):
        concept = concepts[str(iri)]
        try:
            regex = re.compile(str(graph.value(iri, AC.regex)))
            exception = graph.value(iri, AC.exceptRegex)
            except_regex = re.compile(str(exception)) if exception is not None else None
        except re.error as error:
            problems.append(f"Name pattern {concept.id} has a broken regular expression: {error}")
            continue
        rank = read_integer(graph, iri, AC.rank) or 0
        family = read_boolean(graph, iri, AC.restrictsListedNames, default=False)
        found.append((rank, concept.id, NamePattern(concept, regex, except_regex, family)))
    return tuple(pattern for _, _, pattern in sorted(found, key=lambda item: item[:2]))


def _lineages(concepts: Mapping[str, Concept], problems: list[str]) -> dict[str, dict[str, Path]]:
    """Shortest paths up the hierarchy (skos:broader, ac:memberOf), which must be a DAG."""
    import networkx as nx  # only compiling needs it; a cached start-up does not

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
        for iri, concept in concepts.items()
        if concept.kind not in LEAF_KINDS
        if (paths := nx.single_source_shortest_path(hierarchy, iri))
    }


def _name_index(
    graph: Graph, concepts: Mapping[str, Concept], problems: list[str]
) -> dict[str, NameHit]:
    """Every ingredient name, synonym and other name, normalised; one name, one ingredient."""
    names: dict[str, NameHit] = {}

    def add(name: str, hit: NameHit) -> None:
        key = normalize_name(name)
        other = names.get(key)
        if other is None:
            names[key] = hit
        elif other.iri != hit.iri:
            problems.append(
                f"The name {name!r} belongs to two ingredients, {local_id(other.iri)} "
                f"and {local_id(hit.iri)}; a label could not tell them apart."
            )

    ingredients = [concept for concept in concepts.values() if concept.kind == "ingredient"]
    for ingredient in ingredients:
        add(ingredient.label, NameHit(ingredient.iri, "exact"))
    for ingredient in ingredients:
        for name in ingredient.alt_labels:
            add(name, NameHit(ingredient.iri, "synonym"))
    # Labels drop the brackets of a name and keep their words ('Butyrospermum Parkii Shea
    # Butter' for 'Butyrospermum Parkii (Shea) Butter'): each such variant leads to its
    # ingredient, unless it is another ingredient's name.
    for ingredient in ingredients:
        for name in (ingredient.label, *ingredient.alt_labels):
            if "(" in name or "[" in name:
                variant = normalize_name(_BRACKETS.sub(" ", name))
                names.setdefault(variant, NameHit(ingredient.iri, "synonym"))
    for node in graph.subjects(RDF.type, AC.OtherName):
        other_name, target = graph.value(node, AC.name), str(graph.value(node, AC.ingredient))
        if other_name is not None and target in concepts:
            add(str(other_name), NameHit(target, "synonym", str(graph.value(node, AC.table))))
    return names
