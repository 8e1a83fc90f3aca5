"""The SPARQL store's named graphs (one per knowledge file), dataset selection without
fetching, format= beside Accept, the service description, and the same answers as rdflib."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from graph import sparql_store
from graph.index import Knowledge
from graph.namespaces import INGREDIENT, PREFIXES
from tests.conftest import KNOWLEDGE_DIR
from tests.test_sparql import QUERIES, SD, assert_error, http, serve

GRAPH = sparql_store.GRAPH_BASE
INGREDIENTS, SOURCES = GRAPH + "ingredients", GRAPH + "sources"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def endpoint(knowledge: Knowledge) -> Iterator[str]:
    yield from serve(knowledge, {"SPARQL_TIME_LIMIT_MS": 60_000})


def count(endpoint: str, query: str, **params: str | list[str]) -> int:
    reply = http(endpoint, [("query", query), *_pairs(params)], accept="text/csv")
    assert reply.status == 200, reply.body
    return int(reply.body.decode().split()[1])


def _pairs(params: dict[str, str | list[str]]) -> list[tuple[str, str]]:
    return [
        (name.replace("_", "-"), value)
        for name, values in params.items()
        for value in ([values] if isinstance(values, str) else values)
    ]


def test_each_knowledge_file_is_a_named_graph_and_the_default_graph_is_their_union(
    endpoint: str, knowledge: Knowledge
) -> None:
    reply = http(
        endpoint, {"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}, accept="text/csv"
    )
    names = set(reply.body.decode().split()[1:])
    files = {path.stem for path in KNOWLEDGE_DIR.glob("*.ttl")} - {"shapes"}
    assert names == {GRAPH + stem for stem in files} | {sparql_store.INFERRED}
    assert count(endpoint, COUNT) == len(knowledge.graph)
    where = f"SELECT ?g WHERE {{ GRAPH ?g {{ <{INGREDIENT.retinol}> a ?type }} }}"
    assert http(endpoint, {"query": where}, accept="text/csv").body.decode().split()[1:] == [
        INGREDIENTS
    ]


def test_family_memberships_rdflib_inferred_are_their_own_graph(
    endpoint: str, knowledge: Knowledge
) -> None:
    inferred = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{sparql_store.INFERRED}> {{ ?s ?p ?o }} }}"
    assert count(endpoint, inferred) > 0
    in_family = URIRef(PREFIXES["ac"] + "inFamilyOf")
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ac:inFamilyOf ?p }"
    assert count(endpoint, query) == len(set(knowledge.graph.subject_objects(in_family))) > 0


@pytest.mark.parametrize(
    ("query", "params", "graphs"),
    [
        (f"SELECT (COUNT(*) AS ?n) FROM <{SOURCES}> WHERE {{ ?s ?p ?o }}", {}, [SOURCES]),
        (
            f"SELECT (COUNT(*) AS ?n) FROM <{SOURCES}> FROM <{INGREDIENTS}> WHERE {{ ?s ?p ?o }}",
            {},
            [SOURCES, INGREDIENTS],
        ),
        (
            f"PREFIX g: <{GRAPH}> SELECT (COUNT(*) AS ?n) FROM NAMED g:sources "
            "WHERE { GRAPH ?g { ?s ?p ?o } }",
            {},
            [SOURCES],
        ),
        (COUNT, {"default_graph_uri": SOURCES}, [SOURCES]),
        (
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            {"named_graph_uri": [SOURCES, INGREDIENTS]},
            [SOURCES, INGREDIENTS],
        ),
        # The protocol's dataset wins over the query's (SPARQL 1.1 Protocol, 2.1.4).
        (
            f"SELECT (COUNT(*) AS ?n) FROM <{INGREDIENTS}> WHERE {{ ?s ?p ?o }}",
            {"default_graph_uri": SOURCES},
            [SOURCES],
        ),
    ],
    ids=["FROM", "two FROM", "FROM NAMED", "default-graph-uri", "named-graph-uri", "protocol wins"],
)
def test_a_dataset_of_graphs_the_service_holds_is_queried(
    endpoint: str, query: str, params: dict[str, str | list[str]], graphs: list[str]
) -> None:
    expected = sum(
        count(endpoint, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{g}> {{ ?s ?p ?o }} }}") for g in graphs
    )
    assert count(endpoint, query, **params) == expected > 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"query": "SELECT * FROM <http://example.org/g> { ?s ?p ?o }"}, "query"),
        ({"query": "SELECT * FROM NAMED <http://example.org/g> { ?s ?p ?o }"}, "query"),
        ({"query": "SELECT * { GRAPH <http://example.org/g> { ?s ?p ?o } }"}, "query"),
        ({"query": "SELECT * { GRAPH src:aad { ?s ?p ?o } }"}, "query"),
        ({"query": COUNT, "default-graph-uri": "http://example.org/g"}, "default-graph-uri"),
        ({"query": COUNT, "named-graph-uri": "http://example.org/g"}, "named-graph-uri"),
    ],
)
def test_a_graph_the_service_does_not_hold_is_refused_naming_those_it_holds(
    endpoint: str, params: dict[str, str], field: str
) -> None:
    message = assert_error(http(endpoint, params), 400, field)
    assert "does not hold" in message and INGREDIENTS in message and SOURCES in message


@pytest.mark.parametrize(
    ("query", "format_", "media_type"),
    [
        ("SELECT * WHERE { ing:retinol skos:prefLabel ?l }", "csv", "text/csv"),
        ("SELECT * WHERE { ing:retinol skos:prefLabel ?l }", "tsv", "text/tab-separated-values"),
        (
            "SELECT * WHERE { ing:retinol skos:prefLabel ?l }",
            "xml",
            "application/sparql-results+xml",
        ),
        (
            "SELECT * WHERE { ing:retinol skos:prefLabel ?l }",
            "json",
            "application/sparql-results+json",
        ),
        ("SELECT * WHERE { ing:retinol skos:prefLabel ?l }", "text/csv", "text/csv"),
        ("DESCRIBE ing:retinol", "ntriples", "application/n-triples"),
        ("DESCRIBE ing:retinol", "json", "application/ld+json"),
        ("DESCRIBE ing:retinol", "xml", "application/rdf+xml"),
    ],
)
def test_format_parameter_chooses_the_format_beside_accept(
    endpoint: str, query: str, format_: str, media_type: str
) -> None:
    reply = http(endpoint, {"query": query, "format": format_}, accept="text/turtle")
    assert reply.status == 200, reply.body
    assert reply.content_type == f"{media_type}; charset=utf-8"


def test_a_format_that_cannot_carry_the_answer_is_406_naming_format(endpoint: str) -> None:
    reply = http(endpoint, {"query": "DESCRIBE ing:retinol", "format": "csv"})
    assert "come as" in assert_error(reply, 406, "format")


def test_the_service_description_lists_the_named_graphs_and_never_echoes_the_host(
    endpoint: str, knowledge: Knowledge
) -> None:
    reply = http(endpoint, accept="text/turtle", headers={"Host": "evil.example"})
    assert b"evil.example" not in reply.body
    description = Graph().parse(data=reply.body, format="turtle", publicID=endpoint)
    assert (URIRef(endpoint), RDF.type, URIRef(SD + "Service")) in description
    names = set(description.objects(None, URIRef(SD + "name")))
    assert URIRef(INGREDIENTS) in names and URIRef(sparql_store.INFERRED) in names
    feature = URIRef(SD + "UnionDefaultGraph")
    assert (URIRef(endpoint), URIRef(SD + "feature"), feature) in description


def test_a_configured_base_url_is_the_endpoint_address(knowledge: Knowledge) -> None:
    base = "https://aftercare.example/app"
    for url in serve(knowledge, {"SPARQL_BASE_URL": base + "/"}):
        reply = http(url, accept="application/n-triples", headers={"Host": "evil.example"})
        assert reply.status == 200
        description = Graph().parse(data=reply.body, format="nt")
        assert (URIRef(base + "/sparql"), RDF.type, URIRef(SD + "Service")) in description
        assert b"evil.example" not in reply.body


def normalised(rows: list[dict[str, str]]) -> Counter[tuple[tuple[str, str], ...]]:
    """Rows as a multiset; a GROUP_CONCAT's parts sorted, since their order is each engine's."""
    return Counter(
        tuple(sorted((name, "; ".join(sorted(value.split("; ")))) for name, value in row.items()))
        for row in rows
    )


@pytest.mark.parametrize("path", QUERIES, ids=lambda path: path.stem)
def test_canned_query_answers_the_rows_rdflib_answers(
    endpoint: str, knowledge: Knowledge, path: Path
) -> None:
    """The store holds what the rdflib graph holds: each ready-made query, evaluated by rdflib
    on the graph the checker is compiled from, gives the same rows."""
    text = path.read_text()
    reply = http(endpoint, {"query": text})
    assert reply.status == 200, reply.body
    ours = [
        {name: term["value"] for name, term in row.items()}
        for row in reply.json()["results"]["bindings"]
    ]
    theirs = [
        {str(name): str(value) for name, value in row.asdict().items()}  # type: ignore[union-attr]
        for row in knowledge.graph.query(text, initNs=PREFIXES)
    ]
    assert normalised(ours) == normalised(theirs)
