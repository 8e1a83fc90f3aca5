"""gunicorn's gthread worker with read limits, the worker `make serve` runs (gunicorn.conf.py).

A thread reads a request from its first byte; without limits a client sending one byte a
second holds that thread for as long as it likes. Here the request line and headers must
arrive within REQUEST_HEADER_TIMEOUT_SECONDS (else the connection is closed), and the body
within REQUEST_BODY_TIMEOUT_SECONDS plus a second for every REQUEST_BODY_MIN_RATE bytes
received (Apache's mod_reqtimeout rule: a slow phone upload goes on, a trickle does not);
a body that stops arriving for REQUEST_BODY_IDLE_SECONDS (shorter than its Content-Length)
fails at once. The app answers a failed body 400 (stalled) or 408 (too slow).
docs/decisions/024-serving-slow-clients.md has the measurements.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
from typing import Any

from gunicorn.glogging import Logger
from gunicorn.http.errors import NoMoreData
from gunicorn.workers.gthread import ThreadWorker

from web.deadline import BodyTimeout
from web.settings import DEFAULTS


def setting(name: str) -> Any:
    """A setting as create_app reads it: AFTERCARE_<NAME> (JSON where it parses), else default."""
    raw = os.environ.get(f"AFTERCARE_{name}")
    if raw is None:
        return DEFAULTS[name]
    try:
        return json.loads(raw)
    except ValueError:
        return raw


class LimitedSocket(socket.socket):
    """A client socket whose reads end at a deadline: headers, then the body."""

    header_deadline: float | None = None
    body: tuple[float, float, float] | None = None  # (deadline, idle seconds, bytes/s)
    received = 0

    @classmethod
    def adopt(cls, sock: socket.socket) -> LimitedSocket:
        adopted = cls(sock.family, sock.type, sock.proto, fileno=sock.detach())
        adopted.setblocking(False)
        return adopted

    def recv(self, size: int, flags: int = 0) -> bytes:
        now = time.monotonic()
        if self.header_deadline is not None:
            if now >= self.header_deadline:
                raise NoMoreData(b"")  # gunicorn drops the connection quietly
            return self._recv_within(self.header_deadline - now, size, flags, NoMoreData(b""))
        if self.body is not None:
            deadline, idle, rate = self.body
            left = deadline + self.received / rate - now
            if left <= 0:
                raise BodyTimeout(stalled=False)
            stalled = idle < left
            error = BodyTimeout(stalled=stalled)
            data = self._recv_within(min(idle, left), size, flags, error)
            self.received += len(data)
            return data
        return super().recv(size, flags)

    def _recv_within(self, seconds: float, size: int, flags: int, error: Exception) -> bytes:
        before = self.gettimeout()
        self.settimeout(seconds if before is None else min(before, seconds))
        try:
            return super().recv(size, flags)
        except TimeoutError:
            raise error from None
        finally:
            self.settimeout(before)


class ReadLimitedWorker(ThreadWorker):  # type: ignore[misc]  # gunicorn has no type hints
    """gthread, whose connections read under the limits above."""

    def init_process(self) -> None:
        self.header_seconds = float(setting("REQUEST_HEADER_TIMEOUT_SECONDS"))
        self.body_limits = (
            float(setting("REQUEST_BODY_TIMEOUT_SECONDS")),
            float(setting("REQUEST_BODY_IDLE_SECONDS")),
            float(setting("REQUEST_BODY_MIN_RATE")),
        )
        super().init_process()

    def enqueue_req(self, conn: Any) -> None:
        if not isinstance(conn.sock, LimitedSocket):  # a new connection, before any read
            conn.sock = LimitedSocket.adopt(conn.sock)
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        # A thread takes the connection: the request line and headers are due from now (the
        # wait for a first byte is gthread's own, 5 s, and then the connection waits unthreaded).
        conn.sock.header_deadline = time.monotonic() + self.header_seconds
        conn.sock.body = None
        return super().handle(conn)

    def handle_request(self, req: Any, conn: Any) -> Any:
        timeout, idle, rate = self.body_limits
        conn.sock.header_deadline = None
        conn.sock.body = (time.monotonic() + timeout, idle, rate)
        conn.sock.received = 0
        try:
            return super().handle_request(req, conn)
        finally:
            conn.sock.body = None  # what is left is drained under gunicorn's own limits


# Pages whose query string is a search or a query about the knowledge, which a maintainer may
# want in the log. Everywhere else it may hold a person's health (a procedure date, a label,
# ticked conditions such as pregnancy), and the access log writes "-" instead (decision 024).
LOGGED_QUERIES = re.compile(
    r"^/(?:ingredients|classes(?:/[^/]+)?|compare|sparql|api/(?:ingredients|classes/[^/]+|compare))$"
)


class AccessLogger(Logger):  # type: ignore[misc]  # gunicorn has no type hints
    """gunicorn's logger, without the query string of any page that concerns a person."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        if not LOGGED_QUERIES.match(environ.get("PATH_INFO", "")):
            atoms["q"] = "-"
            atoms["r"] = f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '')} "
            atoms["r"] += environ.get("SERVER_PROTOCOL", "")
            atoms["f"] = "-"  # a referer is an address too (ours send none: no-referrer)
        return atoms
