"""Time each canned SPARQL query as the endpoint runs it, beside pyoxigraph in memory.

    .venv/bin/python benchmarks/sparql_queries.py [--runs 31] [--rdflib]

Per knowledge/queries/*.rq: its rows, the median time through the endpoint's worker pool
(graph/sparql_pool.py: a forked worker process, the query down a pipe, the answer back as the
SPARQL JSON bytes the endpoint sends to a client that asks for JSON, its default), the median of
the same query on the same store straight in this process (pyoxigraph in memory, the rows
listed), and their ratio; the two take turns call by call, so a busy machine slows both. With
--rdflib also rdflib's evaluator on the rdflib graph, as the endpoint answered before. Then how
long the store takes to load, how long each runaway query takes to be stopped at a 1 s limit,
`flask sparql` end to end and the first /sparql answer under `flask run` and gunicorn. Run with
the default limits of web/settings.py. `make bench` prints the same figures as (h).
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson
import pyoxigraph

from benchmarks import serving
from graph import sparql, sparql_formats, sparql_pool, sparql_store, sparql_worker
from graph.errors import CheckerError
from graph.loader import CACHE_DIR, KNOWLEDGE_DIR, load_knowledge
from graph.namespaces import PREFIXES
from web.settings import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
JSON = "application/sparql-results+json"

ATTACKS = {
    "cross product": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "DISTINCT sub-select join": (
        "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?a WHERE { ?a ?p ?o } } "
        "{ SELECT DISTINCT ?b WHERE { ?b ?q ?r } } }"
    ),
    "CONCAT doubling x24": "SELECT (STRLEN(?v24) AS ?n) WHERE { BIND ('aaaaaaaaaaaaaaaa' AS ?v0) "
    + " ".join(f"BIND (CONCAT(?v{n}, ?v{n}) AS ?v{n + 1})" for n in range(24))
    + " }",
}


@dataclass(frozen=True, slots=True)
class Timing:
    name: str
    rows: int
    endpoint_ms: float
    direct_ms: float

    @property
    def ratio(self) -> float:
        return self.endpoint_ms / self.direct_ms


def median_ms(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def in_turns(
    first: Callable[[], object], second: Callable[[], object], runs: int
) -> tuple[float, float]:
    """The median milliseconds of each, calls alternating one by one: a burst of other work
    on the machine slows both sides alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for run, found in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            run()
            found.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def default_limits() -> sparql.Limits:
    return sparql.Limits(
        time_limit_ms=DEFAULTS["SPARQL_TIME_LIMIT_MS"],
        max_rows=DEFAULTS["SPARQL_MAX_ROWS"],
        max_query_chars=DEFAULTS["SPARQL_MAX_QUERY_CHARS"],
        memory_limit_mb=DEFAULTS["SPARQL_MEMORY_LIMIT_MB"],
    )


def canned_timings(store: pyoxigraph.Store, runs: int) -> list[Timing]:
    """Each canned query through the pool and in process, `runs` calls each in turns."""
    limits = default_limits()
    pool = sparql_pool.QueryPool(store, 1)
    graphs = sparql_store.held_graphs(store)
    prefixes = sparql_worker.PREFIX_MAP
    found = []
    for canned in sparql.read_canned_queries(KNOWLEDGE_DIR / "queries"):
        prepared = sparql.prepare_user_query(canned.text, limits, graphs)

        def endpoint(prepared: sparql.Prepared = prepared) -> bytes:
            answer = pool.run(prepared, limits, rows=False)  # as /sparql runs it for JSON
            return sparql_formats.serialise(answer, JSON)

        def in_memory(text: str = canned.text) -> object:
            found = store.query(text, prefixes=prefixes, use_default_graph_as_union=True)
            return found if isinstance(found, pyoxigraph.QueryBoolean) else list(found)

        body = orjson.loads(endpoint())  # the pool's worker forked, off the clock
        rows = len(body["results"]["bindings"]) if "results" in body else 0
        found.append(Timing(canned.name, rows, *in_turns(endpoint, in_memory, runs)))
    return found


RULES_ON_DAY = KNOWLEDGE_DIR / "queries" / "rules-on-day.rq"


def wall_seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def cli_seconds(runs: int) -> tuple[float, float]:
    """Median wall seconds of `flask sparql --file rules-on-day.rq` and of the floor,
    `python -c 'import flask, rdflib'`, taking turns (the knowledge cache warm)."""
    command = [str(BIN / "flask"), "--app", "app", "sparql", "--file", str(RULES_ON_DAY)]
    floor = [sys.executable, "-c", "import flask, rdflib"]
    wall_seconds(command)  # a first start after a change compiles the knowledge: not timed
    ours, floors = [], []
    for _ in range(runs):
        floors.append(wall_seconds(floor))
        ours.append(wall_seconds(command))
    return statistics.median(ours), statistics.median(floors)


def first_answer(root: str) -> float:
    """Seconds of the first /sparql answer (rules-on-day, as SPARQL JSON)."""
    query = urllib.parse.urlencode({"query": RULES_ON_DAY.read_text(encoding="utf-8")})
    request = urllib.request.Request(f"{root}/sparql?{query}", headers={"Accept": JSON})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
    return time.perf_counter() - started


def flask_run_first_answer() -> tuple[float, float]:
    """`flask run`: seconds from its launch until it accepts a connection, then the first
    /sparql answer's seconds."""
    port = serving.free_port()
    launched = time.perf_counter()
    command = [str(BIN / "flask"), "--app", "app", "run", "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                socket.create_connection((serving.HOST, port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.perf_counter() - launched > 120:
                    raise SystemExit("flask run did not start") from None
                time.sleep(0.01)
        listening = time.perf_counter() - launched
        return listening, first_answer(f"http://{serving.HOST}:{port}")
    finally:
        server.terminate()
        server.wait(timeout=30)


def gunicorn_first_answer() -> tuple[float, float]:
    """`make serve` (gunicorn.conf.py, two web workers): seconds until /healthz answers, then
    the first /sparql answer's seconds."""
    launched = time.perf_counter()
    with (
        tempfile.TemporaryDirectory() as logs,
        serving.gunicorn("app:create_app()", Path(logs), env={"AFTERCARE_WORKERS": "2"}) as server,
    ):
        return time.perf_counter() - launched, first_answer(server.url)


# One row of make bench's table: what, measured, ratio, goal, met (None: no goal).
Row = tuple[str, str, str, str, bool | None]


def figures(runs: int, report: Callable[[str], None]) -> list[Row]:
    """make bench's figures (h), each beside its goal in issue 14."""
    knowledge = load_knowledge(KNOWLEDGE_DIR)
    store = sparql_store.open_store(knowledge.version, KNOWLEDGE_DIR, CACHE_DIR, lambda: knowledge)
    timings = canned_timings(store, runs)
    for t in timings:
        report(
            f"    {t.name:<30} {t.rows:>4} rows {t.endpoint_ms:8.2f} ms vs {t.direct_ms:8.2f} ms"
        )
    worst = max(timings, key=lambda timing: timing.ratio)
    median = statistics.median(timing.ratio for timing in timings)
    cli, floor = cli_seconds(runs=5)
    rows: list[Row] = [
        (
            f"canned SPARQL query through the worker pool vs pyoxigraph in memory "
            f"(worst of {len(timings)}: {worst.name}; median {median:.1f}×)",
            f"{worst.endpoint_ms:.2f} ms vs {worst.direct_ms:.2f} ms",
            f"{worst.ratio:.1f}×",
            "≤ 2× each",
            worst.ratio <= 2,
        ),
        (
            "`flask sparql --file rules-on-day.rq` end to end vs import flask, rdflib",
            f"{cli:.2f} s vs {floor:.2f} s (median of 5)",
            f"{cli / floor:.1f}×",
            "≤ 2 s",
            cli <= 2,
        ),
    ]
    for server, measure in (
        ("flask run", flask_run_first_answer),
        ("gunicorn (2 workers)", gunicorn_first_answer),
    ):
        ready, first = measure()
        rows.append(
            (
                f"first /sparql answer (rules-on-day) under {server}, ready {ready:.1f} s "
                "after launch",
                f"{first * 1000:.0f} ms",
                "",
                "≤ 1 s",
                first <= 1,
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--rdflib", action="store_true", help="also time rdflib's evaluator")
    options = parser.parse_args()
    limits = default_limits()
    knowledge = load_knowledge(KNOWLEDGE_DIR)
    started = time.perf_counter()
    store = sparql_store.open_store(knowledge.version, KNOWLEDGE_DIR, CACHE_DIR, lambda: knowledge)
    print(f"store: {len(store):,} quads, loaded in {time.perf_counter() - started:.2f} s")
    header = f"{'query':<30} {'rows':>5} {'endpoint ms':>12} {'pyoxigraph ms':>14} {'ratio':>6}"
    print(header + (f" {'rdflib ms':>10}" if options.rdflib else ""))
    texts = {
        canned.name: canned.text for canned in sparql.read_canned_queries(KNOWLEDGE_DIR / "queries")
    }
    for timing in canned_timings(store, options.runs):
        line = (
            f"{timing.name:<30} {timing.rows:>5} {timing.endpoint_ms:>12.2f} "
            f"{timing.direct_ms:>14.2f} {timing.ratio:>6.1f}"
        )
        if options.rdflib:
            text = texts[timing.name]

            def rdflib(text: str = text) -> object:
                return list(knowledge.graph.query(text, initNs=PREFIXES))

            line += f" {median_ms(rdflib, 1):>10.0f}"
        print(line)
    pool = sparql_pool.QueryPool(store, 1)
    graphs = sparql_store.held_graphs(store)
    short = sparql.Limits(1000, limits.max_rows, limits.max_query_chars, 256)
    for name, text in ATTACKS.items():
        started = time.perf_counter()
        try:
            pool.run(sparql.prepare_user_query(text, short, graphs), short)
            outcome = "answered"
        except CheckerError as error:
            outcome = error.message
        print(f"{name}: {(time.perf_counter() - started) * 1000:.0f} ms: {outcome}")
    cli, floor = cli_seconds(3)
    print(f"flask sparql end to end: {cli:.2f} s (import flask, rdflib: {floor:.2f} s)")
    for server, measure in (
        ("flask run", flask_run_first_answer),
        ("gunicorn", gunicorn_first_answer),
    ):
        ready, first = measure()
        print(f"{server}: ready {ready:.2f} s after launch, first /sparql answer {first:.3f} s")


if __name__ == "__main__":
    main()
