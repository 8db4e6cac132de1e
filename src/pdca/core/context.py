"""Per-request facts (request id, client address) that services and logs read without a request.

The request id is pdca's own; the id a client or proxy sent (`X-Request-ID`), when it is
well-formed, is kept apart as the client's request id, never in its place.
"""

import logging
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("pdca_request_id", default="")
_client_ip: ContextVar[str | None] = ContextVar("pdca_client_ip", default=None)
_client_request_id: ContextVar[str] = ContextVar("pdca_client_request_id", default="")


def request_id() -> str:
    return _request_id.get()


def client_ip() -> str | None:
    return _client_ip.get()


def client_request_id() -> str:
    return _client_request_id.get()


def bind_client_request_id(value: str) -> object:
    return _client_request_id.set(value)


def unbind_client_request_id(token: object) -> None:
    _client_request_id.reset(token)  # type: ignore[arg-type]


def bind(*, request_id: str, client_ip: str | None) -> tuple[object, object]:
    return _request_id.set(request_id), _client_ip.set(client_ip)


def unbind(tokens: tuple[object, object]) -> None:
    _request_id.reset(tokens[0])  # type: ignore[arg-type]
    _client_ip.reset(tokens[1])  # type: ignore[arg-type]


class RequestIdLogFilter(logging.Filter):
    """Adds the request id to every log line, so a user's error reference finds the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id() or "-"
        return True
