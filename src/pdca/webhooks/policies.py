"""Who may connect pdca to other systems: management only (a webhook sends the organization's
events to an address outside pdca)."""

from django.utils.translation import pgettext_lazy

from pdca.core.permissions import register_policy
from pdca.core.roles import Role

register_policy(
    "webhooks",
    {"manage": {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP}},
    labels={"manage": pgettext_lazy("policy action", "Manage webhooks")},
)
