"""SPARQL queries that try to outlast their limits, tried as an attacker would, over real HTTP.

Each runs in a worker process (graph/sparql_pool.py): past the time limit it is killed, past
the memory limit it dies, and either way the query answers 503 in the error shape within the
limit plus a second, while /healthz and other queries go on being answered at once. The
limits here are small (1 s, 256 MB) to keep the tests quick; the defaults are in
web/settings.py. Unstopped, each of these queries runs for hours or takes gigabytes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask

from app import create_app
from graph import sparql, sparql_pool
from graph.errors import InvalidValue, QueryTimeout
from graph.index import Knowledge
from tests.test_sparql import Reply, assert_error, http, listener, serve  # noqa: F401
from web.knowledge import store_of

LIMITS = {"SPARQL_TIME_LIMIT_MS": 1000, "SPARQL_MEMORY_LIMIT_MB": 128, "SPARQL_WORKERS": 2}
TIME_LIMIT = LIMITS["SPARQL_TIME_LIMIT_MS"] / 1000
ANSWERED_WITHIN = TIME_LIMIT + 1  # the issue's bound: the limit plus a second
HEALTHZ_WITHIN = 1.0


def doubled(seed: str, times: int, name: str = "v") -> str:
    """BINDs that double a string `times` times: ?{name}{times} is seed * 2**times."""
    lines = [f'BIND ("{seed}" AS ?{name}0)']
    lines += [f"BIND (CONCAT(?{name}{n}, ?{name}{n}) AS ?{name}{n + 1})" for n in range(times)]
    return "\n".join(lines)


def regex_over_long_strings(pattern: str) -> str:
    # 2**14 'a's, tested against every pair of labels: linear per test in Oxigraph's regex
    # engine, but there are ~10^9 pairs.
    return (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s skos:prefLabel ?l . ?t skos:prefLabel ?m .\n"
        f"{doubled('a', 14, 'a')}\n"
        f'FILTER REGEX(CONCAT(?a14, STR(?l), STR(?m)), "{pattern}") }}'
    )


CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DISTINCT_JOIN = (
    "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?a WHERE { ?a ?p ?o } } "
    "{ SELECT DISTINCT ?b WHERE { ?b ?q ?r } } }"
)
ATTACKS = [
    pytest.param(regex_over_long_strings("a*a*a*a*a*a*a*a*a*a*b"), "time", id="regex-a*a*b"),
    pytest.param(regex_over_long_strings("(a?){28}a{28}"), "time", id="regex-(a?){28}a{28}"),
    pytest.param(
        DISTINCT_JOIN,
        "time",
        id="distinct-subselect-join",
    ),
    pytest.param(
        f"SELECT (STRLEN(?v24) AS ?n) WHERE {{\n{doubled('aaaaaaaaaaaaaaaa', 24)}\n}}",
        "memory",
        id="concat-doubling-24",
    ),
    pytest.param(
        CROSS_PRODUCT,
        "any",
        id="cross-product",
    ),
]


@pytest.fixture(scope="module")
def guarded(knowledge: Knowledge) -> Iterator[str]:
    for url in serve(knowledge, LIMITS):
        # The app's first request does its one-off set-up (a third of a second here): not
        # what these tests time.
        assert http(url.removesuffix("/sparql") + "/healthz").status == 200
        assert http(url, {"query": "ASK {}"}).status == 200
        yield url


@pytest.mark.parametrize(("query", "limit"), ATTACKS)
def test_attack_ends_within_the_limit_while_healthz_answers_at_once(
    guarded: str, query: str, limit: str
) -> None:
    root = guarded.removesuffix("/sparql")
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        attack = pool.submit(http, guarded, {"query": query})
        slowest = 0.0
        while not attack.done():
            asked = time.monotonic()
            assert http(f"{root}/healthz").status == 200
            slowest = max(slowest, time.monotonic() - asked)
            time.sleep(0.05)
        reply: Reply = attack.result()
        ended = time.monotonic() - started
    message = assert_error(reply, 503, "query")
    # A join may fill the memory before the clock runs out: either limit stops it.
    named = {"time limit of 1000 ms" in message, "memory limit of 128 MB" in message}
    assert named == {True, False}
    if limit == "memory":
        assert "memory limit of 128 MB" in message
    assert ended < ANSWERED_WITHIN, f"answered after {ended:.2f} s"
    assert slowest < HEALTHZ_WITHIN, f"/healthz took {slowest:.2f} s"


def test_two_attacks_at_once_leave_other_queries_answered(guarded: str) -> None:
    query = CROSS_PRODUCT
    with ThreadPoolExecutor(max_workers=2) as pool:
        attacks = [pool.submit(http, guarded, {"query": query}) for _ in range(2)]
        time.sleep(0.2)
        root = guarded.removesuffix("/sparql")
        asked = time.monotonic()
        assert http(f"{root}/healthz").status == 200
        assert time.monotonic() - asked < HEALTHZ_WITHIN
        replies = [attack.result(timeout=30) for attack in attacks]
    for reply in replies:
        assert_error(reply, 503, "query")
    # Both workers were killed; the next query gets a fresh one.
    assert http(guarded, {"query": "ASK { ing:retinol ?p ?o }"}).json()["boolean"] is True


@pytest.fixture
def small_app(knowledge: Knowledge) -> Flask:
    return create_app({"KNOWLEDGE": knowledge, "TESTING": True, **LIMITS})


def test_a_killed_worker_is_gone_and_replaced(small_app: Flask) -> None:
    limits = sparql.Limits(1000, 10, 10_000, 256)
    pool = sparql_pool.QueryPool(store_of(small_app), 1)
    ask = sparql.prepare_user_query("ASK { ?s ?p ?o }", limits, ())
    assert pool.run(ask, limits).boolean is True
    (first,) = pool._idle
    runaway = sparql.prepare_user_query(DISTINCT_JOIN, limits, ())
    with pytest.raises(QueryTimeout):
        pool.run(runaway, limits)
    with pytest.raises(ProcessLookupError):
        os.kill(first.pid, 0)  # killed and reaped: not even a zombie
    assert pool.run(ask, limits).boolean is True
    (second,) = pool._idle
    assert second.pid != first.pid


def test_a_query_runs_on_the_asking_cpu_until_it_proves_long(
    small_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A short query's worker runs where the asker sleeps (no cross-CPU wake-up); a query
    still running after PINNED_SECONDS may use every CPU, not share the asker's."""
    cpus = os.sched_getaffinity(0)
    if len(cpus) < 2:
        pytest.skip("one CPU here: there is nowhere else to run")
    monkeypatch.setattr(sparql_pool, "PINNED_SECONDS", 0.1)  # 2 ms: a busy machine misses it
    limits = sparql.Limits(1000, 10, 10_000, 256)
    pool = sparql_pool.QueryPool(store_of(small_app), 1)
    ask = sparql.prepare_user_query("ASK { ?s ?p ?o }", limits, ())
    runaway = sparql.prepare_user_query(DISTINCT_JOIN, limits, ())
    asking = max(cpus)
    os.sched_setaffinity(0, {asking})  # this thread, and the threads it starts, ask from one CPU
    try:
        assert pool.run(ask, limits).boolean is True
        (worker,) = pool._idle
        assert os.sched_getaffinity(worker.pid) == {asking}
        with ThreadPoolExecutor(max_workers=1) as asker:
            running = asker.submit(pool.run, runaway, limits)
            time.sleep(0.5)
            assert os.sched_getaffinity(worker.pid) == cpus
            with pytest.raises(QueryTimeout):
                running.result(timeout=30)
    finally:
        os.sched_setaffinity(0, cpus)


def test_a_worker_cannot_reach_the_network_even_past_the_refusals(
    small_app: Flask,
    listener: tuple[str, list[object]],  # noqa: F811
) -> None:
    """The refusals keep SERVICE out; were one to slip through, the worker has no network."""
    outside, received = listener
    limits = sparql.Limits(2000, 10, 10_000, 256)
    pool = sparql_pool.QueryPool(store_of(small_app), 1)
    slipped = sparql.Prepared(
        f"SELECT * WHERE {{ SERVICE <{outside}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT",
        sparql.Dataset(),
        has_from=False,
    )
    with pytest.raises(InvalidValue, match="could not be evaluated"):
        pool.run(slipped, limits)
    time.sleep(0.3)
    assert received == []


def test_a_query_waiting_on_its_worker_leaves_the_computing_slot_to_others(
    knowledge: Knowledge,
) -> None:
    # One computing slot: while a query runs in its worker process, this process computes
    # nothing for it, so a label check is answered at once rather than after the query.
    app = create_app({"KNOWLEDGE": knowledge, "REQUEST_CONCURRENCY": 1, **LIMITS})
    check = {"procedure": "microneedling", "day": 3, "ingredients": "Aqua"}
    # the store loaded, a worker forked and the first request's set-up done: not timed here
    assert app.test_client().get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    assert app.test_client().post("/api/check", json=check).status_code == 200
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        query = pool.submit(app.test_client().get, "/sparql", query_string={"query": DISTINCT_JOIN})
        time.sleep(0.3)  # the query is in its worker
        checked = app.test_client().post("/api/check", json=check)
        answered = time.monotonic() - started
        stopped = query.result(timeout=30)
    assert checked.status_code == 200
    assert answered < TIME_LIMIT, f"the check waited {answered:.2f} s for the query's slot"
    assert stopped.status_code == 503 and stopped.json is not None
    assert "time limit" in stopped.json["error"]
    # and the slot came back: the next request is answered
    assert app.test_client().get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
