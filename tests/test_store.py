"""Scale-out: SPARQL through a real Oxigraph server (SPARQL_STORE_URL) that replicas share.

A module-scoped Oxigraph server runs on a free 127.0.0.1 port with its data in a temporary
directory; the first app started against it publishes the knowledge. The endpoint tests of
tests/test_sparql.py imported below run here again, unchanged, against apps configured with
SPARQL_STORE_URL: pytest resolves their `endpoint`, `unhurried`, `limited` and `runner`
fixtures to this module's, so the protocol, formats, refusals and limits are proven for both
configurations. Two are left out, and their point is kept below: a runaway CONSTRUCT streams
from Oxigraph, so it ends truncated at the row limit rather than stopped by the clock; and the
README's second curl example shows rdflib's order inside a GROUP_CONCAT, which SPARQL leaves
to each engine.
"""

from __future__ import annotations

import dataclasses
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from rdflib import Literal
from werkzeug.serving import make_server

from app import create_app
from graph.index import Knowledge
from graph.store import KNOWLEDGE_NODE, META_GRAPH
from tests import test_sparql
from tests.test_sparql import (  # noqa: F401  # collected again here, against the store
    LIMITED,
    RETINOL_LABEL,
    RUNAWAY_QUERIES,
    assert_error,
    http,
    listener,
    test_accept_nothing_can_satisfy_is_406,
    test_answers_past_the_row_limit_are_truncated_and_say_so,
    test_answers_within_the_row_limit_are_not_truncated,
    test_ask_answers_a_boolean,
    test_browser_gets_an_editor_and_every_canned_query,
    test_browser_running_a_query_gets_a_result_table,
    test_browser_sees_a_refusal_on_the_page,
    test_canned_query_runs_on_the_endpoint_and_answers_what_the_knowledge_says,
    test_cli_sparql_prints_csv,
    test_cli_sparql_prints_graphs_as_turtle,
    test_cli_sparql_reads_a_file_and_prints_json,
    test_cli_sparql_refuses_like_the_endpoint,
    test_construct_and_describe_negotiate_rdf_formats,
    test_get_answers_carry_cors_headers_so_browser_tools_can_read_them,
    test_get_without_query_describes_the_service,
    test_graph_answers_past_the_row_limit_are_truncated,
    test_no_query_makes_the_server_connect_anywhere,
    test_query_over_the_size_limit_is_413,
    test_rdflib_sparqlstore_counts_every_triple,
    test_rdflib_sparqlstore_queries_the_endpoint,
    test_readme_python_example_prints_the_procedures,
    test_refused_request_gets_a_clear_4xx_in_the_error_shape,
    test_runaway_cross_product_stops_within_the_limit_while_others_are_answered,
    test_select_negotiates_the_format_with_a_charset,
    test_sparqlwrapper_construct_comes_back_as_turtle,
    test_sparqlwrapper_csv_select_is_a_table,
    test_sparqlwrapper_json_select_counts_the_rules_of_a_procedure,
    test_sparqlwrapper_posts_form_and_direct_queries,
    test_sparqlwrapper_xml_select_reads_a_label,
    test_tsv_writes_terms_as_in_turtle,
)

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
# The store's own limit on a query, so a runaway the app gave up on stops there too.
STORE_TIMEOUT_SECONDS = 3
CHECK = {"procedure": "microneedling", "day": 3, "ingredients": "Aqua, Retinol"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def ask(store_url: str, query: str) -> bool:
    request = urllib.request.Request(
        f"{store_url}/query",
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return bool(response.read().decode().strip() == "true")


def count(store_url: str) -> int:
    request = urllib.request.Request(
        f"{store_url}/query",
        data=b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(response.read().decode().split()[1])


def update(store_url: str, text: str) -> None:
    request = urllib.request.Request(
        f"{store_url}/update",
        data=text.encode(),
        headers={"Content-Type": "application/sparql-update"},
    )
    with urllib.request.urlopen(request, timeout=30):
        pass


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph SPARQL server on 127.0.0.1, its data in a temporary directory."""
    directory = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    with (directory / "server.log").open("wb") as log:
        server = subprocess.Popen(
            [
                str(OXIGRAPH),
                "serve",
                "--location",
                str(directory / "data"),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout-s",
                str(STORE_TIMEOUT_SECONDS),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    ask(url, "ASK {}")
                    break
                except (urllib.error.URLError, ConnectionError):
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError((directory / "server.log").read_text()) from None
                    time.sleep(0.1)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)


def store_app(knowledge: Knowledge, store_url: str, config: Mapping[str, Any]) -> Flask:
    return create_app({"KNOWLEDGE": knowledge, "SPARQL_STORE_URL": f"{store_url}/query", **config})


def serve(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def published(knowledge: Knowledge, oxigraph: str) -> Flask:
    """The first replica: it finds the store empty and publishes the knowledge."""
    return store_app(knowledge, oxigraph, {})


@pytest.fixture(scope="module")
def endpoint(published: Flask) -> Iterator[str]:
    yield from serve(published)


@pytest.fixture(scope="module")
def unhurried(knowledge: Knowledge, oxigraph: str, published: Flask) -> Iterator[str]:
    yield from serve(store_app(knowledge, oxigraph, {"SPARQL_TIME_LIMIT_MS": 120_000}))


@pytest.fixture(scope="module")
def limited(knowledge: Knowledge, oxigraph: str, published: Flask) -> Iterator[str]:
    yield from serve(store_app(knowledge, oxigraph, LIMITED))


@pytest.fixture
def runner(published: Flask) -> FlaskCliRunner:
    return published.test_cli_runner()


# --- what only the store configuration has -------------------------------------------------------


def test_the_store_holds_the_knowledge_and_its_version(
    published: Flask, oxigraph: str, knowledge: Knowledge
) -> None:
    assert count(oxigraph) == len(knowledge.graph)  # the default graph: the knowledge alone
    version = Literal(knowledge.version).n3()
    assert ask(
        oxigraph,
        f"ASK {{ GRAPH {META_GRAPH.n3()} {{ {KNOWLEDGE_NODE.n3()} ?p {version} }} }}",
    )


def test_replicas_share_one_store_and_publish_only_a_new_version(
    published: Flask, oxigraph: str, knowledge: Knowledge
) -> None:
    marker = "<urn:test:replica> <urn:test:saw> <urn:test:store>"
    update(oxigraph, f"INSERT DATA {{ {marker} }}")
    try:
        replicas = [store_app(knowledge, oxigraph, {}) for _ in range(2)]
        assert ask(oxigraph, f"ASK {{ {marker} }}"), "a replica republished the same version"
        for replica in replicas:
            reply = replica.test_client().get(
                "/sparql", query_string={"query": f"ASK {{ {marker} }}"}
            )
            assert reply.json == {"head": {}, "boolean": True}  # both read the one store
            assert replica.test_client().post("/api/check", json=CHECK).status_code == 200
    finally:
        result = published.test_cli_runner().invoke(args=["publish"])  # the release step
    assert result.exit_code == 0, result.output
    assert f"Published {len(knowledge.graph)} triples" in result.output
    assert not ask(oxigraph, f"ASK {{ {marker} }}"), "publishing replaces what the store held"
    assert count(oxigraph) == len(knowledge.graph)


def test_a_replica_that_must_not_publish_leaves_the_store_alone(
    published: Flask, oxigraph: str, knowledge: Knowledge
) -> None:
    marker = "<urn:test:reader> <urn:test:saw> <urn:test:store>"
    update(oxigraph, f"INSERT DATA {{ {marker} }}")
    try:
        changed = dataclasses.replace(knowledge, version="another-version")
        store_app(changed, oxigraph, {"SPARQL_STORE_PUBLISH": False})
        assert ask(oxigraph, f"ASK {{ {marker} }}")
    finally:
        update(oxigraph, f"DELETE DATA {{ {marker} }}")


def test_checks_go_on_when_the_store_is_down_and_sparql_says_why(knowledge: Knowledge) -> None:
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    client = store_app(knowledge, down, {}).test_client()
    assert client.post("/api/check", json=CHECK).status_code == 200
    reply = client.get("/sparql", query_string={"query": RETINOL_LABEL})
    assert reply.status_code == 502
    assert reply.json is not None and set(reply.json) == {"error", "field"}
    assert "unreachable" in reply.json["error"]


def test_refusals_never_reach_the_store(endpoint: str, oxigraph: str) -> None:
    reply = http(endpoint, {"query": "SELECT * { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }"})
    assert_error(reply, 400, "query")
    update_reply = http(endpoint, {"update": "DROP DEFAULT"})
    assert_error(update_reply, 400, "update")
    assert count(oxigraph) > 0


@pytest.mark.parametrize("query", RUNAWAY_QUERIES)
def test_runaway_shapes_end_within_the_limit_stopped_or_truncated(limited: str, query: str) -> None:
    started = time.monotonic()
    reply = http(limited, {"query": query})
    if reply.status == 200:  # streamed: cut at the row limit, and saying so
        assert reply.headers["X-Results-Truncated"] == "true"
    else:
        assert_error(reply, 503, "query")
    assert time.monotonic() - started < LIMITED["SPARQL_TIME_LIMIT_MS"] / 1000 + 1


def test_readme_first_curl_example_answers_what_the_readme_shows(endpoint: str) -> None:
    test_sparql.test_readme_curl_example_answers_what_the_readme_shows(endpoint, 0)
