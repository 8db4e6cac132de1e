"""Who may do what with nonconformities and corrective actions.

Any employee may raise a nonconformity. Process owners and managers analyse and plan actions;
an action's owner updates it, as do managers. Effectiveness is verified by management,
and only the management representative closes a nonconformity, re-entering the password.
"""

from typing import Any

from django.utils.translation import gettext as _

from pdca.core.permissions import EVERYONE, EVERYTHING, register_policy
from pdca.core.roles import INTERNAL_ROLES, Role

MANAGERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.PROCESS_OWNER, Role.CONSULTANT}


def owner_or_manager(membership: Any, obj: Any) -> bool | str:
    """Any internal member may be given an action; only its owner and managers update it."""
    if getattr(obj, "owner_id", membership.user_id) == membership.user_id:
        return True
    if membership.has_role(*MANAGERS):
        return True
    return _("Only the action's owner or a manager can update it.")


register_policy(
    "improvement",
    {
        "view": EVERYONE,
        "view_analysis": EVERYONE,
        "raise": INTERNAL_ROLES,
        "manage": MANAGERS,
        "update_action": INTERNAL_ROLES,
        "verify": {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.CONSULTANT},
        "close": {Role.MANAGEMENT_REP},
        "cancel": {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP},
    },
    object_rules={"update_action": owner_or_manager},
    visibility=EVERYTHING,
)
