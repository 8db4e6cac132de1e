"""Request id and client address for logs and the trail; the organization named in the URL."""

import re
import uuid
from collections.abc import Callable

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django_scopes import scope

from pdca.core import clientip, context
from pdca.core.models import Organization

# What pdca keeps of a client's X-Request-ID: a plain token, or nothing.
CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def client_request_id(request: HttpRequest) -> str:
    """The request id the client or a proxy sent, if it is a plain token of at most 64
    characters; anything else is dropped rather than stored."""
    sent = request.headers.get("X-Request-ID", "")
    return sent if CLIENT_REQUEST_ID.fullmatch(sent) else ""


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # pdca's own id, always: a client's id is the client's (kept apart, if well-formed).
        request_id = uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        client_token = context.bind_client_request_id(client_request_id(request))
        tokens = context.bind(request_id=request_id, client_ip=clientip.client_ip(request))
        try:
            response = self.get_response(request)
        finally:
            context.unbind(tokens)
            context.unbind_client_request_id(client_token)
        response["X-Request-ID"] = request_id
        return response


class OrganizationMiddleware:
    """Sets `request.organization` from the `<org>` in the URL and scopes queries to it.

    Membership is checked by the view (`require_access`), which knows the user even when an
    API token authenticates; this middleware only decides which organization's rows the
    request's queries may touch (django-scopes refuses unscoped queries on domain models).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organization = None  # type: ignore[attr-defined]
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("org")
        if not slug:
            return self.get_response(request)
        org = Organization.objects.filter(slug=slug, is_active=True).first()
        request.organization = org  # type: ignore[attr-defined]
        with scope(organization=org):
            return self.get_response(request)


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a signed-in user unless marked public; the REST API authenticates
    itself (session or token) and answers 401/403 in JSON rather than redirecting."""

    def process_view(self, request, view_func, view_args, view_kwargs):  # type: ignore[no-untyped-def]
        if hasattr(view_func, "cls"):  # a Django REST framework view
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class FriendlyNotFoundMiddleware:
    """pdca's own "not found" page under DEBUG too (`make run`): Django's debug 404 lists every
    URL pattern of the site, which is no page to show anyone trying the demo. Set
    PDCA_DEBUG_TECHNICAL_404=1 to get Django's page back while developing URLs. Without DEBUG
    Django already calls pdca's handler404 and this does nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def active(self) -> bool:
        from django.conf import settings

        return bool(settings.DEBUG) and not getattr(settings, "PDCA_DEBUG_TECHNICAL_404", False)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No URL matched: Django built its technical page before any view ran.
        if (
            response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and self.active()
        ):
            from pdca.core.views.errors import not_found

            return not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.http import Http404

        if isinstance(exception, Http404) and self.active():
            from pdca.core.views.errors import not_found

            return not_found(request, exception)
        return None
