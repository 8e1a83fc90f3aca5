"""Check the knowledge against knowledge/shapes.ttl (SHACL) and say what is wrong in plain words."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import SH, SKOS

from graph.namespaces import local_id


def shape_violations(data: Graph, shapes: Graph) -> list[str]:
    """One line per violation: which node, and the shape's own message. Empty: valid."""
    from pyshacl import validate  # heavy to import, and a cached start-up never validates

    conforms, results, _ = validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=True
    )
    if conforms:
        return []
    problems = set()
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        message = results.value(result, SH.resultMessage)
        path = results.value(result, SH.resultPath)
        where = _describe(data, focus) if isinstance(focus, URIRef) else str(focus)
        detail = f" (property {local_id(path)})" if isinstance(path, URIRef) else ""
        problems.add(f"{where}{detail}: {message}")
    return sorted(problems)


def _describe(data: Graph, node: URIRef) -> str:
    name = data.value(node, SKOS.notation) or data.value(node, SKOS.prefLabel)
    return f"{name} <{node}>" if name else f"<{node}>"
