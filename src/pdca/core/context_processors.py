from typing import Any

from django.http import HttpRequest

from pdca.core.access import current_membership, user_memberships
from pdca.core.navigation import nav_for
from pdca.core.notifications.selectors import unread_count


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: the current organization, its navigation, the switcher."""
    # An error page for a request refused before authentication (an unknown host) has no user.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = current_membership(request) if getattr(request, "organization", None) else None
    data: dict[str, Any] = {"membership": membership}
    if membership is not None:
        data["current_org"] = membership.organization
        data["nav"] = nav_for(membership, request.path)
        # The bell: one query per page.
        data["unread_notifications"] = unread_count(membership)
    data["user_memberships"] = user_memberships(request)
    return data
