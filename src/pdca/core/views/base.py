"""The base every organization page stands on: load the organization, check the permission.

A class-based view sets `permission = "<app>.<action>"` (or `permissions`, one per HTTP
method); a function view uses `@org_view("<app>.<action>")` or
`@org_view({"GET": "<app>.view", "POST": "<app>.<action>"})`. Views outside an organization declare
`permission = AUTHENTICATED` or `PUBLIC`. The URL-walking permission test reads these
declarations, so a view without one fails the suite.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views import View

from pdca.core.access import require_access
from pdca.core.models import Membership, User
from pdca.core.permissions import (
    AUTHENTICATED,
    PUBLIC,
    Declared,
    declared_by,
    permission_for_method,
)

PAGE_SIZE = 25


def two_factor_redirect(request: HttpRequest, membership: Membership) -> HttpResponse | None:
    """Members of an organization that requires 2FA must have a verified session."""
    if not membership.organization.require_two_factor:
        return None
    if request.user.is_verified():  # type: ignore[union-attr]
        return None
    return HttpResponseRedirect(reverse("core:two_factor_setup") + f"?next={request.path}")


class OrgView(View):
    """A page inside an organization; `self.membership` and `self.org` are set for the handler."""

    permission: str = ""
    permissions: dict[str, str] | None = None
    membership: Membership

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        permission = permission_for_method(declared_by(self), request.method or "GET")
        if not permission:
            if not (self.permission or self.permissions):
                raise ImproperlyConfigured(f"{type(self).__name__} declares no permission")
            return self.http_method_not_allowed(request, *args, **kwargs)
        self.membership = require_access(request, permission)
        self.org = self.membership.organization
        redirect = two_factor_redirect(request, self.membership)
        if redirect is not None:
            return redirect
        return super().dispatch(request, *args, **kwargs)

    def paginate(self, queryset: Any, per_page: int = PAGE_SIZE) -> Page:
        return Paginator(queryset, per_page).get_page(self.request.GET.get("page"))


def org_view(
    declared: Declared,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Decorator for function views: `request.membership` is set, or 404/403 is raised.

    With one permission per method, a method the declaration does not name answers 405.
    """

    def decorator(func: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            permission = permission_for_method(declared, request.method or "GET")
            if not permission:
                return HttpResponseNotAllowed([m for m in declared if m != "*"])
            membership = require_access(request, permission)
            request.membership = membership  # type: ignore[attr-defined]
            redirect = two_factor_redirect(request, membership)
            if redirect is not None:
                return redirect
            return func(request, *args, **kwargs)

        if isinstance(declared, str):
            wrapper.permission = declared  # type: ignore[attr-defined]
        else:
            wrapper.permissions = dict(declared)  # type: ignore[attr-defined]
        return wrapper

    return decorator


def account_view(func: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A page for any signed-in user, outside an organization."""
    func.permission = AUTHENTICATED  # type: ignore[attr-defined]
    return func


def public_view(func: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A page anyone may open (sign-in, password reset)."""
    wrapped = login_not_required(func)
    wrapped.permission = PUBLIC  # type: ignore[attr-defined]
    return wrapped


def acting_user(request: HttpRequest) -> User:
    """The signed-in user who acts in this request (every non-public view has one)."""
    user = request.user
    assert isinstance(user, User), "acting_user() called in a view open to anonymous visitors"
    return user
