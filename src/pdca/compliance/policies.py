"""Who may see and keep the register of legal and other requirements: every member sees it
(workers are to know the obligations that concern them); management and process owners keep it."""

from django.utils.translation import pgettext_lazy

from pdca.core.permissions import EVERYONE, register_policy
from pdca.core.roles import Role

KEEPERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.PROCESS_OWNER, Role.CONSULTANT}

register_policy(
    "compliance",
    {
        "view": EVERYONE,
        "edit": KEEPERS,
        "withdraw": {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP},
        # Evaluating compliance is also an internal auditor's work.
        "evaluate": KEEPERS | {Role.INTERNAL_AUDITOR},
    },
    labels={
        "view": pgettext_lazy("policy action", "View"),
        "edit": pgettext_lazy("policy action", "Edit"),
        "withdraw": pgettext_lazy("policy action", "Withdraw"),
        "evaluate": pgettext_lazy("policy action", "Evaluate compliance"),
    },
)
