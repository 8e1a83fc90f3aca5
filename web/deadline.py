"""The app's own deadline: a request the app works on for longer than REQUEST_DEADLINE_SECONDS
is stopped and answered 503 in the error shape, with the security headers, so gunicorn never
has to kill a worker (docs/decisions/024-serving-slow-clients.md).

A request runs in a thread of gunicorn's gthread worker (or of the development server). One
watchdog thread per process keeps every running request's deadline; when one passes, it
raises DeadlinePassed inside that request's thread (CPython's PyThreadState_SetAsyncExc), so
Python code stops at its next bytecode and Flask's error handlers answer. Time spent waiting
for the request body is not counted: reading it is bounded by the worker (web/worker.py),
and a slow phone upload is not the app being slow. Blocking calls in C (a socket read,
tesseract, a SPARQL worker) return within their own limits, all shorter than this one.
"""

from __future__ import annotations

import ctypes
import heapq
import itertools
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from flask import Flask


class DeadlinePassed(Exception):  # raised into a thread, not an error of its own
    """The request ran past REQUEST_DEADLINE_SECONDS (raised asynchronously in its thread)."""


class BodyTimeout(TimeoutError):
    """The request body did not arrive in time (raised by web/worker.py's socket)."""

    def __init__(self, stalled: bool) -> None:
        super().__init__("the request body stalled" if stalled else "the request body is too slow")
        self.stalled = stalled  # nothing came for a while (a body shorter than announced)


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    """Raise `exception` in a thread at its next bytecode; None clears a pending one."""
    target = ctypes.py_object(exception) if exception is not None else None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), target)


class _Entry:
    __slots__ = ("armed", "deadline", "fired", "paused_at", "thread_id")

    def __init__(self, thread_id: int, deadline: float) -> None:
        self.thread_id = thread_id
        self.deadline = deadline
        self.paused_at: float | None = None  # while the body is read, the clock stops
        self.armed = True
        self.fired = False


class Watchdog:
    """The deadlines of the requests running in this process, and the thread that keeps them."""

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)  # gunicorn forks after preloading

    def _reset(self) -> None:
        self._lock = threading.Condition()
        self._heap: list[tuple[float, int, _Entry]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float) -> _Entry:
        entry = _Entry(threading.get_ident(), time.monotonic() + seconds)
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="deadline", daemon=True)
                self._thread.start()
            heapq.heappush(self._heap, (entry.deadline, next(self._order), entry))
            self._lock.notify()
        return entry

    def disarm(self, entry: _Entry) -> None:
        with self._lock:
            entry.armed = False
            if entry.fired:  # raised, or still pending: a pending one must not outlive us
                _raise_in(entry.thread_id, None)

    def pause(self, entry: _Entry) -> None:
        with self._lock:
            entry.paused_at = time.monotonic()

    def resume(self, entry: _Entry) -> None:
        with self._lock:
            if entry.paused_at is not None:
                entry.deadline += time.monotonic() - entry.paused_at
                entry.paused_at = None
                heapq.heappush(self._heap, (entry.deadline, next(self._order), entry))
                self._lock.notify()

    def _run(self) -> None:
        with self._lock:
            while True:
                now = time.monotonic()
                while self._heap and self._heap[0][0] <= now:
                    _, _, entry = heapq.heappop(self._heap)
                    if (
                        entry.armed
                        and not entry.fired
                        and entry.paused_at is None
                        and entry.deadline <= now
                    ):
                        entry.fired = True
                        _raise_in(entry.thread_id, DeadlinePassed)
                wait = self._heap[0][0] - now if self._heap else None
                self._lock.wait(wait)


WATCHDOG = Watchdog()


class _Turn:
    """A request's turn at the process's computing slots (REQUEST_CONCURRENCY of them)."""

    def __init__(self, slots: threading.Semaphore, seconds: float) -> None:
        self.slots = slots
        self.seconds = seconds
        self.held = False

    def take(self) -> bool:
        self.held = self.slots.acquire(timeout=self.seconds)
        return self.held

    def give_back(self) -> None:
        if self.held:
            self.held = False
            self.slots.release()


class _PausingInput:
    """wsgi.input whose reads stop the request's clock and give its slot back meanwhile:
    waiting for a body is not work, and a slow upload must not keep others waiting."""

    def __init__(self, stream: IO[bytes], entry: _Entry, turn: _Turn) -> None:
        self._stream = stream
        self._entry = entry
        self._turn = turn

    def _timed(self, read: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any) -> Any:
            WATCHDOG.pause(self._entry)
            self._turn.give_back()
            try:
                return read(*args)
            finally:
                if not self._turn.take():
                    raise DeadlinePassed  # no slot came free within the deadline
                WATCHDOG.resume(self._entry)

        return timed

    def __iter__(self) -> Any:
        return iter(self.readline, b"")

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._stream, name)  # only what the server's stream has (readinto?)
        return self._timed(found) if name in _READS else found


_READS = frozenset({"read", "readline", "readlines", "readinto"})
# Answered at once, never waiting for a slot: a health check must see a busy server as alive.
_EXEMPT_PATHS = ("/healthz", "/static/")


class Deadline:
    """WSGI middleware: every request the app handles waits for one of REQUEST_CONCURRENCY
    slots, then runs under the deadline. Python runs one thread at a time (the GIL): more
    requests computing at once only makes each slower, and a health check queues behind
    them for seconds; waiting for a slot costs nothing and is fair."""

    def __init__(self, app: Flask, respond: Callable[[bool], Any]) -> None:
        self.app = app
        self.inner: WSGIApplication = app.wsgi_app
        self.respond = respond  # the 503 answer (web/errors.py), made in a request context
        self._slots: tuple[int, threading.Semaphore] | None = None

    def slots(self) -> threading.Semaphore:
        """This process's slots (made after gunicorn forks, not shared with the master)."""
        if self._slots is None or self._slots[0] != os.getpid():
            self._slots = (os.getpid(), threading.Semaphore(self.app.config["REQUEST_CONCURRENCY"]))
        return self._slots[1]

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        seconds = float(self.app.config["REQUEST_DEADLINE_SECONDS"])
        if seconds <= 0 or environ.get("PATH_INFO", "").startswith(_EXEMPT_PATHS):
            return self.inner(environ, start_response)
        started = time.monotonic()
        turn = _Turn(self.slots(), seconds)
        if not turn.take():
            return self._answer(environ, start_response, busy=True)
        entry = WATCHDOG.arm(seconds - (time.monotonic() - started))
        try:
            try:
                environ["wsgi.input"] = _PausingInput(environ["wsgi.input"], entry, turn)
                return self.inner(environ, start_response)
            finally:
                WATCHDOG.disarm(entry)
                turn.give_back()
        except DeadlinePassed:
            # It struck outside Flask's handlers (between the view's answer and here): answer
            # as the handlers would, headers and all.
            WATCHDOG.disarm(entry)
            return self._answer(environ, start_response, busy=False)

    def _answer(
        self, environ: WSGIEnvironment, start_response: StartResponse, busy: bool
    ) -> Iterable[bytes]:
        with self.app.request_context(environ):
            response = self.app.process_response(self.app.make_response(self.respond(busy)))
        return response(environ, _replacing(start_response))


def _replacing(start_response: StartResponse) -> StartResponse:
    """start_response that may replace headers Flask already set but never sent (PEP 3333)."""

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        return start_response(status, headers, exc_info or sys.exc_info())

    return start
