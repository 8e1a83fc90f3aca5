"""`make serve` under SPARQL attack: a real gunicorn (gunicorn.conf.py) on 127.0.0.1.

The store is loaded in the master before the web workers fork; each web worker forks its
SPARQL worker processes. Runaway queries end in 503 within the limit plus a second while
/healthz answers, and no web worker is killed or restarted: only the query processes are.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest

from benchmarks import serving
from tests.test_sparql import assert_error, http
from tests.test_sparql_isolation import ANSWERED_WITHIN, DISTINCT_JOIN, HEALTHZ_WITHIN, doubled

LIMIT_MS, MEMORY_MB = 1000, 128
TIME, MEMORY = f"time limit of {LIMIT_MS} ms", f"memory limit of {MEMORY_MB} MB"
CONCAT = f"SELECT (STRLEN(?v24) AS ?n) WHERE {{\n{doubled('aaaaaaaaaaaaaaaa', 24)}\n}}"


class Served(NamedTuple):
    url: str
    log: Path
    pid: int


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    logs = tmp_path_factory.mktemp("gunicorn")
    env = {
        "AFTERCARE_WORKERS": "2",
        "AFTERCARE_THREADS": "4",
        "AFTERCARE_SPARQL_TIME_LIMIT_MS": str(LIMIT_MS),
        "AFTERCARE_SPARQL_MEMORY_LIMIT_MB": str(MEMORY_MB),
    }
    with serving.gunicorn("app:create_app()", logs, env=env) as server:
        port = int(server.url.rsplit(":", 1)[1])
        deadline = time.monotonic() + 60  # on a busy machine a worker may boot late
        while len(children(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        for _ in range(4):  # each web worker's first request and first query, off the clock
            http(server.url + "/sparql", {"query": "ASK { ing:retinol ?p ?o }"})
        yield Served(server.url, logs / f"gunicorn-{port}.log", server.pid)


def children(pid: int) -> list[int]:
    return [
        int(child)
        for task in Path(f"/proc/{pid}/task").glob("*/children")
        for child in task.read_text().split()
    ]


@pytest.mark.parametrize(
    ("query", "stopped_by"),
    [
        (DISTINCT_JOIN, (TIME,)),
        (CONCAT, (MEMORY, TIME)),  # on a busy machine the clock may come first: either stops it
    ],
    ids=["distinct-subselect-join", "concat-doubling-24"],
)
def test_attacks_end_in_503_while_healthz_answers_and_web_workers_live(
    served: Served, query: str, stopped_by: tuple[str, ...]
) -> None:
    web_workers = children(served.pid)
    with ThreadPoolExecutor(max_workers=2) as pool:
        started = time.monotonic()
        attacks = [pool.submit(http, served.url + "/sparql", {"query": query}) for _ in range(2)]
        slowest = 0.0
        while not all(attack.done() for attack in attacks):
            asked = time.monotonic()
            assert http(served.url + "/healthz").status == 200
            slowest = max(slowest, time.monotonic() - asked)
            time.sleep(0.05)
        ended = time.monotonic() - started
    for attack in attacks:
        message = assert_error(attack.result(), 503, "query")
        assert any(limit in message for limit in stopped_by), message
    assert ended < ANSWERED_WITHIN, f"answered after {ended:.2f} s"
    assert slowest < HEALTHZ_WITHIN, f"/healthz took {slowest:.2f} s"
    assert children(served.pid) == web_workers  # the same web workers, none replaced
    assert http(served.url + "/sparql", {"query": "ASK { ing:retinol ?p ?o }"}).status == 200


def test_no_web_worker_was_ever_killed(served: Served) -> None:
    text = served.log.read_text()
    assert "WORKER TIMEOUT" not in text
    assert text.count("Booting worker") == 2
