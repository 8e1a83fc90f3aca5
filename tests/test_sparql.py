"""The SPARQL endpoint, over real HTTP with real clients: protocol, formats, refusals, limits."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from xml.dom.minidom import Document

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TURTLE, URLENCODED, XML, SPARQLWrapper
from werkzeug.serving import make_server

from app import create_app
from graph import sparql, sparql_pool
from graph.errors import QueryRefused
from graph.index import Knowledge
from graph.namespaces import CLASS, INGREDIENT, PROCEDURE
from tests.conftest import KNOWLEDGE_DIR, ROOT
from web.knowledge import store_of

QUERIES = sorted((KNOWLEDGE_DIR / "queries").glob("*.rq"))
SD = "http://www.w3.org/ns/sparql-service-description#"
RETINOL_LABEL = "SELECT ?label WHERE { ing:retinol skos:prefLabel ?label }"
# Three copies of every triple side by side: ~10^15 rows, so it can only end by being stopped.
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIMITED = {"SPARQL_TIME_LIMIT_MS": 1000, "SPARQL_MAX_ROWS": 3, "SPARQL_MAX_QUERY_CHARS": 400}
# Unstopped, each runaway query below runs for hours; stopping it at the limit plus freeing what
# it built takes a second or two more on a loaded two-core machine. Five seconds tells the two
# apart without failing on a busy CI neighbour.
STOP_MARGIN_SECONDS = 5


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    def json(self) -> Any:
        return json.loads(self.body)


def http(
    url: str,
    params: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
    *,
    body: bytes | None = None,
    content_type: str | None = None,
    accept: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Reply:
    """One plain HTTP request, as curl sends it; an error status is a reply too."""
    target = f"{url}?{urlencode(params)}" if params else url
    headers = {**({"Accept": accept} if accept else {}), **(headers or {})}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(target, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Reply(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers), error.read())


def form(values: Mapping[str, str] | Sequence[tuple[str, str]]) -> bytes:
    return urlencode(values).encode()


def assert_error(reply: Reply, status: int, field: str | None) -> str:
    """The one error shape, on every refusal: {"error": "...", "field": "..."}."""
    assert reply.status == status, reply.body
    assert reply.content_type.startswith("application/json")
    answer = reply.json()
    assert set(answer) == {"error", "field"}
    assert answer["field"] == field
    message = answer["error"]
    assert isinstance(message, str) and message
    return message


def serve(knowledge: Knowledge, config: Mapping[str, Any]) -> Iterator[str]:
    app = create_app({"KNOWLEDGE": knowledge, **config})
    if not app.config["SPARQL_STORE_URL"]:
        store_of(app)  # before anything is timed
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def endpoint(knowledge: Knowledge) -> Iterator[str]:
    """The endpoint with the default limits, as shipped."""
    yield from serve(knowledge, {})


@pytest.fixture(scope="module")
def unhurried(knowledge: Knowledge) -> Iterator[str]:
    """The endpoint with a time limit no busy machine reaches: for tests of answers, not speed.

    The slowest canned query takes ~5 s on an idle machine, half the default limit;
    benchmarks/sparql_queries.py records each one's time.
    """
    yield from serve(knowledge, {"SPARQL_TIME_LIMIT_MS": 120_000})


@pytest.fixture(scope="module")
def limited(knowledge: Knowledge) -> Iterator[str]:
    """The endpoint with small limits: 1 s, 3 rows, 400 characters."""
    yield from serve(knowledge, LIMITED)


def wrapper(endpoint: str, query: str, return_format: str) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    return client


# --- real clients ---------------------------------------------------------------------------


def test_sparqlwrapper_json_select_counts_the_rules_of_a_procedure(
    endpoint: str, knowledge: Knowledge
) -> None:
    query = (
        "SELECT (COUNT(?rule) AS ?n) WHERE { ?rule a ac:Rule ; ac:procedure proc:microneedling }"
    )
    results = wrapper(endpoint, query, JSON).queryAndConvert()
    assert isinstance(results, dict)
    count = int(results["results"]["bindings"][0]["n"]["value"])
    assert count == len(knowledge.procedure("microneedling").rules)


def test_sparqlwrapper_xml_select_reads_a_label(endpoint: str) -> None:
    results = wrapper(endpoint, RETINOL_LABEL, XML).queryAndConvert()
    assert isinstance(results, Document)
    literals = [
        child.nodeValue
        for node in results.getElementsByTagName("literal")
        for child in node.childNodes
    ]
    assert literals == ["Retinol"]


def test_sparqlwrapper_csv_select_is_a_table(endpoint: str) -> None:
    query = "SELECT ?code ?from WHERE { rule:mn-02 skos:notation ?code ; ac:fromDay ?from }"
    results = wrapper(endpoint, query, CSV).queryAndConvert()
    assert isinstance(results, bytes)
    assert list(csv.reader(io.StringIO(results.decode()))) == [["code", "from"], ["MN-02", "0"]]


@pytest.mark.parametrize("request_method", [URLENCODED, POSTDIRECTLY])
def test_sparqlwrapper_posts_form_and_direct_queries(endpoint: str, request_method: str) -> None:
    client = wrapper(endpoint, "ASK { ing:retinol ac:memberOf ?class }", JSON)
    client.setMethod(POST)
    client.setRequestMethod(request_method)
    assert client.queryAndConvert() == {"head": {}, "boolean": True}


def test_sparqlwrapper_construct_comes_back_as_turtle(endpoint: str) -> None:
    query = "CONSTRUCT { ing:retinol ?p ?o } WHERE { ing:retinol ?p ?o }"
    turtle = wrapper(endpoint, query, TURTLE).queryAndConvert()
    assert isinstance(turtle, bytes)
    graph = Graph().parse(data=turtle, format="turtle")
    assert (
        INGREDIENT.retinol,
        RDF.type,
        URIRef("https://example.org/aftercare#Ingredient"),
    ) in graph


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_queries_the_endpoint(
    endpoint: str, knowledge: Knowledge, method: str
) -> None:
    remote = Graph(store=SPARQLStore(endpoint, method=method))
    rows = list(remote.query(RETINOL_LABEL.replace("ing:retinol", f"<{INGREDIENT.retinol}>")))
    assert [row[0] for row in rows] == [Literal("Retinol")]  # type: ignore[index]
    local = set(knowledge.graph.triples((INGREDIENT.retinol, None, None)))
    assert set(remote.triples((INGREDIENT.retinol, None, None))) == local


def test_rdflib_sparqlstore_counts_every_triple(endpoint: str, knowledge: Knowledge) -> None:
    assert len(Graph(store=SPARQLStore(endpoint))) == len(knowledge.graph)


# --- content negotiation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type", "first_line"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", '{"head"'),
        ("application/json", "application/json", '{"head"'),
        ("application/sparql-results+xml", "application/sparql-results+xml", "<?xml"),
        ("text/csv", "text/csv", "label"),
        ("text/tab-separated-values", "text/tab-separated-values", "?label"),
        ("*/*", "application/sparql-results+json", '{"head"'),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values", "?label"),
    ],
)
def test_select_negotiates_the_format_with_a_charset(
    endpoint: str, accept: str, media_type: str, first_line: str
) -> None:
    reply = http(endpoint, {"query": RETINOL_LABEL}, accept=accept)
    assert reply.status == 200
    assert reply.content_type == f"{media_type}; charset=utf-8"
    assert reply.body.decode().startswith(first_line)
    assert "Accept" in reply.headers["Vary"]


def test_tsv_writes_terms_as_in_turtle(endpoint: str) -> None:
    query = (
        "SELECT ?class ?label WHERE { ing:retinol ac:memberOf ?class . "
        "?class skos:prefLabel ?label }"
    )
    reply = http(endpoint, {"query": query}, accept="text/tab-separated-values")
    assert reply.body.decode().splitlines() == [
        "?class\t?label",
        f'<{CLASS["cosmetic-retinoid"]}>\t"Cosmetic retinoid"@en',
    ]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+json", '{"head": {}, "boolean": true}'),
        ("text/csv", "_askResult\r\ntrue\r\n"),
        ("text/tab-separated-values", "?_askResult\ntrue\n"),
    ],
)
def test_ask_answers_a_boolean(endpoint: str, accept: str, expected: str) -> None:
    reply = http(endpoint, {"query": "ASK { ing:retinol ?p ?o }"}, accept=accept)
    assert reply.body.decode() == expected


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's
def test_construct_and_describe_negotiate_rdf_formats(
    endpoint: str, knowledge: Knowledge, accept: str, rdflib_format: str
) -> None:
    for query in (
        "CONSTRUCT { ?s ?p ?o } WHERE { BIND (ing:retinol AS ?s) ?s ?p ?o }",
        "DESCRIBE ing:retinol",
    ):
        reply = http(endpoint, {"query": query}, accept=accept)
        assert reply.content_type == f"{accept}; charset=utf-8"
        graph = Graph().parse(data=reply.body, format=rdflib_format)
        assert set(graph) == set(knowledge.graph.triples((INGREDIENT.retinol, None, None)))


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (RETINOL_LABEL, "text/turtle"),
        (RETINOL_LABEL, "image/png"),
        ("DESCRIBE ing:retinol", "text/csv"),
    ],
)
def test_accept_nothing_can_satisfy_is_406(endpoint: str, query: str, accept: str) -> None:
    message = assert_error(http(endpoint, {"query": query}, accept=accept), 406, "Accept")
    assert "come as" in message


# --- service description, the page, CORS -----------------------------------------------------


@pytest.mark.parametrize("accept", ["text/turtle", "application/rdf+xml", "*/*", None])
def test_get_without_query_describes_the_service(
    endpoint: str, knowledge: Knowledge, accept: str | None
) -> None:
    reply = http(endpoint, accept=accept)
    assert reply.status == 200
    media_type = reply.content_type.split(";")[0]
    description = Graph().parse(
        data=reply.body, format="xml" if "xml" in media_type else "turtle", publicID=endpoint
    )
    service = URIRef(endpoint)
    assert (service, RDF.type, URIRef(SD + "Service")) in description
    assert (service, URIRef(SD + "endpoint"), service) in description
    assert (service, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in description
    (triples,) = description.query(
        "SELECT ?n { ?s sd:defaultDataset/sd:defaultGraph/void:triples ?n }",
        initNs={"sd": SD, "void": "http://rdfs.org/ns/void#"},
    )
    assert triples[0] == Literal(len(knowledge.graph))  # type: ignore[index]


def test_browser_gets_an_editor_and_every_canned_query(endpoint: str) -> None:
    page = http(endpoint, accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert page.status == 200 and page.content_type.startswith("text/html")
    text = page.body.decode()
    assert '<textarea id="query" name="query"' in text and 'method="get"' in text
    for canned in sparql.read_canned_queries(KNOWLEDGE_DIR / "queries"):
        assert canned.title and canned.comment, canned.name
        assert canned.title in text or canned.title.replace("'", "&#39;") in text
    assert "Ready-made queries" in text and "Not medical advice" in text


def test_browser_running_a_query_gets_a_result_table(endpoint: str) -> None:
    query = (
        "SELECT ?ingredient ?label WHERE { ?ingredient ac:memberOf cls:cosmetic-retinoid ; "
        "skos:prefLabel ?label } ORDER BY ?label"
    )
    page = http(endpoint, {"query": query}, accept="text/html").body.decode()
    assert '<th scope="col">ingredient</th>' in page
    assert "<td>ing:retinol</td><td>Retinol</td>" in page


def test_browser_sees_a_refusal_on_the_page(endpoint: str) -> None:
    reply = http(endpoint, {"query": "LOAD <http://example.org/x>"}, accept="text/html")
    assert reply.status == 400 and reply.content_type.startswith("text/html")
    assert "The query was not run" in reply.body.decode() and "read-only" in reply.body.decode()


def test_get_answers_carry_cors_headers_so_browser_tools_can_read_them(endpoint: str) -> None:
    reply = http(endpoint, {"query": RETINOL_LABEL})
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    refused = http(endpoint, {"query": "CLEAR ALL"})
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    posted = http(endpoint, body=form({"query": RETINOL_LABEL}), content_type=sparql.FORM)
    assert posted.status == 200 and "Access-Control-Allow-Origin" not in posted.headers


# --- refusals: each path, one error shape ------------------------------------------------------

REFUSED: list[tuple[str, dict[str, Any], int, str | None]] = [
    ("update parameter", {"params": {"update": "CLEAR ALL"}}, 400, "update"),
    (
        "update in a form",
        {"body": form({"update": "CLEAR ALL"}), "content_type": sparql.FORM},
        400,
        "update",
    ),
    ("sparql-update body", {"body": b"CLEAR ALL", "content_type": sparql.UPDATE}, 400, "update"),
    ("INSERT DATA", {"params": {"query": "INSERT DATA { ing:x a ac:Ingredient }"}}, 400, "query"),
    ("DELETE WHERE", {"params": {"query": "DELETE WHERE { ?s ?p ?o }"}}, 400, "query"),
    ("LOAD", {"params": {"query": "LOAD <http://example.org/data.ttl>"}}, 400, "query"),
    ("CLEAR", {"params": {"query": "CLEAR DEFAULT"}}, 400, "query"),
    ("DROP", {"params": {"query": "DROP ALL"}}, 400, "query"),
    (
        "SERVICE",
        {"params": {"query": "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}},
        400,
        "query",
    ),
    (
        "FROM",
        {"params": {"query": "SELECT * FROM <http://example.org/g> { ?s ?p ?o }"}},
        400,
        "query",
    ),
    (
        "FROM NAMED",
        {"params": {"query": "SELECT * FROM NAMED <http://example.org/g> { ?s ?p ?o }"}},
        400,
        "query",
    ),
    (
        "GRAPH",
        {"params": {"query": "SELECT * { GRAPH <http://example.org/g> { ?s ?p ?o } }"}},
        400,
        "query",
    ),
    (
        "default-graph-uri",
        {"params": {"query": RETINOL_LABEL, "default-graph-uri": "http://example.org/g"}},
        400,
        "default-graph-uri",
    ),
    (
        "named-graph-uri",
        {"params": {"query": RETINOL_LABEL, "named-graph-uri": "http://example.org/g"}},
        400,
        "named-graph-uri",
    ),
    ("two queries", {"params": [("query", RETINOL_LABEL), ("query", RETINOL_LABEL)]}, 400, "query"),
    (
        "a query in the URL and the body",
        {
            "params": {"query": RETINOL_LABEL},
            "body": RETINOL_LABEL.encode(),
            "content_type": sparql.DIRECT,
        },
        400,
        "query",
    ),
    ("no query, results wanted", {"accept": "application/sparql-results+json"}, 400, "query"),
    ("an empty form", {"body": b"", "content_type": sparql.FORM}, 400, "query"),
    ("malformed", {"params": {"query": "SELECT ?x WHERE { ?x"}}, 400, "query"),
    ("unknown prefix", {"params": {"query": "SELECT * { ?s nope:p ?o }"}}, 400, "query"),
    (
        "nests too deeply",
        {"params": {"query": "ASK { " + "{ " * 400 + "}" * 400 + " }"}},
        400,
        "query",
    ),
    ("POST as plain text", {"body": b"ASK {}", "content_type": "text/plain"}, 415, "Content-Type"),
]


@pytest.mark.parametrize(
    ("request_", "status", "field"),
    [(request_, status, field) for _, request_, status, field in REFUSED],
    ids=[name for name, *_ in REFUSED],
)
def test_refused_request_gets_a_clear_4xx_in_the_error_shape(
    endpoint: str, request_: dict[str, Any], status: int, field: str | None
) -> None:
    assert_error(http(endpoint, **request_), status, field)


def test_refusals_happen_before_evaluation_and_say_why() -> None:
    limits = sparql.Limits(time_limit_ms=1, max_rows=1, max_query_chars=1000)
    for text, reason in [
        ("INSERT DATA { ing:x a ac:Ingredient }", "read-only"),
        ("SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE SILENT ?where { ?s ?p ?o } } }", "SERVICE"),
        ("SELECT * { { SELECT ?s { SERVICE <http://example.org/s> { ?s ?p ?o } } } }", "SERVICE"),
        ("ASK FROM <http://example.org/g> { ?s ?p ?o }", "FROM"),
    ]:
        with pytest.raises(QueryRefused, match=reason):
            sparql.prepare_user_query(text, limits, graphs=())


# --- no request ever leaves the server ----------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[tuple[str, list[object]]]:
    """A TCP listener on 127.0.0.1 that records every connection it receives."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)
    received: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, address = server.accept()
            except TimeoutError:
                continue
            received.append(address)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", received
    stop.set()
    thread.join()
    server.close()


def test_no_query_makes_the_server_connect_anywhere(
    endpoint: str, listener: tuple[str, list[object]]
) -> None:
    outside, received = listener
    queries = [
        f"SELECT * WHERE {{ SERVICE <{outside}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{outside}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s a ac:Procedure "
        f"FILTER EXISTS {{ SERVICE <{outside}/s> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{outside}/s> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * FROM <{outside}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{outside}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"ASK FROM <{outside}/data.ttl> {{ ?s ?p ?o }}",
        f"CONSTRUCT {{ ?s ?p ?o }} FROM <{outside}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"LOAD <{outside}/data.ttl>",
        f"LOAD SILENT <{outside}/data.ttl> INTO GRAPH <{outside}/g>",
    ]
    for query in queries:
        assert http(endpoint, {"query": query}).status == 400, query
        assert http(endpoint, body=form({"query": query}), content_type=sparql.FORM).status == 400
        assert http(endpoint, body=query.encode(), content_type=sparql.DIRECT).status == 400
    for name in ("default-graph-uri", "named-graph-uri"):
        params = {"query": RETINOL_LABEL, name: f"{outside}/graph.ttl"}
        assert http(endpoint, params).status == 400
    update = f"LOAD <{outside}/data.ttl>"
    assert http(endpoint, {"update": update}).status == 400
    assert http(endpoint, body=update.encode(), content_type=sparql.UPDATE).status == 400
    # Naming a remote IRI is fine: it is a name, never fetched.
    for query in (
        f"DESCRIBE <{outside}/thing>",
        f"ASK {{ BIND (IRI('{outside}/x') AS ?x) ?x ?p ?o }}",
    ):
        assert http(endpoint, {"query": query}).status == 200
    time.sleep(0.3)
    assert received == []
    socket.create_connection(("127.0.0.1", int(outside.rsplit(":", 1)[1]))).close()  # a control
    deadline = time.monotonic() + 5
    while not received and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(received) == 1, "the listener was not listening, so the test proved nothing"


# --- limits ------------------------------------------------------------------------------------


def test_runaway_cross_product_stops_within_the_limit_while_others_are_answered(
    limited: str,
) -> None:
    limit = LIMITED["SPARQL_TIME_LIMIT_MS"] / 1000
    with ThreadPoolExecutor(max_workers=2) as pool:  # both SPARQL workers forked, off the clock
        list(pool.map(lambda _: http(limited, {"query": "ASK {}"}), range(2)))
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        runaway = pool.submit(http, limited, {"query": CROSS_PRODUCT})
        time.sleep(0.1)
        quick = http(limited, {"query": "ASK { ing:retinol ?p ?o }"})
        answered = time.monotonic()
        reply = runaway.result(timeout=30)
        ended = time.monotonic()
    assert quick.json() == {"head": {}, "boolean": True}
    assert answered < ended, "the other request was only answered after the runaway"
    message = assert_error(reply, 503, "query")
    assert f"time limit of {LIMITED['SPARQL_TIME_LIMIT_MS']} ms" in message
    assert limit <= ended - started < limit + STOP_MARGIN_SECONDS


# Queries whose work grows with the graph's size squared or worse: each must be stopped.
RUNAWAY_QUERIES = [
    pytest.param("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f", id="order-by"),
    pytest.param("CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f }", id="construct"),
    pytest.param(
        "SELECT ?a WHERE { { ?a ?b ?c } { ?d ?e ?f } FILTER (?c = ?f && ?a != ?d) } GROUP BY ?a",
        id="join-filter-group",
    ),
    pytest.param("SELECT * WHERE { ?a (!<urn:nothing>)* ?b . ?c ?d ?e }  ORDER BY ?e", id="path"),
]


@pytest.mark.parametrize("query", RUNAWAY_QUERIES)
def test_other_runaway_shapes_end_within_the_limit_stopped_or_truncated(
    limited: str, query: str
) -> None:
    started = time.monotonic()
    reply = http(limited, {"query": query})
    if reply.status == 200:  # Oxigraph streams a CONSTRUCT: cut at the row limit, saying so
        assert reply.headers["X-Results-Truncated"] == "true"
    else:
        assert_error(reply, 503, "query")
    limit = LIMITED["SPARQL_TIME_LIMIT_MS"] / 1000
    assert time.monotonic() - started < limit + STOP_MARGIN_SECONDS


@pytest.mark.parametrize(
    ("accept", "count"),
    [
        (
            "application/sparql-results+json",
            lambda body: len(json.loads(body)["results"]["bindings"]),
        ),
        ("text/csv", lambda body: len(body.decode().splitlines()) - 1),
    ],
)
def test_answers_past_the_row_limit_are_truncated_and_say_so(
    limited: str, accept: str, count: Any
) -> None:
    reply = http(limited, {"query": "SELECT ?s WHERE { ?s a ac:Rule } LIMIT 10"}, accept=accept)
    assert reply.status == 200
    assert count(reply.body) == LIMITED["SPARQL_MAX_ROWS"]
    assert reply.headers["X-Results-Truncated"] == "true"
    assert "X-Results-Truncated" in reply.headers["Access-Control-Expose-Headers"]
    if accept.endswith("json"):
        assert json.loads(reply.body)["truncated"] is True


def test_answers_within_the_row_limit_are_not_truncated(limited: str) -> None:
    reply = http(limited, {"query": "SELECT ?s WHERE { ?s a ac:Rule } LIMIT 3"})
    assert reply.json()["truncated"] is False and "X-Results-Truncated" not in reply.headers


@pytest.mark.parametrize(
    ("values", "truncated"),
    [
        pytest.param('"a" "b" "c"', False, id="exactly-the-limit"),
        pytest.param('",{" ",{,{" "{},{}"', False, id="literals-that-look-like-rows"),
        pytest.param('",{" ",{,{" "{},{}" "d"', True, id="one-past-the-limit"),
    ],
)
def test_the_row_limit_counts_rows_not_what_their_values_hold(
    limited: str, values: str, truncated: bool
) -> None:
    # Oxigraph writes the rows; each row after the first starts with ',{', which a literal may
    # hold too: such an answer is counted again exactly, never cut short or passed whole.
    reply = http(limited, {"query": f"SELECT ?v WHERE {{ VALUES ?v {{ {values} }} }}"})
    answer = reply.json()
    written = [row["v"]["value"] for row in answer["results"]["bindings"]]
    assert written == [v.strip('"') for v in values.split(" ")][: LIMITED["SPARQL_MAX_ROWS"]]
    assert answer["truncated"] is truncated
    assert ("X-Results-Truncated" in reply.headers) is truncated


def test_graph_answers_past_the_row_limit_are_truncated(limited: str) -> None:
    reply = http(limited, {"query": "DESCRIBE ing:retinol"}, accept="application/n-triples")
    assert len(reply.body.decode().splitlines()) == LIMITED["SPARQL_MAX_ROWS"]
    assert reply.headers["X-Results-Truncated"] == "true"


def test_query_over_the_size_limit_is_413(limited: str) -> None:
    query = "ASK { ?s ?p ?o } # " + "x" * 400
    message = assert_error(http(limited, {"query": query}), 413, "query")
    assert "at most 400" in message


def test_a_query_binds_variables_without_formatting_the_query(
    app: Flask, knowledge: Knowledge
) -> None:
    limits = sparql.Limits(time_limit_ms=10_000, max_rows=1000, max_query_chars=10_000)
    # Oxigraph substitutes a value for a variable the query selects (SEP-0007).
    text = (
        "SELECT ?ingredient ?class "
        "{ ?ingredient a ac:Ingredient ; ac:memberOf/skos:broader* ?class }"
    )
    query = sparql.prepare_user_query(text, limits, (), bindings={"class": CLASS.aha})
    answer = sparql_pool.pool_for(store_of(app), 1).run(query, limits)
    assert {row["class"] for row in answer.rows} == {CLASS.aha}
    found = {str(row["ingredient"]) for row in answer.rows}
    assert found == members_of(knowledge, str(CLASS.aha))
    assert str(INGREDIENT["glycolic-acid"]) in found


# --- the canned queries ------------------------------------------------------------------------


def members_of(knowledge: Knowledge, class_iri: str) -> set[str]:
    return {c.iri for c in knowledge.of_kind("ingredient") if class_iri in knowledge.lineage(c.iri)}


def rows_of(endpoint: str, path: Path) -> list[dict[str, str]]:
    reply = http(endpoint, {"query": path.read_text()})
    assert reply.status == 200, reply.body
    answer = reply.json()
    assert answer["truncated"] is False
    return [
        {name: term["value"] for name, term in row.items()} for row in answer["results"]["bindings"]
    ]


def expect_rules_on_day(knowledge: Knowledge, rows: list[dict[str, str]]) -> None:
    rules = knowledge.procedure("microneedling").rules
    in_force = {
        r.notation for r in rules if r.from_day <= 3 and (r.until_day is None or r.until_day >= 3)
    }
    assert {row["code"] for row in rows} == in_force and in_force


def expect_class_ingredients(knowledge: Knowledge, rows: list[dict[str, str]]) -> None:
    assert {row["ingredient"] for row in rows} == members_of(knowledge, str(CLASS.retinoid))
    assert {
        "label": "Retinol",
        "ingredient": str(INGREDIENT.retinol),
        "classes": "Cosmetic retinoid",
    } in rows


def expect_sources_disagree(knowledge: Knowledge, rows: list[dict[str, str]]) -> None:
    groups: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for procedure in knowledge.procedures.values():
        for rule in procedure.rules:
            if rule.until_day is not None:
                label = knowledge.concepts[rule.subject].label
                groups[(procedure.iri, label, rule.level.value)].append(rule)
    expected = {
        (*key, max(r.until_day for r in rules) - min(r.until_day for r in rules))
        for key, rules in groups.items()
        if len({source.id for rule in rules for source in rule.sources}) > 1
        and len({rule.until_day for rule in rules}) > 1
    }
    found = {
        (row["procedure"], row["subjectLabel"], row["verdict"], int(row["days"])) for row in rows
    }
    assert found == expected and expected
    assert [int(row["days"]) for row in rows] == sorted(
        (int(row["days"]) for row in rows), reverse=True
    )


def expect_procedure_timeline(knowledge: Knowledge, rows: list[dict[str, str]]) -> None:
    procedure = knowledge.procedure("microneedling")
    assert {row["code"] for row in rows if row["kind"] == "rule"} == {
        r.notation for r in procedure.rules
    }
    assert {row["label"] for row in rows if row["kind"] == "phase"} == {
        p.label for p in procedure.phases
    }
    days = [int(row["from"]) for row in rows]
    assert days == sorted(days)


def expect_ingredient_restrictions(knowledge: Knowledge, rows: list[dict[str, str]]) -> None:
    subjects = set(knowledge.lineage(str(INGREDIENT.retinol)))
    expected = {
        (procedure.iri, rule.notation)
        for procedure in knowledge.procedures.values()
        for rule in procedure.rules
        if rule.level.restricts and rule.subject in subjects
    }
    assert {(row["procedure"], row["code"]) for row in rows} == expected and expected
    assert str(PROCEDURE.microneedling) in {row["procedure"] for row in rows}


EXPECTED = {
    "rules-on-day": expect_rules_on_day,
    "class-ingredients": expect_class_ingredients,
    "sources-disagree": expect_sources_disagree,
    "procedure-timeline": expect_procedure_timeline,
    "ingredient-restrictions": expect_ingredient_restrictions,
}


@pytest.mark.parametrize("path", QUERIES, ids=lambda path: path.stem)
def test_canned_query_runs_on_the_endpoint_and_answers_what_the_knowledge_says(
    unhurried: str, knowledge: Knowledge, path: Path
) -> None:
    rows = rows_of(unhurried, path)
    if "Must return nothing" in path.read_text():
        assert rows == []
    else:
        assert path.stem in EXPECTED, f"{path.name}: add what its answer must be to EXPECTED"
        EXPECTED[path.stem](knowledge, rows)


def test_the_canned_queries_the_issue_asks_for_exist() -> None:
    assert set(EXPECTED) <= {path.stem for path in QUERIES}
    assert {"rules-missing-source", "concepts-missing-label"} <= {path.stem for path in QUERIES}


# --- the command line ------------------------------------------------------------------------


def test_cli_sparql_prints_csv(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["sparql", RETINOL_LABEL])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["label", "Retinol"]


def test_cli_sparql_reads_a_file_and_prints_json(
    runner: FlaskCliRunner, knowledge: Knowledge
) -> None:
    path = KNOWLEDGE_DIR / "queries" / "rules-on-day.rq"
    result = runner.invoke(args=["sparql", "--file", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [
        {k: v["value"] for k, v in row.items()}
        for row in json.loads(result.output)["results"]["bindings"]
    ]
    expect_rules_on_day(knowledge, rows)


def test_cli_sparql_prints_graphs_as_turtle(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["sparql", "DESCRIBE ing:retinol"])
    assert result.exit_code == 0, result.output
    assert "ing:retinol a ac:Ingredient" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sparql", "CLEAR ALL"], "read-only"),
        (["sparql", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"], "SERVICE"),
        (["sparql"], "Give a query"),
    ],
)
def test_cli_sparql_refuses_like_the_endpoint(
    runner: FlaskCliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output


# --- the README's examples work as pasted ------------------------------------------------------

README_SPARQL = (ROOT / "README.md").read_text().split("## SPARQL\n", 1)[1].split("\n## ", 1)[0]


def readme_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)\n```", README_SPARQL, re.S)


@pytest.mark.parametrize("index", [0, 1])
def test_readme_curl_example_answers_what_the_readme_shows(endpoint: str, index: int) -> None:
    command = [block for block in readme_blocks("sh") if block.startswith("curl")][index]
    shown = readme_blocks("csv")[index].splitlines()
    root = endpoint.removesuffix("/sparql")
    output = subprocess.run(
        ["bash", "-c", command.replace("http://127.0.0.1:5000", root)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=ROOT,
    ).stdout
    lines = output.splitlines()
    assert lines[0] == shown[0]
    for example in shown[1:]:
        if example != "...":
            assert any(line.startswith(example.removesuffix("...")) for line in lines), example


def test_readme_python_example_prints_the_procedures(endpoint: str, knowledge: Knowledge) -> None:
    (program,) = readme_blocks("python")
    root = endpoint.removesuffix("/sparql")
    output = subprocess.run(
        [sys.executable, "-c", program.replace("http://127.0.0.1:5000", root)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=ROOT,
    ).stdout
    lines = output.splitlines()
    assert "Microneedling - avoid until day 13" in lines
    days = [int(line.rsplit(" ", 1)[1]) for line in lines]
    assert days == sorted(days, reverse=True)
