"""Read knowledge/*.ttl, validate it, and compile it into the Knowledge the checker uses."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from graph.errors import KnowledgeInvalid
from graph.index import Knowledge, compile_knowledge
from graph.namespaces import PREFIXES
from graph.validate import shape_violations

SHAPES_FILE = "shapes.ttl"
KNOWLEDGE_DIR = Path(__file__).resolve().parent.parent / "knowledge"


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
    return graph


def read_shapes(directory: Path) -> Graph:
    return Graph().parse(directory / SHAPES_FILE, format="turtle")


def knowledge_problems(graph: Graph, directory: Path) -> list[str]:
    return shape_violations(graph, read_shapes(directory))


def load_knowledge(directory: Path = KNOWLEDGE_DIR) -> Knowledge:
    """Load, validate and compile; raises KnowledgeInvalid listing every problem."""
    graph = read_graph(directory)
    problems = knowledge_problems(graph, directory)
    if problems:
        raise KnowledgeInvalid(problems)
    return compile_knowledge(graph)
