"""gunicorn settings for `make serve`; each can be overridden by an environment variable."""

import json
import multiprocessing
import os

bind = os.environ.get("AFTERCARE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("AFTERCARE_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("AFTERCARE_THREADS", "1"))
timeout = int(os.environ.get("AFTERCARE_WORKER_TIMEOUT", "30"))
# Load the knowledge once, before forking: every worker shares the compiled index.
preload_app = True
wsgi_app = "app:create_app()"
accesslog = os.environ.get("AFTERCARE_ACCESS_LOG", "-")
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
