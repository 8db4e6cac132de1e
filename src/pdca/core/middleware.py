"""Request id and client address for logs and the trail; the organization named in the URL."""

import uuid
from collections.abc import Callable

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django_scopes import scope

from pdca.core import clientip, context
from pdca.core.models import Organization


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID", "")[:36] or uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        tokens = context.bind(request_id=request_id, client_ip=clientip.client_ip(request))
        try:
            response = self.get_response(request)
        finally:
            context.unbind(tokens)
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
