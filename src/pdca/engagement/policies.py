"""Who may do what with suggestions, customer feedback and announcements.

Every internal member may make a suggestion (anonymously if they choose) and every member sees
the suggestion board, which never names the author of an anonymous one. Top management and the
management representative triage suggestions. Customer feedback is kept by those who deal with
customers (process owners) and management; every member reads it. Top management and the
management representative publish announcements; each member acknowledges their own.
"""

from django.utils.translation import pgettext_lazy

from pdca.core.permissions import EVERYONE, EVERYTHING, register_policy
from pdca.core.roles import INTERNAL_ROLES, Role

TRIAGE = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP}
KEEPERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.PROCESS_OWNER, Role.CONSULTANT}

register_policy(
    "engagement",
    {
        "view": EVERYONE,
        "suggest": INTERNAL_ROLES,
        "triage": TRIAGE,
        "record_feedback": KEEPERS,
        "announce": TRIAGE,
        "acknowledge": INTERNAL_ROLES,
    },
    labels={
        "view": pgettext_lazy("policy action", "View"),
        "suggest": pgettext_lazy("policy action", "Make a suggestion"),
        "triage": pgettext_lazy("policy action", "Triage suggestions"),
        "record_feedback": pgettext_lazy("policy action", "Record customer feedback"),
        "announce": pgettext_lazy("policy action", "Publish announcements"),
        "acknowledge": pgettext_lazy("policy action", "Acknowledge announcements"),
    },
    visibility=EVERYTHING,
)
