"""Time each canned SPARQL query as the endpoint runs it, beside pyoxigraph in memory.

    .venv/bin/python benchmarks/sparql_queries.py [--runs 9] [--rdflib]

Per knowledge/queries/*.rq: its rows, the median time through the endpoint's worker pool
(graph/sparql_pool.py: a forked worker process, the query down a pipe, the answer back as the
SPARQL JSON bytes the endpoint sends to a client that asks for JSON, its default), the median of
the same query on the same store straight in this process (pyoxigraph in memory, the rows
listed), and their ratio; the two take turns, so a busy machine slows both. With --rdflib also
rdflib's evaluator on the rdflib graph, as the endpoint answered before. Then how long the store
takes to load, and how long each runaway query takes to be stopped at a 1 s limit. Run with the
default limits of web/settings.py. `make bench` prints the table as figure (h).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import orjson
import pyoxigraph

from graph import sparql, sparql_formats, sparql_pool, sparql_store, sparql_worker
from graph.errors import CheckerError
from graph.loader import CACHE_DIR, KNOWLEDGE_DIR, load_knowledge
from graph.namespaces import PREFIXES
from web.settings import DEFAULTS

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


def default_limits() -> sparql.Limits:
    return sparql.Limits(
        time_limit_ms=DEFAULTS["SPARQL_TIME_LIMIT_MS"],
        max_rows=DEFAULTS["SPARQL_MAX_ROWS"],
        max_query_chars=DEFAULTS["SPARQL_MAX_QUERY_CHARS"],
        memory_limit_mb=DEFAULTS["SPARQL_MEMORY_LIMIT_MB"],
    )


def canned_timings(
    store: pyoxigraph.Store, runs: int, rounds: int = 3, sample: int | None = None
) -> list[Timing]:
    """Each canned query through the pool and in process, taking turns `rounds` times; the
    median of each side's `runs`-call medians."""
    limits = default_limits()
    pool = sparql_pool.QueryPool(store, 1)
    graphs = sparql_store.held_graphs(store)
    prefixes = sparql_worker.PREFIX_MAP
    found = []
    for canned in sparql.read_canned_queries(KNOWLEDGE_DIR / "queries")[:sample]:
        prepared = sparql.prepare_user_query(canned.text, limits, graphs)

        def endpoint(prepared: sparql.Prepared = prepared) -> bytes:
            answer = pool.run(prepared, limits, rows=False)  # as /sparql runs it for JSON
            return sparql_formats.serialise(answer, JSON)

        def in_memory(text: str = canned.text) -> object:
            found = store.query(text, prefixes=prefixes, use_default_graph_as_union=True)
            return found if isinstance(found, pyoxigraph.QueryBoolean) else list(found)

        endpoint()  # the pool's worker forked, off the clock
        ours, direct = [], []
        for _ in range(rounds):
            ours.append(median_ms(endpoint, runs))
            direct.append(median_ms(in_memory, runs))
        body = orjson.loads(endpoint())
        rows = len(body["results"]["bindings"]) if "results" in body else 0
        found.append(Timing(canned.name, rows, statistics.median(ours), statistics.median(direct)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--rdflib", action="store_true", help="also time rdflib's evaluator")
    options = parser.parse_args()
    limits = default_limits()
    knowledge = load_knowledge(KNOWLEDGE_DIR)
    started = time.perf_counter()
    store = sparql_store.open_store(knowledge, KNOWLEDGE_DIR, CACHE_DIR)
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


if __name__ == "__main__":
    main()
