"""Who may do what with management reviews.

Every member may read the reviews and their minutes (they are the system's record of top
management's decisions, and the certification body's auditor reads them). Top management, the
management representative and the consultant plan, prepare and hold them and record their
inputs and outputs; only top management signs the minutes (the chair, or another member of top
management in the chair's absence). An output's owner reports its progress, as managers do.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pdca.core.permissions import EVERYONE, EVERYTHING, described, register_policy
from pdca.core.roles import INTERNAL_ROLES, MANAGERS, Role


@described(
    gettext_lazy(
        "Only the action's owner, or top management, the management representative or the "
        "consultant."
    )
)
def owner_or_manager(membership: Any, obj: Any) -> bool | str:
    if getattr(obj, "owner_id", membership.user_id) == membership.user_id:
        return True
    if membership.has_role(*MANAGERS):
        return True
    return _("Only the action's owner or a manager can update it.")


register_policy(
    "reviews",
    {
        "view": EVERYONE,
        "manage": MANAGERS,
        "sign": {Role.TOP_MANAGEMENT},
        "update_output": INTERNAL_ROLES,
    },
    labels={
        "view": pgettext_lazy("policy action", "View"),
        "manage": pgettext_lazy("policy action", "Plan, prepare and hold"),
        "sign": pgettext_lazy("policy action", "Sign the minutes"),
        "update_output": pgettext_lazy("policy action", "Update actions"),
    },
    object_rules={"update_output": owner_or_manager},
    visibility=EVERYTHING,
)
