"""The knowledge's Turtle files read into one rdflib graph: for the compiler, and for SPARQL
and tests when they first ask for the graph of a cached Knowledge."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from graph.errors import KnowledgeInvalid
from graph.families import infer_families
from graph.namespaces import PREFIXES

SHAPES_FILE = "shapes.ttl"


def read_graph(directory: Path) -> Graph:
    """Every Turtle file of the directory but the shapes, in one graph."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    files = sorted(path for path in directory.glob("*.ttl") if path.name != SHAPES_FILE)
    if not files:
        raise KnowledgeInvalid([f"No knowledge files (*.ttl) in {directory}."])
    for path in files:
        try:
            graph.parse(path, format="turtle")
        except Exception as error:  # rdflib raises several parser types; all mean bad Turtle
            raise KnowledgeInvalid([f"{path.name} is not valid Turtle: {error}"]) from error
    infer_families(graph)
    return graph


def read_shapes(directory: Path) -> Graph:
    return Graph().parse(directory / SHAPES_FILE, format="turtle")
