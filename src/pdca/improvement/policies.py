"""Who may do what with nonconformities and corrective actions.

Any employee may raise a nonconformity. Process owners and managers analyse and plan actions;
an action's owner updates it (checked by the service). Effectiveness is verified by management,
and only the management representative closes a nonconformity, re-entering the password.
"""

from pdca.core.permissions import EVERYONE, register_policy
from pdca.core.roles import INTERNAL_ROLES, Role

MANAGERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.PROCESS_OWNER, Role.CONSULTANT}

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
)
