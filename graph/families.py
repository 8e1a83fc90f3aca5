"""Restricted families caught by name: a family pattern places the listed names it finds.

A retinyl ester that CosIng describes only as "skin conditioning" is still a retinoid. When
the knowledge is read, every listed ingredient whose name or synonym a family pattern
(ac:restrictsListedNames true) finds is said to be a member of the family's classes
(ac:memberOf) and to be so by that pattern (ac:inFamilyOf), in the graph itself: the checker,
the pages and SPARQL all see the same memberships. A family may restrict, never clear; a
deliberate exception is an ac:FamilyException with its reason (team decision 007).
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SKOS

from graph.namespaces import AC
from graph.tokens import normalize_name


def infer_families(graph: Graph) -> int:
    """Add the memberships family patterns imply; returns how many ingredients joined one."""
    exceptions = {
        (graph.value(node, AC.pattern), graph.value(node, AC.ingredient))
        for node in graph.subjects(RDF.type, AC.FamilyException)
    }
    families = []
    for pattern in graph.subjects(AC.restrictsListedNames, Literal(True)):
        try:
            regex = re.compile(str(graph.value(pattern, AC.regex)))
            except_value = graph.value(pattern, AC.exceptRegex)
            exception = re.compile(str(except_value)) if except_value is not None else None
        except re.error:
            continue  # compiling reports a broken expression, naming the pattern
        classes = set(graph.objects(pattern, AC.memberOf))
        families.append((pattern, regex, exception, classes))
    joined = 0
    for ingredient in set(graph.subjects(RDF.type, AC.Ingredient)):
        names = [
            normalize_name(str(name))
            for predicate in (SKOS.prefLabel, SKOS.altLabel)
            for name in graph.objects(ingredient, predicate)
        ]
        ancestors = _ancestors(graph, set(graph.objects(ingredient, AC.memberOf)))
        found = False
        for pattern, regex, exception, classes in families:
            if (pattern, ingredient) in exceptions or classes <= ancestors:
                continue
            if any(regex.search(n) and not (exception and exception.search(n)) for n in names):
                for cls in classes:
                    graph.add((ingredient, AC.memberOf, cls))
                graph.add((ingredient, AC.inFamilyOf, pattern))
                found = True
        joined += found
    return joined


def _ancestors(graph: Graph, classes: set[object]) -> set[object]:
    seen: set[object] = set()
    todo = list(classes)
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.add(cls)
            todo.extend(graph.objects(cls, SKOS.broader))  # type: ignore[arg-type]
    return seen
