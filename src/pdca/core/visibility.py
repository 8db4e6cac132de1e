"""Who may see a confidential item (a document, a type of records), from its confidentiality
level and the member's roles.

public/internal: every member. confidential: management, auditors (internal and external) and
the owner. restricted: the owner and the roles named on the item. Every app that keeps
confidential items uses these: `Confidentiality` for the field, `check_allowed_roles()` in the
model's `clean()`, `visible_q()` in its policy's visibility rule and `may_see()` in its object
rule.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pdca.core.roles import MANAGERS, Role

CONFIDENTIAL_ROLES = MANAGERS | {Role.INTERNAL_AUDITOR, Role.EXTERNAL_AUDITOR}


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")
    RESTRICTED = "restricted", _("Restricted")


def check_allowed_roles(confidentiality: str, allowed_roles: list[str]) -> None:
    """The rule for anything kept restricted: it names the roles that may see it."""
    if confidentiality == Confidentiality.RESTRICTED and not allowed_roles:
        raise ValidationError(
            {"allowed_roles": _("Name the roles that may see what is restricted.")}
        )


def visible_q(
    membership: Any,
    *,
    level: str = "confidentiality",
    roles: str = "allowed_roles",
    owner: str = "owner",
) -> Q:
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
