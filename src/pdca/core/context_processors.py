from typing import Any

from django.http import HttpRequest

from pdca.core.access import current_membership
from pdca.core.navigation import nav_for
from pdca.core.views.base import acting_user


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: the current organization, its navigation, the switcher."""
    user = request.user
    if not user.is_authenticated:
        return {}
    membership = current_membership(request) if getattr(request, "organization", None) else None
    data: dict[str, Any] = {"membership": membership}
    if membership is not None:
        data["current_org"] = membership.organization
        data["nav"] = nav_for(membership, request.path)
    data["user_memberships"] = _memberships(request)
    return data


def _memberships(request: HttpRequest) -> list[Any]:
    from pdca.core.models import Membership

    if not hasattr(request, "_pdca_all_memberships"):
        request._pdca_all_memberships = list(  # type: ignore[attr-defined]
            Membership.objects.current()
            .filter(user=acting_user(request))
            .select_related("organization")
            .order_by("organization__name")
        )
    return request._pdca_all_memberships  # type: ignore[attr-defined]
