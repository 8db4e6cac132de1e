"""The API's permission check: the same policy table and organization rule as the pages."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions

from pdca.core.access import current_membership
from pdca.core.permissions import AUTHENTICATED, decide, declared_by, permission_for_method


def _permission_for(view: Any, request: Any) -> str:
    return permission_for_method(declared_by(view), request.method)


class PolicyPermission(permissions.BasePermission):
    """Views declare `permission = "<app>.<action>"` or `permissions = {"GET": …, "POST": …}`."""

    def has_permission(self, request: Any, view: Any) -> bool:
        permission = _permission_for(view, request)
        if not permission:
            if not hasattr(view, request.method.lower()):
                raise exceptions.MethodNotAllowed(request.method)
            raise exceptions.PermissionDenied(_("This endpoint declares no permission."))
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        if permission == AUTHENTICATED:
            return True
        if getattr(request._request, "organization", None) is None:
            raise exceptions.NotFound(_("No such organization."))
        membership = current_membership(request._request)
        if membership is None:
            raise exceptions.NotFound(_("No such organization."))
        request.membership = membership
        decision = decide(membership, permission)
        if not decision:
            raise exceptions.PermissionDenied(decision.reason)
        return True

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        permission = _permission_for(view, request)
        if permission == AUTHENTICATED:
            return True
        decision = decide(request.membership, permission, obj)
        if not decision:
            raise exceptions.PermissionDenied(decision.reason)
        return True
