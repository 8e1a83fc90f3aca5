"""`make load`: a bounded load test of `make serve`'s gunicorn on a free 127.0.0.1 port.

wrk (benchmarks/wrk/plan.lua) sends a fixed mix in turn: checks (POST /api/check, with and
without a product type, dates and conditions, and a shelf through POST /api/check/batch),
pages and JSON reads (GET), and SPARQL queries (GET /sparql). It reports the requests, the
errors (every answer outside 2xx, and every socket error: there must be none), and p50/p99
latency, overall from wrk and per kind from gunicorn's access log. The server is started and
stopped here; nothing but 127.0.0.1 is ever loaded, and the run ends after --seconds.

Beside it runs an abuse mix (--no-abuse leaves it out), as an attacker or a clumsy client
would send: --slow-clients connections trickling headers or a body at 1 byte a second, labels
of 20,000 characters of made-up words, and SPARQL runaways (a cross product), each one at a
time, while /healthz is timed every quarter second. It prints each kind's answers, the 5xx,
gunicorn's worker restarts (its error log: "WORKER TIMEOUT", "Booting worker") and the /healthz
p99. Goal: no 5xx, no restart, /healthz p99 under 1 s (issue 15).

    .venv/bin/python benchmarks/load.py [--connections 64] [--seconds 60] [--slow-clients 64]
"""

from __future__ import annotations

import argparse
import functools
import http.client
import json
import os
import random
import socket
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
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
ABUSE_AGENT = "aftercare-load-abuse"  # how the access log tells abuse from the normal mix
RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # every triple with every triple


def made_up_label(rng: random.Random, chars: int = 20_000) -> str:
    """A label of invented ingredient names, none of them known: the spelling search's worst."""
    words: list[str] = []
    while sum(len(word) + 2 for word in words) < chars - 40:
        syllables = rng.randint(3, 6)
        words.append(
            "".join(
                rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(syllables)
            ).capitalize()
        )
    return ", ".join(words)[:chars]


class Abuse:
    """The abuse mix, in threads beside wrk, until stopped; it keeps what it saw."""

    def __init__(self, url: str, slow_clients: int) -> None:
        self.host, port = url.removeprefix("http://").split(":")
        self.port = int(port)
        self.slow_clients = slow_clients
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.answers: dict[str, Counter[int]] = defaultdict(Counter)
        self.seconds: dict[str, list[float]] = defaultdict(list)
        self.healthz: list[float] = []
        self.healthz_failures = 0
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        rng = random.Random(15)
        labels = [made_up_label(rng) for _ in range(20)]
        jobs: list[Callable[[], None]] = [self._healthz]
        jobs.append(lambda: self._repeat("unknown words", lambda i: self._check(labels[i % 20])))
        jobs.append(lambda: self._repeat("SPARQL runaway", lambda _: self._runaway()))
        jobs += [functools.partial(self._slow, body=n % 2 == 1) for n in range(self.slow_clients)]
        for job in jobs:
            thread = threading.Thread(target=job, daemon=True)
            thread.start()
            self.threads.append(thread)

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=40)

    def _request(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> int:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body, {**headers, "User-Agent": ABUSE_AGENT})
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def _check(self, label: str) -> int:
        body = json.dumps({"procedure": "microneedling", "day": 3, "ingredients": label})
        return self._request(
            "POST", "/api/check", body.encode(), {"Content-Type": "application/json"}
        )

    def _runaway(self) -> int:
        return self._request(
            "POST",
            "/sparql",
            RUNAWAY.encode(),
            {"Content-Type": "application/sparql-query", "Accept": JSON_RESULTS},
        )

    def _repeat(self, kind: str, send: Callable[[int], int]) -> None:
        number = 0
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                status = send(number)
            except OSError:
                status = 0  # no answer at all
            with self.lock:
                self.answers[kind][status] += 1
                self.seconds[kind].append(time.perf_counter() - started)
            number += 1

    def _healthz(self) -> None:
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                ok = self._request("GET", "/healthz", b"", {}) == 200
            except OSError:
                ok = False
            with self.lock:
                self.healthz.append(time.perf_counter() - started)
                self.healthz_failures += not ok
            self.stop.wait(0.25)

    def _slow(self, body: bool) -> None:
        """Trickle one byte a second; when the server drops or answers, come back."""
        kind = "slow body" if body else "slow headers"
        if body:
            head = b"POST /api/check HTTP/1.1\r\nHost: load\r\nContent-Type: application/json\r\n"
            head += f"User-Agent: {ABUSE_AGENT}\r\nContent-Length: 5000\r\n\r\n".encode()
            trickle = b" " * 5000
        else:
            head = b""
            trickle = b"GET /healthz HTTP/1.1\r\nHost: load\r\nX-Slow: " + b"a" * 5000
        while not self.stop.is_set():
            try:
                with socket.create_connection((self.host, self.port), timeout=5) as sock:
                    sock.sendall(head)
                    sock.settimeout(1.0)
                    outcome = "no answer"
                    for byte in trickle:
                        if self.stop.is_set():
                            return
                        sock.sendall(bytes([byte]))
                        try:
                            answer = sock.recv(64)
                        except TimeoutError:
                            continue
                        outcome = answer.split(b" ")[1].decode() if answer else "closed"
                        break
            except OSError:
                outcome = "closed"
            with self.lock:
                self.answers[kind][int(outcome) if outcome.isdigit() else -1] += 1


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
    parser.add_argument("--slow-clients", type=int, default=64)
    parser.add_argument("--no-abuse", action="store_true", help="the normal mix only")
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
            error_log = directory / f"gunicorn-{server.url.rsplit(':', 1)[1]}.log"
            abuse = None if args.no_abuse else Abuse(server.url, args.slow_clients)
            if abuse is not None:
                abuse.start()
            run = serving.run_wrk(
                server.url, requests, args.seconds, args.connections, args.threads
            )
            if abuse is not None:
                abuse.finish()
            memory = serving.process_tree_memory(server.pid)
            logged = [
                entry
                for entry, agent in zip(
                    serving.access_log_statuses(server.access_log),
                    _agents(server.access_log),
                    strict=True,
                )
                if agent != ABUSE_AGENT
            ]
            server_log = error_log.read_text()
    workers = int(os.environ.get("AFTERCARE_WORKERS", (os.cpu_count() or 1) * 2 + 1))
    restarts = max(0, server_log.count("Booting worker") - workers)  # beyond the first boots
    timeouts = server_log.count("WORKER TIMEOUT")
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
    print(f"worker restarts: {restarts} (WORKER TIMEOUT: {timeouts})   goal: 0")
    if restarts or timeouts:  # why, as gunicorn said it
        for line in server_log.splitlines():
            if any(
                w in line for w in ("TIMEOUT", "exited", "killed", "CRITICAL", "ERROR", "Booting")
            ):
                print("  " + line[:300])
    fine = run.errors == 0 and logged_bad == 0 and restarts == 0 and timeouts == 0
    if abuse is not None:
        fine = _print_abuse(abuse) and fine
    print(f"{time.perf_counter() - started:.0f} s in all")
    return 0 if fine else 1


def _agents(access_log: Path) -> list[str]:
    """The user agent of each request the access log holds, in order."""
    agents = []
    for line in access_log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            agents.append(json.loads(line)["user_agent"])
        except (json.JSONDecodeError, KeyError):
            continue
    return agents


def _print_abuse(abuse: Abuse) -> bool:
    """The abuse mix's figures; whether it met the goal."""
    print()
    print("abuse mix (status: answers; 0 = no answer, -1 = dropped by the server unanswered):")
    five_xx: dict[str, int] = {}
    for kind, answers in sorted(abuse.answers.items()):
        seconds = abuse.seconds.get(kind, [])
        timing = (
            f", p50 {percentile(seconds, 50):.2f} s, max {max(seconds):.2f} s" if seconds else ""
        )
        shown = ", ".join(f"{status}: {count}" for status, count in sorted(answers.items()))
        print(f"  {kind}: {sum(answers.values())} requests ({shown}){timing}")
        five_xx[kind] = sum(count for status, count in answers.items() if status >= 500)
    p99 = percentile(abuse.healthz, 99)
    print(
        f"/healthz during the run: {len(abuse.healthz)} probes, {abuse.healthz_failures} failed, "
        f"p50 {percentile(abuse.healthz, 50) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
        f"max {max(abuse.healthz, default=0) * 1000:.0f} ms   goal: p99 < 1000 ms"
    )
    runaway = five_xx.pop("SPARQL runaway", 0)
    print(
        f"5xx in the abuse mix: {sum(five_xx.values())} (SPARQL runaways stopped with a 503: "
        f"{runaway}, reported apart: the SPARQL engine's limit)   goal: 0"
    )
    return sum(five_xx.values()) == 0 and p99 < 1 and abuse.healthz_failures == 0


if __name__ == "__main__":
    sys.exit(main())
