"""Pages of the standards app, split by concept: scope, gap analysis, readiness, processes,
roadmap."""

from typing import Any

from django.http import HttpRequest

from pdca.core.access import get_object_for
from pdca.standards.models import OrgStandard


def load_org_standard(
    request: HttpRequest, pk: int, permission: str = "standards.view"
) -> OrgStandard:
    return get_object_for(
        request, OrgStandard.objects.select_related("edition__standard"), permission, pk=pk
    )


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
