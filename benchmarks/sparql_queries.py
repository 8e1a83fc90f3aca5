"""Time each canned SPARQL query as the endpoint runs it, beside pyoxigraph in memory.

    .venv/bin/python benchmarks/sparql_queries.py [--runs 5] [--rdflib]

Per knowledge/queries/*.rq: its rows, the median time through the endpoint's worker pool
(graph/sparql_pool.py: a forked worker process, JSON over a pipe, rdflib terms back), the
median of the same query on the same store straight in this process (pyoxigraph in memory),
and their ratio; with --rdflib also rdflib's evaluator on the rdflib graph, as the endpoint
answered before. Then how long the store takes to load, and how long each runaway query
takes to be stopped at a 1 s limit. Run with the default limits of web/settings.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyoxigraph

from graph import sparql, sparql_pool, sparql_store, sparql_worker
from graph.errors import CheckerError
from graph.loader import CACHE_DIR, KNOWLEDGE_DIR, load_knowledge
from graph.namespaces import PREFIXES
from web.settings import DEFAULTS

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


def median_ms(run: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rdflib", action="store_true", help="also time rdflib's evaluator")
    options = parser.parse_args()
    limits = sparql.Limits(
        time_limit_ms=DEFAULTS["SPARQL_TIME_LIMIT_MS"],
        max_rows=DEFAULTS["SPARQL_MAX_ROWS"],
        max_query_chars=DEFAULTS["SPARQL_MAX_QUERY_CHARS"],
        memory_limit_mb=DEFAULTS["SPARQL_MEMORY_LIMIT_MB"],
    )
    knowledge = load_knowledge(KNOWLEDGE_DIR)
    if options.rdflib:
        started = time.perf_counter()
        print(f"rdflib graph: {len(knowledge.graph):,} triples, parsed in ", end="")
        print(f"{time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    store = sparql_store.open_store(knowledge, KNOWLEDGE_DIR, CACHE_DIR)
    print(f"store: {len(store):,} quads, loaded in {time.perf_counter() - started:.2f} s")
    pool = sparql_pool.QueryPool(store, 1)
    graphs = sparql_store.held_graphs(store)
    prefixes = sparql_worker.PREFIX_MAP
    header = f"{'query':<30} {'rows':>5} {'endpoint ms':>12} {'pyoxigraph ms':>14} {'ratio':>6}"
    print(header + (f" {'rdflib ms':>10}" if options.rdflib else ""))
    for canned in sparql.read_canned_queries(KNOWLEDGE_DIR / "queries"):
        prepared = sparql.prepare_user_query(canned.text, limits, graphs)
        text = canned.text

        def endpoint(prepared: sparql.Prepared = prepared) -> sparql.Answer:
            return pool.run(prepared, limits)

        def in_memory(text: str = text) -> object:
            found = store.query(text, prefixes=prefixes, use_default_graph_as_union=True)
            return found if isinstance(found, pyoxigraph.QueryBoolean) else list(found)

        def rdflib(text: str = text) -> list[object]:
            return list(knowledge.graph.query(text, initNs=PREFIXES))

        ours, answer = median_ms(endpoint, options.runs)
        direct, _ = median_ms(in_memory, options.runs)
        rows = len(answer.rows) if isinstance(answer, sparql.Answer) else 0
        line = f"{canned.name:<30} {rows:>5} {ours:>12.1f} {direct:>14.1f} {ours / direct:>6.1f}"
        if options.rdflib:
            line += f" {median_ms(rdflib, 1)[0]:>10.0f}"
        print(line)
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
