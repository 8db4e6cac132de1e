"""Friendly error pages; under /api/ (and for JSON requests) errors are JSON, never HTML."""

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

log = logging.getLogger("pdca.errors")


def _is_api(request: HttpRequest) -> bool:
    # The offline checklist's sync speaks JSON from a page URL: it reads its errors as JSON too.
    return (
        request.path.startswith("/api/")
        or request.content_type == "application/json"
        or request.headers.get("Accept", "").startswith("application/json")
    )


def _page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": message, "status": status}, status=status)
    context = {
        "status": status,
        "title": title,
        "message": message,
        "request_id": getattr(request, "request_id", ""),
    }
    return render(request, "error.html", context, status=status)


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    reason = str(exception) if exception and str(exception) else _("Your role does not allow this.")
    return _page(request, 403, _("Not allowed"), reason)


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(
        request, 404, _("Not found"), _("This page does not exist, or you have no access to it.")
    )


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 400, _("Bad request"), _("The request could not be understood."))


def too_slow(request: HttpRequest, seconds: float) -> HttpResponse:
    """A request stopped at its deadline (`pdca.core.deadline`), which frees its worker.

    The minimal page: the stopped query may have left the transaction unusable for the
    queries a full page's context would run."""
    log.warning(
        "Request %s on %s stopped after %s s",
        getattr(request, "request_id", ""),
        request.path,
        seconds,
    )
    message = _(
        "This took longer than %(seconds)s seconds and was stopped, so that it does not hold up "
        "everyone else. Nothing was changed. Narrow the filter, or use the export, which runs in "
        "the background."
    ) % {"seconds": f"{seconds:g}"}
    if _is_api(request):
        return JsonResponse({"detail": message, "status": 503}, status=503)
    return _minimal_page(request, 503, _("This took too long"), [message])


def server_error(request: HttpRequest) -> HttpResponse:
    log.error(
        "Unhandled error on %s (request %s)", request.path, getattr(request, "request_id", "")
    )
    if _is_api(request):
        return JsonResponse({"detail": _("Internal error."), "status": 500}, status=500)
    # Its texts are translated outside the f-strings (makemessages does not read inside them).
    request_id = getattr(request, "request_id", "")
    explained = _(
        "pdca could not complete this request. "
        "The error was logged; nothing you saved before was lost."
    )
    quote = escape(_("If you report it, quote the reference %(reference)s.")) % {
        "reference": f"<code>{escape(request_id)}</code>"
    }
    return _minimal_page(
        request, 500, _("Something went wrong"), [escape(explained), mark_safe(quote)]
    )


def _minimal_page(
    request: HttpRequest, status: int, heading: str, paragraphs: list[str]
) -> HttpResponse:
    """A page that cannot itself fail on a broken database or template context."""
    title = escape(_("Error"))
    body = "".join(f"<p>{conditional_escape(p)}</p>" for p in paragraphs)
    back = escape(_("Back to pdca"))
    html = (
        f"<!doctype html><html lang='{escape(get_language() or 'en')}'><head>"
        f"<meta charset='utf-8'><title>{title}</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'></head>"
        # No style attribute: the Content-Security-Policy would refuse it (and log a violation).
        f"<body><h1>{escape(heading)}</h1>{body}"
        f"<p><a href='/'>{back}</a></p></body></html>"
    )
    return HttpResponse(html, status=status)
