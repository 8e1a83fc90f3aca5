"""Time each canned SPARQL query as the endpoint runs it, against the default limits.

    .venv/bin/python benchmarks/sparql_queries.py [--runs 3]

Prints one line per knowledge/queries/*.rq: rows, then the fastest and the slowest of the
runs in ms; then how long a runaway cross product takes to be stopped.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph import sparql
from graph.errors import QueryTimeout
from graph.loader import KNOWLEDGE_DIR, load_knowledge
from web.settings import DEFAULTS

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    limits = sparql.Limits(
        time_limit_ms=DEFAULTS["SPARQL_TIME_LIMIT_MS"],
        max_rows=DEFAULTS["SPARQL_MAX_ROWS"],
        max_query_chars=DEFAULTS["SPARQL_MAX_QUERY_CHARS"],
    )
    started = time.perf_counter()
    graph = load_knowledge(KNOWLEDGE_DIR).graph
    print(f"{len(graph):,} triples, parsed in {time.perf_counter() - started:.1f} s")
    print(f"limits: {limits}")
    print(f"{'query':<34} {'rows':>5} {'fastest ms':>11} {'median ms':>10} {'slowest ms':>11}")
    for canned in sparql.read_canned_queries(KNOWLEDGE_DIR / "queries"):
        query = sparql.prepare_user_query(canned.text, limits)
        answers = [sparql.run_query(graph, query, limits) for _ in range(runs)]
        times = [answer.elapsed_ms for answer in answers]
        print(
            f"{canned.name:<34} {len(answers[0].rows):>5} {min(times):>11.0f} "
            f"{statistics.median(times):>10.0f} {max(times):>11.0f}"
        )
    started = time.perf_counter()
    try:
        sparql.run_query(graph, sparql.prepare_user_query(CROSS_PRODUCT, limits), limits)
    except QueryTimeout:
        print(f"cross product stopped after {(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
