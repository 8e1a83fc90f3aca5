"""The W3C SPARQL 1.1 Protocol tests, run from their manifest against a live server.

tests/data/w3c-sparql11-protocol/ holds the manifest and its data, copied from w3c/rdf-tests
(see its LICENSE.md). The app is started on 127.0.0.1 with an Oxigraph store holding the
manifest's graphs (data1.rdf … data3.rdf from the .nt files, and data0.rdf, which the tests
name but give no data for, empty) instead of the knowledge, and each test's requests are sent
as the manifest writes them. The 20 query tests and the 7 bad-update tests must pass as
written; the 7 update tests cannot on a read-only service, so for those the update must be
refused in the error shape.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from werkzeug.serving import make_server

from app import create_app
from graph.index import Knowledge
from tests.test_sparql import Reply

DATA = Path(__file__).parent / "data" / "w3c-sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
EMPTY_GRAPH = "http://kasei.us/2009/09/sparql/data/data0.rdf"
FORMATS = {
    "boolean": {"application/sparql-results+xml", "application/sparql-results+json"},
    "tabular": {
        "application/sparql-results+xml",
        "application/sparql-results+json",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples", "application/ld+json"},
}


@dataclass(frozen=True)
class Exchange:
    method: str
    path: str  # after /sparql/
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]  # the first digit: 2, 3 or 4
    format: str | None
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    exchanges: tuple[Exchange, ...]


def read_manifest() -> tuple[Graph, list[ProtocolTest]]:
    manifest = Graph().parse(DATA / "manifest.ttl", format="turtle", publicID=str(DATA) + "/")
    (entries,) = manifest.objects(None, MF.entries)
    tests = []
    for test in Collection(manifest, entries):
        action = manifest.value(test, MF.action)
        requests = Collection(manifest, manifest.value(action, HT.requests))  # type: ignore[arg-type]
        tests.append(
            ProtocolTest(
                str(test).rsplit("#", 1)[1],
                str(manifest.value(test, MF.name)),
                tuple(_exchange(manifest, request) for request in requests),  # type: ignore[arg-type]
            )
        )
    return manifest, tests


def _exchange(manifest: Graph, request: URIRef) -> Exchange:
    headers = {}
    header_list = manifest.value(request, HT.headers)
    for header in Collection(manifest, header_list) if header_list else ():
        headers[str(manifest.value(header, HT.fieldName))] = str(
            manifest.value(header, HT.fieldValue)
        )
    body = None
    content = manifest.value(request, HT.body)
    if content is not None:
        encoding = str(manifest.value(content, CNT.characterEncoding) or "UTF-8")
        body = str(manifest.value(content, CNT.chars)).encode(encoding.lower())  # utf-16: a BOM
    response = manifest.value(request, HT.resp)
    statuses = frozenset(
        int(str(status).rsplit("StatusCode", 1)[1][0])
        for status in manifest.objects(response, MF.expectedStatus)
    )
    expected = manifest.value(response, MF.expectedBoolean)
    return Exchange(
        str(manifest.value(request, HT.methodName)),
        str(manifest.value(request, HT.absolutePath)).removeprefix("/sparql/"),
        headers,
        body,
        statuses,
        str(manifest.value(response, MF.expectedFormat) or "") or None,
        expected.toPython() if isinstance(expected, Literal) else None,
    )


MANIFEST, TESTS = read_manifest()
UPDATES = {test.name for test in TESTS if test.name.startswith("update_")}


def manifest_store() -> ox.Store:
    """The graphs the manifest's tests name, each with the data the manifest gives it."""
    store = ox.Store()
    for data in set(MANIFEST.objects(None, UT.graphData)):
        name = ox.NamedNode(str(MANIFEST.value(data, RDFS_LABEL)))
        path = Path(str(MANIFEST.value(data, UT.graph)).removeprefix("file://"))
        store.load(path=path, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
    store.add_graph(ox.NamedNode(EMPTY_GRAPH))
    return store


@pytest.fixture(scope="module")
def endpoint(knowledge: Knowledge) -> Iterator[str]:
    app = create_app({"KNOWLEDGE": knowledge})
    app.extensions["sparql_oxigraph"] = manifest_store()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql"
    server.shutdown()
    thread.join()


def send(endpoint: str, exchange: Exchange) -> Reply:
    """The request exactly as the manifest writes it: no header added (urllib would add a
    form Content-Type to every POST)."""
    address = urlsplit(endpoint)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
    try:
        connection.request(
            exchange.method, f"{address.path}{exchange.path}", exchange.body, exchange.headers
        )
        response = connection.getresponse()
        return Reply(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


def boolean_of(reply: Reply) -> bool:
    if reply.content_type.startswith("application/sparql-results+json"):
        return bool(json.loads(reply.body)["boolean"])
    found = ElementTree.fromstring(reply.body).find(
        "{http://www.w3.org/2005/sparql-results#}boolean"
    )
    assert found is not None
    return found.text == "true"


@pytest.mark.parametrize("test", TESTS, ids=[test.name for test in TESTS])
def test_w3c_protocol(endpoint: str, test: ProtocolTest) -> None:
    if test.name in UPDATES:  # read-only: the update itself is refused, in the error shape
        reply = send(endpoint, test.exchanges[0])
        assert reply.status == 400, reply.body
        assert "read-only" in reply.json()["error"]
        return
    for exchange in test.exchanges:
        reply = send(endpoint, exchange)
        assert reply.status // 100 in exchange.statuses, (test.title, reply.status, reply.body)
        if exchange.format is not None:
            assert reply.content_type.split(";")[0] in FORMATS[exchange.format], test.title
        if exchange.boolean is not None:
            assert boolean_of(reply) is exchange.boolean, test.title
        if 4 in exchange.statuses:
            assert set(reply.json()) == {"error", "field"}  # the API's error shape


def test_the_manifest_has_the_tests_the_issue_counts() -> None:
    assert len(TESTS) == 34
    assert len(UPDATES) == 7
    assert len([t for t in TESTS if t.name.startswith("bad") and "update" in t.name]) == 7
