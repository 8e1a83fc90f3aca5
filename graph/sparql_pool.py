"""SPARQL queries run in worker processes that no query can outlive.

A query is evaluated by the embedded Oxigraph store (graph/sparql_store.py) in a worker
process forked from the process that loaded it, so the store's memory is shared, not copied.
The worker (graph/sparql_worker.py) caps its own address space (RLIMIT_AS) at what it holds
plus the memory limit, and cannot reach the network when the kernel lets it leave the
network namespace. The process that asked waits for the answer on a pipe until the deadline,
then kills the worker (SIGKILL: no query, whatever it is doing inside Oxigraph, survives it)
and forks another. A worker over its memory limit dies (Oxigraph aborts when an allocation
fails) and is replaced the same way. The asking process is never blocked past the limit and
never dies with a query. A worker runs each query on the CPU of the thread that asked, where
the asker sleeps meanwhile, until the query has run PINNED_SECONDS (decision 003, rev. 4).

Requests and answers cross the pipes as JSON (orjson), one length-prefixed message each way:
an answer from a worker is data, never code. A SELECT's rows come as the SPARQL JSON results
document Oxigraph wrote, which the endpoint sends on unread to a client asking for JSON; they
are read into rdflib terms only for the other formats and the HTML page.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import orjson
import pyoxigraph as ox

from graph import sparql_worker
from graph.errors import (
    CheckerError,
    InvalidInput,
    InvalidValue,
    QueryOutOfMemory,
    QueryTimeout,
    StoreUnavailable,
)
from graph.sparql import Answer, Limits, Prepared
from graph.sparql_worker import decode, decode_json

MESSAGE_CHARS = 500  # of an error from Oxigraph, passed on
# A query runs on the CPU of the thread that asked for this long, then on any CPU allowed.
PINNED_SECONDS = 0.002
ERRORS: Mapping[str, type[CheckerError]] = {
    "syntax": InvalidInput,
    "evaluation": InvalidValue,
}


@dataclass(slots=True)
class _Worker:
    pid: int
    requests: int  # the pipe we write queries to
    replies: int  # the pipe answers come back on
    errors: int  # the worker's stderr: why it died, when it did
    status: int | None = None  # its wait status, once reaped


class QueryPool:
    """Up to `size` worker processes per process that asks, forked when first needed."""

    def __init__(self, store: ox.Store, size: int) -> None:
        self.store = store
        self.size = max(1, size)
        self._owner = os.getpid()
        self._cpus = _allowed_cpus()
        self._idle: list[_Worker] = []
        self._count = 0
        self._changed = threading.Condition()

    def run(
        self,
        prepared: Prepared,
        limits: Limits,
        rows: bool = True,
        waiting: Callable[[], AbstractContextManager[None]] = contextlib.nullcontext,
    ) -> Answer:
        """Evaluate a query that passed the refusals, within the time and memory limits;
        rows=False leaves a SELECT's answer as its SPARQL JSON document only. `waiting()` is
        entered while this process only waits for a worker (web/deadline.py gives back the
        request's computing slot meanwhile)."""
        started = time.monotonic()
        deadline = started + limits.time_limit_ms / 1000
        job = orjson.dumps(_job(prepared, limits))
        with waiting():
            worker = self._acquire(deadline, limits)
            healthy = False
            try:
                reply = self._exchange(worker, job, deadline, limits)
                healthy = not reply.get("retire")
            finally:
                self._release(worker, healthy)
        return _answer(reply, (time.monotonic() - started) * 1000, rows)

    def _acquire(self, deadline: float, limits: Limits) -> _Worker:
        with self._changed:
            if self._owner != os.getpid():  # forked (gunicorn): the workers are the parent's
                for worker in self._idle:
                    _close(worker)
                self._owner, self._idle, self._count = os.getpid(), [], 0
            while not self._idle and self._count >= self.size:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._changed.wait(remaining):
                    raise _timeout(limits, busy=True)
            if self._idle:
                return self._idle.pop()
            self._count += 1
        try:
            return self._spawn()
        except OSError as error:
            with self._changed:
                self._count -= 1
                self._changed.notify()
            raise StoreUnavailable(f"No SPARQL worker could be started: {error}") from error

    def _release(self, worker: _Worker, healthy: bool) -> None:
        if healthy:
            with self._changed:
                self._idle.append(worker)
                self._changed.notify()
            return
        _kill(worker)
        with self._changed:
            self._count -= 1
            self._changed.notify()
        # Its replacement is forked now, off any query's clock, not when the next one comes.
        threading.Thread(target=self._replenish, daemon=True).start()

    def _replenish(self) -> None:
        with self._changed:
            if self._owner != os.getpid() or self._count >= self.size:
                return
            self._count += 1
        try:
            worker = self._spawn()
        except OSError:
            with self._changed:
                self._count -= 1
            return
        self._release(worker, healthy=True)

    def _exchange(
        self, worker: _Worker, job: bytes, deadline: float, limits: Limits
    ) -> dict[str, Any]:
        # The asker sleeps on the pipe while its worker runs on the asker's CPU: the wake-ups
        # either way are on one CPU, whose caches hold what the asker last read. A query
        # still running after PINNED_SECONDS is let go to every CPU the process may use.
        _pin(worker.pid, {cpu} if (cpu := _this_cpu()) >= 0 else self._cpus)
        os.write(worker.requests, len(job).to_bytes(sparql_worker.HEADER_BYTES, "big") + job)
        data = _read_message(worker.replies, deadline, lambda: _pin(worker.pid, self._cpus))
        said = _drain(worker.errors)  # so that the pipe never fills
        if data is _TIMEOUT:
            raise _timeout(limits)
        if data is None:  # the worker died: over the memory limit, or the engine crashed
            raise _death(worker, said, limits)
        header, _, document = data.partition(b"\n")
        reply: dict[str, Any] = orjson.loads(header)
        reply["document"] = document
        error = reply.get("error")
        if error is not None:
            kind, message = error
            if kind == "memory":
                raise _out_of_memory(limits)
            raise ERRORS[kind](message[:MESSAGE_CHARS], "query")
        return reply

    def _spawn(self) -> _Worker:
        requests_r, requests_w = os.pipe()
        replies_r, replies_w = os.pipe()
        errors_r, errors_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: it never returns from here
            try:
                os.dup2(errors_w, 2)
                sparql_worker.close_all_but({0, 1, 2, requests_r, replies_w})
                sparql_worker.serve(self.store, requests_r, replies_w)
            finally:
                os._exit(70)
        for end in (requests_r, replies_w, errors_w):
            os.close(end)
        os.set_blocking(errors_r, False)
        return _Worker(pid, requests_w, replies_r, errors_r)


_pools: dict[int, QueryPool] = {}
_pools_lock = threading.Lock()


def pool_for(store: ox.Store, size: int) -> QueryPool:
    """The one pool of this store (per process: a forked child makes its own workers)."""
    with _pools_lock:
        pool = _pools.get(id(store))
        if pool is None or pool.store is not store:
            pool = _pools[id(store)] = QueryPool(store, size)
        pool.size = max(pool.size, size)
        return pool


# --- the asking side -------------------------------------------------------------------------

_TIMEOUT = b"\0timeout"


def _job(prepared: Prepared, limits: Limits) -> dict[str, Any]:
    return {
        "text": prepared.text,
        "kind": prepared.kind,
        "default_graphs": prepared.dataset.default_graphs,
        "named_graphs": prepared.dataset.named_graphs,
        "use_dataset": bool(prepared.dataset),
        "union": not prepared.dataset and not prepared.has_from,
        "bindings": {
            name: sparql_worker.encode_rdflib(term)
            for name, term in (prepared.bindings or {}).items()
        },
        "max_rows": limits.max_rows,
        "seconds": limits.time_limit_ms / 1000,
        "memory_bytes": limits.memory_limit_mb * 1024 * 1024,
    }


def _read_message(fd: int, deadline: float, unpin: Callable[[], None]) -> bytes | None:
    """One length-prefixed message; None at end of file, _TIMEOUT past the deadline.
    `unpin()` is called if the message has not come within PINNED_SECONDS."""
    buffer = bytearray()
    size: int | None = None
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    unpin_at = min(deadline, time.monotonic() + PINNED_SECONDS)
    while size is None or len(buffer) < sparql_worker.HEADER_BYTES + size:
        while not poller.poll(max(0.0, unpin_at - time.monotonic()) * 1000):
            if time.monotonic() >= deadline:
                return _TIMEOUT
            unpin()
            unpin_at = deadline
        # Most answers fit in one pipe's worth (64 KB); a bigger one is read in big chunks.
        chunk = os.read(fd, 1 << 16 if size is None else 1 << 20)
        if not chunk:
            return None
        buffer += chunk
        if size is None and len(buffer) >= sparql_worker.HEADER_BYTES:
            size = int.from_bytes(buffer[: sparql_worker.HEADER_BYTES], "big")
    return bytes(buffer[sparql_worker.HEADER_BYTES :])


_libc = ctypes.CDLL(None, use_errno=True)


def _this_cpu() -> int:
    """The CPU the calling thread runs on (-1 where the C library cannot say)."""
    return int(_libc.sched_getcpu())


def _allowed_cpus() -> set[int]:
    return os.sched_getaffinity(0)


def _pin(pid: int, cpus: set[int]) -> None:
    with contextlib.suppress(OSError):  # gone already, or not permitted here: it runs anywhere
        os.sched_setaffinity(pid, cpus)


def _drain(fd: int) -> str:
    text = b""
    try:
        while chunk := os.read(fd, 1 << 16):
            text += chunk
    except OSError:  # BlockingIOError: nothing more for now
        pass
    return text.decode("utf-8", "replace")


def _kill(worker: _Worker) -> int:
    if worker.status is not None:  # reaped already
        return worker.status
    if worker.pid > 0:  # never 0 or -1, which would signal a whole group
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        try:
            worker.status = os.waitpid(worker.pid, 0)[1]
        except ChildProcessError:
            worker.status = 0
    _close(worker)
    return worker.status or 0


def _close(worker: _Worker) -> None:
    for fd in (worker.requests, worker.replies, worker.errors):
        with contextlib.suppress(OSError):
            os.close(fd)


def _death(worker: _Worker, said: str, limits: Limits) -> CheckerError:
    said += _drain(worker.errors)
    status = _kill(worker)
    if "memory allocation of" in said:  # how Rust says an allocation failed before it aborts
        return _out_of_memory(limits)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM:
        return _timeout(limits)
    return StoreUnavailable(f"The query stopped the SPARQL engine: {said.strip()[-200:]}")


def _timeout(limits: Limits, busy: bool = False) -> QueryTimeout:
    why = " while waiting for a free SPARQL worker" if busy else ""
    return QueryTimeout(
        f"The query ran past the time limit of {limits.time_limit_ms} ms{why} and was stopped.",
        field="query",
    )


def _out_of_memory(limits: Limits) -> QueryOutOfMemory:
    return QueryOutOfMemory(
        f"The query needed more than the memory limit of {limits.memory_limit_mb} MB "
        "and was stopped.",
        field="query",
    )


def _answer(reply: Mapping[str, Any], elapsed_ms: float, rows: bool) -> Answer:
    kind, document = reply["kind"], reply["document"]
    if kind == "ASK":
        return Answer("ASK", boolean=reply["boolean"], elapsed_ms=elapsed_ms)
    if kind == "SELECT":
        if not rows:
            return Answer(
                kind, truncated=reply["truncated"], elapsed_ms=elapsed_ms, document=document
            )
        results = orjson.loads(document)
        return Answer(
            kind,
            variables=tuple(results["head"]["vars"]),
            rows=tuple(
                {name: decode_json(term) for name, term in row.items()}
                for row in results["results"]["bindings"]
            ),
            truncated=reply["truncated"],
            elapsed_ms=elapsed_ms,
            document=document,
        )
    return Answer(
        kind,
        triples=tuple((decode(s), decode(p), decode(o)) for s, p, o in reply["triples"]),
        truncated=reply["truncated"],
        elapsed_ms=elapsed_ms,
    )
