"""gunicorn settings for `make serve`; each can be overridden by an environment variable.

Threads, not one request per process: a slow client holds one thread of one worker for a
bounded time (web/worker.py), never the whole worker (docs/decisions/024-serving-slow-clients.md).
"""

import json
import multiprocessing
import os

bind = os.environ.get("AFTERCARE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("AFTERCARE_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# gthread with read limits: headers, then the body, must arrive in time.
worker_class = "web.worker.ReadLimitedWorker"
threads = int(os.environ.get("AFTERCARE_THREADS", "32"))
# A worker whose threads are all taken stops accepting, so a new connection (a health check)
# goes to a worker with a free thread instead of queueing behind slow clients. That leaves no
# room for idle keep-alive connections: each request has its own (a proxy in front reuses its
# own connections to clients).
worker_connections = threads
# How long a connection that has sent nothing waits (in the poller, holding no thread) before
# it is closed; gthread first gives it 5 s in a thread.
keepalive = 2
# With threads, this is how long a worker's main loop may go silent before it is restarted,
# not a request's limit: the app stops any request at REQUEST_DEADLINE_SECONDS (20 s) itself.
timeout = int(os.environ.get("AFTERCARE_WORKER_TIMEOUT", "30"))
# Workers' heartbeat files in memory (gunicorn's advice where /tmp is a disk), and nothing of
# ours on disk either: a label photo is never written anywhere (graph/ocr.py).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Load the knowledge once, before forking: every worker shares the compiled index.
preload_app = True
wsgi_app = "app:create_app()"
accesslog = os.environ.get("AFTERCARE_ACCESS_LOG", "-")
# No query string in the log where it may hold a person's health (web/worker.py).
logger_class = "web.worker.AccessLogger"
# One JSON object per request, so logs can be searched and counted.
access_log_format = json.dumps(
    {
        "time": "%(t)s",
        "remote": "%(h)s",
        "method": "%(m)s",
        "path": "%(U)s",
        "query": "%(q)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_us": "%(D)s",
        "user_agent": "%(a)s",
    }
)


def when_ready(server: object) -> None:
    """After the app is loaded (preload_app) and before any worker forks.

    The SPARQL endpoint answers from an embedded Oxigraph store: load it here, once, so the
    workers and the query processes they fork share it instead of each loading its own. Then
    freeze what the master holds, so the workers' garbage collector never touches - and so
    never copies - those shared pages.
    """
    import gc

    from web.knowledge import embedded_store, store_of

    app = server.app.wsgi()  # type: ignore[attr-defined]  # gunicorn's Arbiter
    if "knowledge" in getattr(app, "extensions", {}) and embedded_store(app):
        store_of(app)  # create_app started loading it: wait for the load to end
    gc.freeze()
