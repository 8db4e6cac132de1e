"""A web request that runs past its deadline is stopped with a clear answer.

Without this a slow request holds its worker until gunicorn's timeout kills the whole process
(every request on it lost) and the person sees a broken connection. Here the database work of a
request is cut off at `PDCA_REQUEST_TIMEOUT` seconds instead: SQLite through its progress handler
(which checks the request's deadline every few thousand steps of the query), PostgreSQL through
`statement_timeout` on the web process's connections. The view's error becomes a 503 page that
says what happened and what to do. Background jobs and the worker are not web requests and keep
no deadline. Time spent in Python alone is left to gunicorn's timeout (`pdca/config/gunicorn.py`).
"""

import contextvars
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

# The monotonic time by which the current request must be done, or None outside requests.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "pdca_request_deadline", default=None
)
# Set by the WSGI entry point: only the web servers' connections get a statement timeout.
web_process = False
# SQLite calls the progress handler every this many virtual-machine steps (cheap: about a
# hundredth of a millisecond apart).
_SQLITE_STEPS = 10_000


def timeout() -> float:
    return float(getattr(settings, "PDCA_REQUEST_TIMEOUT", 0) or 0)


def _past_deadline() -> int:
    deadline = _deadline.get()
    return 1 if deadline is not None and time.monotonic() > deadline else 0


def on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give a new connection its cut-off (connected to `connection_created` in core.apps)."""
    if connection.vendor == "sqlite":
        # Always installed: it does nothing while no request has a deadline.
        connection.connection.set_progress_handler(_past_deadline, _SQLITE_STEPS)
        return
    seconds = timeout()
    if seconds and connection.vendor == "postgresql" and web_process:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [int(seconds * 1000)])


def _is_cut_off(error: BaseException) -> bool:
    # SQLite: "interrupted"; PostgreSQL: SQLSTATE 57014, query_canceled.
    cause = getattr(error, "__cause__", None) or error
    return "interrupted" in str(cause) or getattr(cause, "sqlstate", None) == "57014"


class RequestDeadlineMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = timeout()
        token = _deadline.set(time.monotonic() + seconds if seconds else None)
        try:
            return self.get_response(request)
        finally:
            _deadline.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DatabaseError) and _is_cut_off(exception):
            from pdca.core.views.errors import too_slow

            return too_slow(request, timeout())
        return None
