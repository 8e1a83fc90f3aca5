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

import contextlib
import ctypes
import heapq
import itertools
import logging
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import _base as futures_base
from concurrent.futures import thread as futures_thread
from typing import IO, TYPE_CHECKING, Any

from flask import Response, has_request_context, request

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
    """One request's deadline. The deadline strikes only while the request's thread has let go
    of the gate - while the view runs - never in Flask's own work (pushing and popping its
    contexts, finishing the answer) nor while a lock of ours is taken or freed. The watchdog
    takes the gate for good when it strikes; the thread, when the request is done."""

    __slots__ = ("deadline", "disarmed", "fired", "gate", "held", "paused_at", "thread_id")

    def __init__(self, thread_id: int, deadline: float) -> None:
        self.thread_id = thread_id
        self.deadline = deadline
        self.paused_at: float | None = None  # while the body is read, the clock stops
        self.gate = threading.Lock()  # only ever taken without blocking
        self.held = False  # by the request's thread
        self.disarmed = False
        self.fired = False

    def hold(self) -> bool:
        """Take the gate (if not held already): from now on the deadline cannot strike. False
        when the watchdog took it first: it has struck, and nothing is left pending."""
        if self.held:
            return True
        if self.gate.acquire(blocking=False):
            self.held = True
            return True
        self.settle()
        return False

    def let_go(self) -> None:
        """Give the gate back: the deadline may strike again (inside the view only)."""
        if self.held:
            self.held = False
            self.gate.release()

    def settle(self) -> None:
        """The watchdog took the gate: wait until it has raised, and clear what is pending."""
        while not self.fired:
            time.sleep(0)  # the exception may strike here: it is the one we expect
        _raise_in(self.thread_id, None)


# Where a deadline must not strike: a lock taken in Python code (Condition.__enter__,
# Handler.acquire, Queue.get) is only released by the `with`/`try` the exception would skip.
_UNSAFE_FILES = frozenset(
    os.path.realpath(module.__file__ or "")
    for module in (threading, queue, logging, futures_base, futures_thread)
)


def _safe_to_interrupt(thread_id: int) -> bool:
    frame = sys._current_frames().get(thread_id)
    return frame is not None and os.path.realpath(frame.f_code.co_filename) not in _UNSAFE_FILES


class Watchdog:
    """The deadlines of the requests running in this process, and the thread that keeps them."""

    RECHECK = 0.01  # s: how soon a deadline that could not strike yet is tried again

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
            self._push(entry.deadline, entry)
        return entry

    def disarm(self, entry: _Entry) -> None:
        """The request is done: the deadline can no longer strike, and nothing stays pending."""
        entry.hold()  # kept for good
        entry.disarmed = True

    def _push(self, when: float, entry: _Entry) -> None:
        heapq.heappush(self._heap, (when, next(self._order), entry))
        self._lock.notify()

    def _run(self) -> None:
        with self._lock:
            while True:
                now = time.monotonic()
                while self._heap and self._heap[0][0] <= now:
                    _, _, entry = heapq.heappop(self._heap)
                    if entry.disarmed or entry.fired:
                        continue
                    if entry.paused_at is not None or entry.deadline > now:
                        self._push(max(entry.deadline, now + 0.25), entry)  # reading its body
                    elif _safe_to_interrupt(entry.thread_id) and entry.gate.acquire(blocking=False):
                        _raise_in(entry.thread_id, DeadlinePassed)
                        entry.fired = True
                    else:
                        self._push(now + self.RECHECK, entry)
                wait = self._heap[0][0] - now if self._heap else None
                self._lock.wait(wait)


WATCHDOG = Watchdog()


class _Turn:
    """A request's turn at the process's computing slots (REQUEST_CONCURRENCY of them)."""

    def __init__(self, slots: threading.Semaphore, seconds: float) -> None:
        self.slots = slots
        self.seconds = seconds
        self.held = False

    def take(self, seconds: float | None = None) -> bool:
        self.held = self.slots.acquire(timeout=self.seconds if seconds is None else seconds)
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
            entry = self._entry
            strikable = not entry.held  # read in the view (else: in Flask's own work)
            if not entry.hold():
                raise DeadlinePassed  # it struck and was cleared: raise it here instead
            entry.paused_at = time.monotonic()  # the watchdog leaves a paused entry be
            self._turn.give_back()
            if strikable:
                entry.let_go()
            try:
                return read(*args)
            finally:
                entry.hold()  # paused: the watchdog cannot have struck meanwhile
                taken = self._turn.take()
                if taken:
                    entry.deadline += time.monotonic() - (entry.paused_at or 0)
                    entry.paused_at = None  # after the deadline moved: the watchdog reads it
                if strikable:
                    entry.let_go()
                if not taken:
                    raise DeadlinePassed  # no slot came free within the deadline

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
        # The view, and only the view, runs where the deadline may strike (see _Entry).
        app.before_request_funcs.setdefault(None, []).insert(0, _strikable)
        app.after_request_funcs.setdefault(None, []).append(_unstrikable)  # runs first

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
        if not entry.hold():  # a deadline that passed while waiting for a slot
            WATCHDOG.disarm(entry)
            turn.give_back()
            return self._answer(environ, start_response, busy=True)
        environ[_ENTRY], environ[_TURN] = entry, turn
        # The app's status and headers are held back until it has answered in time: if the
        # deadline strikes while Flask finishes its answer, ours replaces it whole.
        held: list[tuple[str, list[tuple[str, str]]]] = []
        answered = False

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if answered:  # an app that starts its answer while it is being iterated
                return start_response(status, headers, exc_info)
            held[:] = [(status, headers)]
            return _write_refused

        try:
            try:
                environ["wsgi.input"] = _PausingInput(environ["wsgi.input"], entry, turn)
                result = self.inner(environ, start)
            finally:
                WATCHDOG.disarm(entry)
                turn.give_back()
        except DeadlinePassed:
            # It struck outside Flask's handlers (as Flask finished its answer): answer as
            # the handlers would, headers and all.
            WATCHDOG.disarm(entry)
            turn.give_back()
            return self._answer(environ, start_response, busy=False)
        answered = True
        if held:
            start_response(*held[0])
        return result

    def _answer(
        self, environ: WSGIEnvironment, start_response: StartResponse, busy: bool
    ) -> Iterable[bytes]:
        with self.app.request_context(environ):
            response = self.app.process_response(self.app.make_response(self.respond(busy)))
        return response(environ, start_response)


_ENTRY = "aftercare.deadline"
_TURN = "aftercare.turn"


@contextlib.contextmanager
def off_the_slot() -> Iterator[None]:
    """Inside, the request only waits for another process (a SPARQL worker), computing
    nothing here: its slot is given back for others meanwhile, and taken again afterwards
    within the deadline, which keeps running (the wait is bounded by its own limit)."""
    environ = request.environ if has_request_context() else {}  # a command: no slots
    entry: _Entry | None = environ.get(_ENTRY)
    turn: _Turn | None = environ.get(_TURN)
    if entry is None or turn is None:
        yield
        return
    strikable = not entry.held
    if not entry.hold():
        raise DeadlinePassed  # it struck and was cleared: raise it here instead
    turn.give_back()
    if strikable:
        entry.let_go()
    try:
        yield
    finally:
        # Taken without the deadline striking in between, so a slot is never lost.
        if not entry.hold():
            raise DeadlinePassed  # it struck while waiting (and is cleared): no slot again
        taken = turn.take(max(0.0, entry.deadline - time.monotonic()))
        if strikable:
            entry.let_go()
        if not taken:
            raise DeadlinePassed  # no slot came free within the deadline


def _strikable() -> None:
    entry = request.environ.get(_ENTRY)
    if entry is not None:
        entry.let_go()


def _unstrikable(response: Response) -> Response:
    entry = request.environ.get(_ENTRY)
    if entry is not None:
        entry.hold()  # if it struck meanwhile, its 503 is this response already
    return response


def _write_refused(data: bytes) -> None:
    raise RuntimeError("this app answers through its iterable, not write()")
