"""Who may see a document or record, from its confidentiality level and the member's roles.

public/internal: every member. confidential: management, auditors (internal and external) and
the owner. restricted: the owner and the roles named on the item. Shared with the records app.
"""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

from pdca.core.roles import MANAGERS, Role

CONFIDENTIAL_ROLES = MANAGERS | {Role.INTERNAL_AUDITOR, Role.EXTERNAL_AUDITOR}


def visible_q(membership: Any, *, level: str, roles: str, owner: str) -> Q:
    """A filter on a queryset for the items `membership` may see; field names are given."""
    mine = Q(**{owner: membership.user_id})
    open_levels = Q(**{f"{level}__in": ["public", "internal"]})
    q = open_levels | mine
    if set(membership.roles) & CONFIDENTIAL_ROLES:
        q |= Q(**{level: "confidential"})
    for role in membership.roles:
        q |= Q(**{level: "restricted", f"{roles}__icontains": f'"{role}"'})
    return q


def may_see(membership: Any, *, level: str, roles: list[str], owner_id: int | None) -> bool | str:
    if level in ("public", "internal") or owner_id == membership.user_id:
        return True
    if level == "confidential" and set(membership.roles) & CONFIDENTIAL_ROLES:
        return True
    if level == "restricted" and set(membership.roles) & set(roles):
        return True
    return gettext("This item is confidential: your role may not see it.")
