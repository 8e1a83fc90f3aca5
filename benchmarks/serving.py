"""Serve an app with gunicorn on a free 127.0.0.1 port and load it with wrk, bounded in time.

Shared by benchmarks/bench.py (figure c) and benchmarks/load.py (`make load`). Only loopback
is ever a target; every run ends by itself after its duration.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # the only address a load is ever sent to
# A serum's label as printed: 30 INCI names, a retinoid and a fragrance among them.
SERUM_LABEL = (
    "Aqua, Glycerin, Niacinamide, Butylene Glycol, Propanediol, Squalane, "
    "Caprylic/Capric Triglyceride, Cetearyl Alcohol, Dimethicone, Sodium Hyaluronate, "
    "Panthenol, Tocopherol, Ascorbyl Glucoside, Retinol, Allantoin, Ceramide NP, Cholesterol, "
    "Phytosphingosine, Glyceryl Stearate, PEG-100 Stearate, Carbomer, Xanthan Gum, "
    "Sodium Hydroxide, Disodium EDTA, Phenoxyethanol, Ethylhexylglycerin, Chlorphenesin, "
    "Citric Acid, Parfum, Linalool"
)


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:PORT
    pid: int  # gunicorn's master
    access_log: Path


@dataclass(frozen=True)
class WrkRun:
    requests: int
    seconds: float
    non_2xx: int
    socket_errors: int  # connect, read, write and timeout errors together
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    output: str  # wrk's own report

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def gunicorn(
    app_uri: str,
    log_dir: Path,
    ready_path: str = "/healthz",
    ready_body: bytes | None = None,
    env: Mapping[str, str] | None = None,
    start_timeout: float = 180.0,
) -> Iterator[Server]:
    """gunicorn -c gunicorn.conf.py APP on a free port of 127.0.0.1, as `make serve` runs it."""
    port = free_port()
    access_log = log_dir / f"access-{port}.log"
    settings = {
        **os.environ,
        **(env or {}),
        "AFTERCARE_BIND": f"{HOST}:{port}",
        "AFTERCARE_ACCESS_LOG": str(access_log),
    }
    with (log_dir / f"gunicorn-{port}.log").open("w") as errors:
        master = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", app_uri],
            cwd=ROOT,
            env=settings,
            stdout=errors,
            stderr=subprocess.STDOUT,
        )
        url = f"http://{HOST}:{port}"
        try:
            _wait_until_ready(url + ready_path, ready_body, master, start_timeout)
            yield Server(url, master.pid, access_log)
        finally:
            master.send_signal(signal.SIGTERM)  # graceful: workers finish what they hold
            try:
                master.wait(timeout=30)
            except subprocess.TimeoutExpired:
                master.kill()
                master.wait()


def _wait_until_ready(
    url: str, body: bytes | None, master: subprocess.Popen[bytes], timeout: float
) -> None:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if master.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {master.returncode} before serving {url}")
        try:
            request = urllib.request.Request(url, data=body, headers=headers)
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed: `make bench` / `make load` install it (apt-get).")
    return found


# method, path, content type or "-", accept or "-", body or "-"
Request = tuple[str, str, str, str, str]
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk" / "plan.lua"


def run_wrk(
    url: str, requests: Sequence[Request], seconds: float, connections: int, threads: int
) -> WrkRun:
    """wrk sending the requests in turn (benchmarks/wrk/plan.lua), bounded in time."""
    if not url.startswith(f"http://{HOST}:"):
        raise ValueError(f"load is only ever sent to {HOST}, not {url}")
    if any("\t" in part or "\n" in part for request in requests for part in request):
        raise ValueError("a request of the plan may hold no tab or newline")
    with tempfile.NamedTemporaryFile("w", prefix="wrk-plan-", suffix=".tsv") as plan:
        plan.write("".join("\t".join(request) + "\n" for request in requests))
        plan.flush()
        return _wrk(url, plan.name, seconds, connections, threads)


def _wrk(url: str, plan: str, seconds: float, connections: int, threads: int) -> WrkRun:
    command = [
        wrk_binary(),
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=10s",
        "--latency",
        f"--script={WRK_SCRIPT}",
        url,
    ]
    done = subprocess.run(
        command,
        env={**os.environ, "WRK_PLAN_FILE": plan},
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    line = next((line for line in done.stdout.splitlines() if line.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{done.stdout}\n{done.stderr}")
    found: dict[str, Any] = json.loads(line.removeprefix("WRK_JSON "))
    return WrkRun(
        requests=int(found["requests"]),
        seconds=found["duration_us"] / 1e6,
        non_2xx=int(found["non_2xx"]),
        socket_errors=sum(
            int(found[key]) for key in ("connect_errors", "read_errors", "write_errors", "timeouts")
        ),
        p50_ms=found["p50_us"] / 1000,
        p90_ms=found["p90_us"] / 1000,
        p99_ms=found["p99_us"] / 1000,
        max_ms=found["max_us"] / 1000,
        output=done.stdout,
    )


def access_log_statuses(path: Path) -> list[tuple[str, str, int, int]]:
    """(method, path, status, duration in µs) of every request gunicorn logged."""
    found = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        found.append(
            (entry["method"], entry["path"], int(entry["status"]), int(entry["duration_us"]))
        )
    return found


@dataclass(frozen=True)
class Memory:
    processes: int
    pss_mb: float  # proportional set size, summed: shared pages counted once
    peak_rss_mb: float  # the largest peak resident set of any one process (VmHWM)


def process_tree_memory(master: int) -> Memory:
    """The memory of gunicorn's master and workers, from /proc (Linux)."""
    pids = [master]
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    pss = 0.0
    peak = 0.0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        pss += _kb(rollup, "Pss:") / 1024
        peak = max(peak, _kb(status, "VmHWM:") / 1024)
    return Memory(len(pids), pss, peak)


def _kb(text: str, key: str) -> float:
    for line in text.splitlines():
        if line.startswith(key):
            return float(line.split()[1])
    return 0.0
