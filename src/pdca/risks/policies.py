"""Who may do what with the risk method.

Every member sees the method the organization rates with; process owners, management and the
consultant draft a version; only the method's owner, top management or the management
representative approves it (approval by anyone else is refused in the service too).
"""

from django.utils.translation import pgettext_lazy

from pdca.core.permissions import EVERYONE, EVERYTHING, register_policy
from pdca.core.roles import Role

MANAGERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.PROCESS_OWNER, Role.CONSULTANT}

register_policy(
    "risks",
    {
        "view": EVERYONE,
        "manage_method": MANAGERS,
        "approve_method": {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP},
    },
    labels={
        "view": pgettext_lazy("policy action", "View"),
        "manage_method": pgettext_lazy("policy action", "Draft the risk method"),
        "approve_method": pgettext_lazy("policy action", "Approve the risk method"),
    },
    visibility=EVERYTHING,
)
