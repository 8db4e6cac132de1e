"""Every API error is JSON: {"detail": …, "status": …}, with field errors under "errors".

A service's refusal (Django's ValidationError) is a 400, and a stale edit (ConflictError, raised
when someone else changed the object first) a 409: endpoints let them through to this handler
rather than translating them one by one."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from pdca.api.authentication import TooManyAttempts
from pdca.core.services import ConflictError
from pdca.core.throttle import PasswordThrottled


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _text(detail: Any) -> str:
    """A refusal's message text: a service's list of messages is joined, never shown as a repr."""
    if isinstance(detail, list | tuple):
        return " ".join(_text(item) for item in detail)
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ConflictError):  # checked first: it is a ValidationError too
        exc = Conflict(exc.messages[0])
    elif isinstance(exc, PasswordThrottled):  # a ValidationError too
        exc = TooManyAttempts(exc.wait)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    response = drf_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        body = {"detail": _text(data["detail"]), "status": response.status_code}
    else:
        detail = _("Invalid input.") if response.status_code == status.HTTP_400_BAD_REQUEST else ""
        body = {"detail": detail or _("Error."), "status": response.status_code, "errors": data}
    response.data = body
    return response
