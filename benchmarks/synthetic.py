"""A synthetic knowledge graph of any size, shaped like knowledge/*.ttl, for the growth benchmark.

One *unit* is about the size of the curated knowledge: 10 procedures with 3 recovery phases
and 25 rules each, 53 ingredient classes in a hierarchy at most 5 deep, 29 activities,
18 product types, 1,000 ingredients (each in 1-2 classes, most with a synonym) and
6 sources. `knowledge_graph(scale)` makes `scale` units. Unit u is drawn from its own seeded
random generator, so unit 0 is the same at every scale: a label made of unit 0's
ingredients, checked in unit 0's first procedure, asks the engine for exactly the same work
whether the knowledge holds 1 unit or 100 - only the size of everything around it grows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from graph.namespaces import (
    AC,
    ACTIVITY,
    CLASS,
    INGREDIENT,
    PHASE,
    PROCEDURE,
    PRODUCT_TYPE,
    RULE,
    SOURCE,
)

PROCEDURES = 10
PHASES = 3
RULES_PER_PROCEDURE = 25
CLASSES = 53
MAX_DEPTH = 5
ACTIVITIES = 29
PRODUCT_TYPES = 18
INGREDIENTS = 1_000
SOURCES = 6
VERDICTS = (AC.Avoid, AC.Avoid, AC.Caution, AC.Caution, AC.Ok, AC.Recommended)
SYLLABLES = tuple(c + v for c in "bcdfghklmnprstvz" for v in "aeiou")  # 80 of them
SUFFIXES = ("Extract", "Ester", "Glucoside", "Oil", "Acetate", "Polymer", "Ferment", "Salt")

Triple = tuple[URIRef, URIRef, URIRef | Literal]


def word(number: int) -> str:
    """A pronounceable word, different for every number: 0 -> 'Ba', 81 -> 'Bebe'."""
    letters = []
    while True:
        number, digit = divmod(number, len(SYLLABLES))
        letters.append(SYLLABLES[digit])
        if number == 0:
            return "".join(reversed(letters)).capitalize()
        number -= 1


def ingredient_name(unit: int, index: int) -> str:
    return f"{word(unit * INGREDIENTS + index)} {SUFFIXES[index % len(SUFFIXES)]}"


def unit_triples(unit: int) -> Iterator[Triple]:
    """Every triple of one unit."""
    rng = random.Random(f"aftercare-synthetic-{unit}")
    sources = [SOURCE[f"u{unit}-s{i}"] for i in range(SOURCES)]
    for i, source in enumerate(sources):
        yield source, RDF.type, AC.Source
        yield source, SKOS.notation, Literal(f"U{unit}-S{i}")
        yield source, DCTERMS.title, Literal(f"Synthetic source {i} of unit {unit}")
        yield source, AC.evidenceGrade, AC.GradeB
    classes = [CLASS[f"u{unit}-c{i}"] for i in range(CLASSES)]
    depth = [0] * CLASSES
    for i, cls in enumerate(classes):
        yield cls, RDF.type, AC.IngredientClass
        yield cls, SKOS.prefLabel, Literal(f"{word(unit * CLASSES + i)} class {unit}", lang="en")
        parents = [p for p in range(i) if depth[p] < MAX_DEPTH - 1]
        if i >= 5 and parents:  # the first five are roots
            parent = rng.choice(parents)
            depth[i] = depth[parent] + 1
            yield cls, SKOS.broader, classes[parent]
    activities = [ACTIVITY[f"u{unit}-a{i}"] for i in range(ACTIVITIES)]
    product_types = [PRODUCT_TYPE[f"u{unit}-t{i}"] for i in range(PRODUCT_TYPES)]
    for kind, things, name in (
        (AC.Activity, activities, "activity"),
        (AC.ProductType, product_types, "product type"),
    ):
        for i, thing in enumerate(things):
            yield thing, RDF.type, kind
            yield thing, SKOS.prefLabel, Literal(f"Synthetic {name} {i} of unit {unit}", lang="en")
    for i in range(INGREDIENTS):
        ingredient = INGREDIENT[f"u{unit}-i{i}"]
        name = ingredient_name(unit, i)
        yield ingredient, RDF.type, AC.Ingredient
        yield ingredient, SKOS.prefLabel, Literal(name)
        if rng.random() < 0.7:
            yield ingredient, SKOS.altLabel, Literal(f"{name} Complex")
        for cls in rng.sample(classes, rng.choice((1, 1, 2))):
            yield ingredient, AC.memberOf, cls
    subjects = classes + activities + product_types
    for p in range(PROCEDURES):
        procedure = PROCEDURE[f"u{unit}-p{p}"]
        yield procedure, RDF.type, AC.Procedure
        yield (
            procedure,
            SKOS.prefLabel,
            Literal(f"Synthetic procedure {p} of unit {unit}", lang="en"),
        )
        yield procedure, AC.healedFromDay, Literal(7, datatype=XSD.integer)
        for h in range(PHASES):
            phase = PHASE[f"u{unit}-p{p}-h{h}"]
            yield phase, RDF.type, AC.RecoveryPhase
            yield phase, AC.procedure, procedure
            yield phase, SKOS.prefLabel, Literal(f"Phase {h}", lang="en")
            yield phase, AC.fromDay, Literal(h * 3, datatype=XSD.integer)
            if h < PHASES - 1:
                yield phase, AC.untilDay, Literal(h * 3 + 2, datatype=XSD.integer)
            yield phase, AC.expect, Literal("What is normal to feel.", lang="en")
            yield phase, DCTERMS.source, rng.choice(sources)
        for r, subject in enumerate(rng.sample(subjects, RULES_PER_PROCEDURE)):
            rule = RULE[f"u{unit}-p{p}-r{r}"]
            yield rule, RDF.type, AC.Rule
            yield rule, SKOS.notation, Literal(f"U{unit}-P{p}-{r:02d}")
            yield rule, AC.procedure, procedure
            yield rule, AC.subject, subject
            yield rule, AC.verdict, rng.choice(VERDICTS)
            start = rng.choice((0, 0, 0, 1, 2))
            yield rule, AC.fromDay, Literal(start, datatype=XSD.integer)
            if rng.random() < 0.9:
                until = start + rng.randrange(1, 30)
                yield rule, AC.untilDay, Literal(until, datatype=XSD.integer)
            yield rule, AC.rationale, Literal("Why, in plain words.", lang="en")
            yield rule, DCTERMS.source, rng.choice(sources)
            yield rule, AC.evidenceGrade, AC.GradeC


def knowledge_graph(scale: int) -> Graph:
    """`scale` units of synthetic knowledge in one rdflib graph."""
    graph = Graph()
    for grade, label in ((AC.GradeB, "B"), (AC.GradeC, "C")):
        graph.add((grade, RDFS.label, Literal(label, lang="en")))
    for unit in range(scale):
        graph.addN((s, p, o, graph) for s, p, o in unit_triples(unit))
    return graph


def label(count: int = 30, seed: int = 7) -> str:
    """An ingredient list of unit 0's names, the same at every scale."""
    rng = random.Random(seed)
    return ", ".join(ingredient_name(0, i) for i in rng.sample(range(INGREDIENTS), count))


PROCEDURE_ID = "u0-p0"  # the procedure the growth benchmark checks in
