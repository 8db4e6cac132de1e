"""Resolving the current organization and membership, and loading objects for a permission.

Every organization URL (`/o/<org>/…`) and API endpoint goes through `require_access()`: a user
who is not a member gets 404, whatever the object id, so that no one can probe another
organization's data; a member whose role does not allow the action gets 403. An object the
app's visibility rule hides from the member (a confidential document) is 404 too, for every
action: `visible_rows()` is the same filter for lists.
"""

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone

from pdca.core.models import Membership, Organization
from pdca.core.permissions import decide, visible_for

M = TypeVar("M", bound=models.Model)


def current_membership(request: HttpRequest) -> Membership | None:
    """The signed-in user's membership in the request's organization, cached on the request."""
    if hasattr(request, "_pdca_membership"):
        return request._pdca_membership  # type: ignore[attr-defined]
    membership = None
    org: Organization | None = getattr(request, "organization", None)
    if org is not None and request.user.is_authenticated:
        membership = next(
            (m for m in user_memberships(request) if m.organization_id == org.pk), None
        )
    request._pdca_membership = membership  # type: ignore[attr-defined]
    return membership


def user_memberships(request: HttpRequest) -> list[Membership]:
    """Every current membership of the signed-in user (the organization switcher lists them),
    read once per request: the current organization's membership is one of them."""
    if not request.user.is_authenticated:
        return []
    if not hasattr(request, "_pdca_all_memberships"):
        request._pdca_all_memberships = list(  # type: ignore[attr-defined]
            Membership.objects.current()
            .filter(user=request.user)
            .select_related("organization", "department")
            .order_by("organization__name")
        )
    return request._pdca_all_memberships  # type: ignore[attr-defined]


def require_access(request: HttpRequest, permission: str) -> Membership:
    """The membership allowing `permission` in the request's organization, or 404/403."""
    if getattr(request, "organization", None) is None:
        raise Http404("No such organization.")
    membership = current_membership(request)
    if membership is None:
        raise Http404("No such organization.")
    decision = decide(membership, permission)
    if not decision:
        raise PermissionDenied(decision.reason)
    return membership


def visible_rows(membership: Any, queryset: "models.QuerySet[M] | type[M]") -> "models.QuerySet[M]":
    """The rows of `queryset` in the membership's organization that its app's visibility rule
    lets the member see: the filter every loader and list applies."""
    qs = queryset if isinstance(queryset, models.QuerySet) else queryset._default_manager.all()
    if any(f.name == "organization" for f in qs.model._meta.get_fields()):
        qs = qs.filter(organization=membership.organization)
    return qs.filter(visible_for(membership, qs.model))


def get_object_for(
    request: HttpRequest,
    queryset: "models.QuerySet[M] | type[M]",
    permission: str,
    **lookup: Any,
) -> M:
    """Load one object of the request's organization and check `permission` on it.

    The one loader every app uses: 404 when the object does not exist in this organization
    or the app's visibility rule hides it from the member, 403 (with the policy's reason) when
    the user may see it but not do this to it.
    """
    membership = require_access(request, permission)
    qs = visible_rows(membership, queryset)
    scoped = any(f.name == "organization" for f in qs.model._meta.get_fields())
    try:
        obj = qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError):
        raise Http404("Not found.") from None
    if scoped:
        # Already loaded: the page's `obj.organization` then costs no query of its own.
        obj.organization = membership.organization  # type: ignore[attr-defined]
    require_permission(membership, permission, obj)
    return obj


def require_permission(membership: Membership, permission: str, obj: Any = None) -> None:
    """Refuse (403, with the policy's reason) a second permission a request needs on an object
    it already loaded, e.g. approving while signing; the API answers it as 403 too."""
    decision = decide(membership, permission, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


def ensure_allowed(
    *,
    actor: Any,
    organization: Organization,
    permission: str,
    obj: Any = None,
    refusal: str = "",
) -> Membership:
    """The services' check of the same policy the views apply: the actor's current membership
    if it allows `permission` (on `obj`), else a ValidationError with the policy's reason
    (or `refusal`, which says in the service's words who may do it)."""
    membership = Membership.objects.current().filter(organization=organization, user=actor).first()
    decision = decide(membership, permission, obj)
    if not decision:
        raise ValidationError(refusal or decision.reason)
    return membership  # type: ignore[return-value]


def is_expired_external(membership: Membership) -> bool:
    return membership.expires_on is not None and membership.expires_on < timezone.localdate()
