"""Who may do what in the foundation: the organization, its people and its audit trail."""

from typing import Any

from django.utils.translation import gettext as _

from pdca.core.permissions import EVERYONE, register_policy
from pdca.core.roles import Role


def own_notification(membership: Any, obj: Any) -> bool | str:
    """A notification is read and marked by its recipient only."""
    if getattr(obj, "recipient_id", membership.user_id) != membership.user_id:
        return _("This notification is addressed to someone else.")
    return True


register_policy(
    "core",
    {
        # The dashboard and the organization's own page: every member.
        "view_dashboard": EVERYONE,
        "view_organization": EVERYONE,
        # Sites, departments and settings such as mandatory two-factor sign-in.
        "manage_organization": {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.CONSULTANT},
        # The member list shows names, roles and departments: the internal team sees it.
        "view_members": EVERYONE - {Role.EXTERNAL_AUDITOR},
        "manage_members": {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.CONSULTANT},
        # The audit trail is evidence: management, auditors (internal and external) see it.
        "view_trail": {
            Role.TOP_MANAGEMENT,
            Role.MANAGEMENT_REP,
            Role.INTERNAL_AUDITOR,
            Role.EXTERNAL_AUDITOR,
            Role.CONSULTANT,
        },
        # A signed receipt of the trail's last checkpointed head, for the management
        # representative to keep outside pdca (`pdca verify-trail --receipt` checks it).
        "download_trail_receipt": {Role.MANAGEMENT_REP},
        # The role table itself is public to members: everyone may know who may do what.
        "view_roles": EVERYONE,
        # Each member's own notifications (the list only ever shows the member's own).
        "view_notifications": EVERYONE,
        "read_notifications": EVERYONE,
    },
    object_rules={"read_notifications": own_notification},
)
