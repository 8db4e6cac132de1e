"""The request an organization endpoint gets: `PolicyPermission` sets `membership` before
the handler runs (the API counterpart of `pdca.core.typing.OrgRequest`)."""

from rest_framework.request import Request

from pdca.core.models import Membership, User


class ApiRequest(Request):
    membership: Membership
    user: User  # type: ignore[assignment]
