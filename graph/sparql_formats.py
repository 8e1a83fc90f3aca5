"""SPARQL answers as the formats clients ask for, and the service description."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD, Namespace
from rdflib.query import Result
from rdflib.term import Node

from graph.errors import NotAcceptable
from graph.namespaces import PREFIXES
from graph.sparql import Answer, Limits

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")

# What a client may ask for, per kind of answer; the first is the default when any will do.
RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
)
JSON_RESULTS = ("application/sparql-results+json", "application/json")
GRAPH_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/json": "json-ld",
    "application/xml": "xml",
}
GRAPH_TYPES = tuple(GRAPH_FORMATS)
# The service description comes only in RDF's own types, so that a client asking for
# results (SPARQL JSON, or plain JSON) without a query is told to give one. N-Triples only
# when the endpoint's address is configured: it cannot hold the relative one.
DESCRIPTION_TYPES = (
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
)
# format= beside Accept: a short name, per kind of answer, or a media type itself.
FORMAT_NAMES = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
    "turtle": ("text/turtle",),
    "ttl": ("text/turtle",),
    "ntriples": ("application/n-triples",),
    "nt": ("application/n-triples",),
    "jsonld": ("application/ld+json",),
    "rdfxml": ("application/rdf+xml",),
    "html": ("text/html",),
}
FORMAT_IRIS = {
    "application/sparql-results+json": FORMATS.SPARQL_Results_JSON,
    "application/sparql-results+xml": FORMATS.SPARQL_Results_XML,
    "text/csv": FORMATS.SPARQL_Results_CSV,
    "text/tab-separated-values": FORMATS.SPARQL_Results_TSV,
    "text/turtle": FORMATS.Turtle,
    "application/n-triples": FORMATS["N-Triples"],
    "application/ld+json": FORMATS["JSON-LD"],
    "application/rdf+xml": FORMATS.RDF_XML,
}


def media_types(kind: str) -> tuple[str, ...]:
    """The media types an answer of this kind (SELECT, ASK, CONSTRUCT, DESCRIBE) comes in."""
    return RESULT_TYPES if kind in ("SELECT", "ASK") else GRAPH_TYPES


def description_types(absolute: bool) -> tuple[str, ...]:
    """The types of the service description: N-Triples only with an absolute address."""
    return tuple(t for t in DESCRIPTION_TYPES if absolute or t != "application/n-triples")


def media_type_for(asked: str, offered: Sequence[str]) -> str | None:
    """The media type a format= parameter asks for, among those offered; None if none."""
    asked = asked.strip().lower()
    wanted = FORMAT_NAMES.get(asked, (asked.split(";")[0].strip(),))
    return next((media_type for media_type in wanted if media_type in offered), None)


def content_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8"


def serialise(answer: Answer, media_type: str) -> bytes:
    """The answer in one of media_types(answer.kind)."""
    if answer.kind in ("CONSTRUCT", "DESCRIBE"):
        graph = Graph(bind_namespaces="none")
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in answer.triples:
            graph.add(triple)
        return serialise_graph(graph, media_type)
    if media_type in JSON_RESULTS:
        return answer.document or _json(answer)
    if media_type in ("application/sparql-results+xml", "application/xml"):
        return _xml(answer)
    if media_type == "text/csv":
        return _csv(answer)
    if media_type == "text/tab-separated-values":
        return _tsv(answer)
    raise NotAcceptable(f"{answer.kind} answers do not come as {media_type}.", field="Accept")


def serialise_graph(graph: Graph, media_type: str) -> bytes:
    if media_type not in GRAPH_FORMATS:
        raise NotAcceptable(f"Graphs do not come as {media_type}.", field="Accept")
    return graph.serialize(format=GRAPH_FORMATS[media_type], encoding="utf-8")


def _json(answer: Answer) -> bytes:
    document: dict[str, Any]
    if answer.kind == "ASK":
        document = {"head": {}, "boolean": answer.boolean}
    else:
        document = {
            "head": {"vars": list(answer.variables)},
            "results": {
                "bindings": [
                    {name: _json_term(term) for name, term in row.items()} for row in answer.rows
                ]
            },
            "truncated": answer.truncated,  # ours: clients that don't know it ignore it
        }
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        found = {"type": "literal", "value": str(term)}
        if term.language:
            found["xml:lang"] = term.language
        elif term.datatype:
            found["datatype"] = str(term.datatype)
        return found
    return {"type": "uri", "value": str(term)}


def _xml(answer: Answer) -> bytes:
    result = Result(answer.kind)
    if answer.kind == "ASK":
        result.askAnswer = bool(answer.boolean)
    else:
        result.vars = [Variable(name) for name in answer.variables]
        result.bindings = [
            {Variable(name): term for name, term in row.items()} for row in answer.rows
        ]
    return result.serialize(format="xml", encoding="utf-8") or b""


# ASK has no table format in the standard; like Jena, answer one cell named _askResult.


def _csv(answer: Answer) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180: quoted where needed, CRLF line ends
    if answer.kind == "ASK":
        writer.writerows([["_askResult"], [_boolean(answer)]])
    else:
        writer.writerow(answer.variables)
        writer.writerows(
            [_csv_term(row.get(name)) for name in answer.variables] for row in answer.rows
        )
    return out.getvalue().encode("utf-8")


def _tsv(answer: Answer) -> bytes:
    if answer.kind == "ASK":
        lines = ["?_askResult", _boolean(answer)]
    else:
        lines = ["\t".join(f"?{name}" for name in answer.variables)]
        lines.extend(
            "\t".join(_tsv_term(row.get(name)) for name in answer.variables) for row in answer.rows
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def _boolean(answer: Answer) -> str:
    return "true" if answer.boolean else "false"


def _csv_term(term: Node | None) -> str:
    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _tsv_term(term: Node | None) -> str:
    # TSV writes terms as in Turtle, with tabs and newlines escaped so each row is one line.
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = str(term)
        for raw, escaped in (
            ("\\", "\\\\"),
            ('"', '\\"'),
            ("\n", "\\n"),
            ("\r", "\\r"),
            ("\t", "\\t"),
        ):
            text = text.replace(raw, escaped)
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    return f"<{term}>"


def display_term(term: Node | None) -> str:
    """A term as a person reads it in a table: ing:retinol, not the whole IRI."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            local = text.removeprefix(str(namespace))
            if local != text and local and "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
        return f"<{text}>"
    return str(term)


def describe_service(
    endpoint: str,
    limits: Limits,
    default_triples: int | None,
    graph_sizes: Mapping[str, int],
) -> Graph:
    """The SPARQL 1.1 Service Description of this endpoint, in the sd: vocabulary: its named
    graphs with their sizes, the default graph (their union) with its size."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in (("sd", SD), ("formats", FORMATS), ("void", VOID)):
        graph.bind(prefix, namespace)
    graph.bind("dcterms", DCTERMS)
    graph.bind("rdfs", RDFS)
    service = URIRef(endpoint)
    dataset, default_graph = BNode(), BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for format_iri in FORMAT_IRIS.values():
        graph.add((service, SD.resultFormat, format_iri))
    graph.add(
        (service, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple"))
    )
    if graph_sizes:
        graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, DCTERMS.title, Literal("Aftercare Checker knowledge graph", lang="en")))
    graph.add(
        (
            service,
            RDFS.comment,
            Literal(
                "Read-only: updates, LOAD and SERVICE are refused, FROM, FROM NAMED, GRAPH, "
                "default-graph-uri and named-graph-uri may name only the graphs listed here, "
                "and no request ever leaves the server. Each query runs for at most "
                f"{limits.time_limit_ms} ms in at most {limits.memory_limit_mb} MB, returns at "
                f"most {limits.max_rows} rows or triples (more: the answer says it was "
                f"truncated) and may have at most {limits.max_query_chars} characters.",
                lang="en",
            ),
        )
    )
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    total = sum(graph_sizes.values()) if default_triples is None else default_triples
    graph.add((default_graph, VOID.triples, Literal(total)))
    for name, size in graph_sizes.items():
        named, described = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(size)))
    return graph
