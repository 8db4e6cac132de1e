"""gunicorn's settings for pdca: `gunicorn -c python:pdca.config.gunicorn`.

Every value can be changed from the environment (or on gunicorn's command line, which wins).
- Threads (gthread): a request waiting on the database or a slow client holds one thread, not
  the worker, so one slow request no longer stalls the dashboards queued behind it.
- Two workers per core: pdca's requests are mostly Python, so more workers than cores only
  queue on the CPU; the threads cover the waiting.
- The application is loaded once in the master before the workers fork (preload), with its
  templates compiled: a new worker answers its first request as fast as its hundredth.
- Workers are replaced after a few thousand requests, which keeps their memory where it starts.
- The request deadline (PDCA_REQUEST_TIMEOUT, pdca.core.deadline) stops a request's database
  work with a clear page; gunicorn's own timeout, a little longer, only catches what the
  database cut-off cannot (time spent in Python alone).
"""

import multiprocessing
import os

wsgi_app = "pdca.config.wsgi:application"
bind = os.environ.get("PDCA_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("PDCA_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("PDCA_THREADS", 4))
preload_app = True
timeout = int(os.environ.get("PDCA_REQUEST_TIMEOUT", 20)) + 10
graceful_timeout = 30
max_requests = int(os.environ.get("PDCA_MAX_REQUESTS", 5000))
max_requests_jitter = max_requests // 10


def when_ready(server: object) -> None:
    # In the master, after the application loaded and before the first worker forks.
    from pdca.core.warmup import warm

    warm()


def post_fork(server: object, worker: object) -> None:
    # A connection opened in the master must never be shared by the forked workers.
    from django.db import connections

    connections.close_all()
