"""`make load`: a bounded load test of `make serve`'s gunicorn on a free 127.0.0.1 port.

wrk (benchmarks/wrk/plan.lua) sends a fixed mix in turn: checks (POST /api/check, with and
without a product type, dates and conditions, and a shelf through POST /api/check/batch),
pages and JSON reads (GET), and SPARQL queries (GET /sparql). It reports the requests, the
errors (every answer outside 2xx, and every socket error: there must be none), and p50/p99
latency, overall from wrk and per kind from gunicorn's access log. The server is started and
stopped here; nothing but 127.0.0.1 is ever loaded, and the run ends after --seconds.

    .venv/bin/python benchmarks/load.py [--connections 64] [--seconds 60]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import serving

SERUM = serving.SERUM_LABEL
CLEANSER = "Aqua (Water), Sodium Laureth Sulfate, Cocamidopropyl Betaine, Glycolic Acid, Parfum"
SUNSCREEN = "Aqua, Zinc Oxide, Titanium Dioxide, Glycerin, Tocopherol, Niacinamdie, Phenoxyethanol"
SPARQL = {
    "a label": "SELECT ?label WHERE { ing:retinol skos:prefLabel ?label }",
    "rules on a class": "SELECT ?rule ?from ?until WHERE { ?rule ac:procedure proc:microneedling ;"
    " ac:subject cls:retinoid ; ac:fromDay ?from . OPTIONAL { ?rule ac:untilDay ?until } }",
    "classes up the hierarchy": "SELECT ?class ?label WHERE { ing:retinyl-palmitate "
    "ac:memberOf/skos:broader* ?class . ?class skos:prefLabel ?label }",
    "procedures": "SELECT ?p ?label WHERE { ?p a ac:Procedure ; skos:prefLabel ?label } "
    "ORDER BY ?label",
    "ask": "ASK { ing:retinol ac:memberOf cls:cosmetic-retinoid }",
}
JSON_RESULTS = "application/sparql-results+json"
KINDS = ("check", "page", "sparql")


def plan() -> list[tuple[str, str, str, str, str]]:
    """The mix, in the order wrk sends it: (method, path, content type, accept, body)."""
    week_ago = (date.today() - timedelta(days=7)).isoformat()

    def check(values: dict[str, object]) -> tuple[str, str, str, str, str]:
        return ("POST", "/api/check", "application/json", "-", json.dumps(values))

    checks = [
        check({"procedure": "microneedling", "day": 3, "ingredients": SERUM}),
        check({"procedure": "microneedling", "procedure_date": week_ago, "ingredients": CLEANSER}),
        check({"procedure": "superficial-peel", "day": 10, "ingredients": SUNSCREEN}),
        check(
            {
                "procedure": "microneedling",
                "day": 1,
                "ingredients": "Aqua, Talc, Iron Oxides",
                "product_type": "makeup",
                "conditions": ["pregnancy"],
            }
        ),
        (
            "POST",
            "/api/check/batch",
            "application/json",
            "-",
            json.dumps(
                {
                    "procedure": "ablative-laser",
                    "day": 14,
                    "products": [
                        {"name": "Serum", "ingredients": SERUM},
                        {"name": "Cleanser", "ingredients": CLEANSER},
                    ],
                }
            ),
        ),
    ]
    pages = [
        ("GET", path, "-", "-", "-")
        for path in (
            f"/?procedure=microneedling&procedure_date={week_ago}&ingredients=Aqua%2C+Retinol",
            "/procedures",
            "/procedures/microneedling",
            f"/procedures/microneedling/plan?date={week_ago}",
            "/ingredients?q=retin",
            "/ingredients/retinol",
            "/classes/retinoid",
            "/compare?subject=retinoids",
            "/api/procedures/microneedling/days/3",
            "/api/ingredients?q=niacin",
            "/healthz",
        )
    ]
    sparql = [
        ("GET", "/sparql?" + urlencode({"query": query}), "-", JSON_RESULTS, "-")
        for query in SPARQL.values()
    ]
    # Interleaved, so every stretch of the run has all three kinds.
    mixed: list[tuple[str, str, str, str, str]] = []
    for index in range(max(len(checks), len(pages), len(sparql))):
        for group in (checks, pages, sparql):
            if index < len(group):
                mixed.append(group[index])
    return mixed


def kind(path: str) -> str:
    if path.startswith("/api/check"):
        return "check"
    if path.startswith("/sparql"):
        return "sparql"
    return "page"


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.seconds > 3600:
        parser.error("--seconds must be between 0 and 3600: a load test is always bounded")
    requests = plan()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="aftercare-load-") as scratch:
        directory = Path(scratch)
        counts = {name: sum(kind(r[1]) == name for r in requests) for name in KINDS}
        print(
            f"make load: {len(requests)} requests in turn ({counts['check']} checks, "
            f"{counts['page']} pages, {counts['sparql']} SPARQL), {args.connections} connections, "
            f"{args.seconds:.0f} s, on {os.cpu_count()} cores",
            flush=True,
        )
        with serving.gunicorn("app:create_app()", directory) as server:
            print(f"gunicorn (gunicorn.conf.py) serving on {server.url}; loading …", flush=True)
            run = serving.run_wrk(
                server.url, requests, args.seconds, args.connections, args.threads
            )
            memory = serving.process_tree_memory(server.pid)
            logged = serving.access_log_statuses(server.access_log)
    if logged and logged[0][1] == "/healthz":
        logged = logged[1:]  # the readiness probe, not load
    by_kind: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for _, path, status, duration_us in logged:
        by_kind[kind(path)].append((status, duration_us))
    print()
    print("| kind | requests | non-2xx | server p50 | server p99 |")
    print("|---|---|---|---|---|")
    for name in KINDS:
        found = by_kind.get(name, [])
        durations = [d / 1000 for _, d in found]
        bad = sum(1 for status, _ in found if not 200 <= status < 300)
        print(
            f"| {name} | {len(found):,} | {bad} | {percentile(durations, 50):.1f} ms | "
            f"{percentile(durations, 99):.1f} ms |"
        )
    logged_bad = sum(1 for found in by_kind.values() for status, _ in found if status >= 300)
    by_path: dict[str, list[float]] = defaultdict(list)
    for _, path, _, duration_us in logged:
        by_path[path].append(duration_us / 1000)
    slowest = sorted(by_path.items(), key=lambda item: -percentile(item[1], 50))[:5]
    print()
    print(
        "slowest routes, server p50: "
        + ", ".join(f"{path} {percentile(times, 50):.0f} ms" for path, times in slowest)
    )
    print()
    print(f"requests: {run.requests:,} in {run.seconds:.1f} s ({run.per_second:,.0f}/s)")
    print(
        f"errors: {run.errors} (non-2xx: {run.non_2xx}, socket errors: {run.socket_errors}; "
        f"non-2xx in gunicorn's access log: {logged_bad})   goal: 0"
    )
    print(f"latency (wrk, client side): p50 {run.p50_ms:.1f} ms, p99 {run.p99_ms:.1f} ms")
    print(
        f"memory after the load: {memory.pss_mb:.0f} MB PSS across {memory.processes} processes; "
        f"largest peak {memory.peak_rss_mb:.0f} MB RSS"
    )
    print(f"{time.perf_counter() - started:.0f} s in all")
    return 0 if run.errors == 0 and logged_bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
