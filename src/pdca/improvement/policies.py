"""Who may do what with nonconformities and corrective actions.

Any employee may raise a nonconformity. Process owners and managers analyse and plan actions;
an action's owner updates it, as do managers. Management plans the verification of
effectiveness; only the named verifier (never an action's owner) or the management
representative records its result, and only the management representative closes a
nonconformity, re-entering the password.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pdca.core.permissions import EVERYONE, EVERYTHING, described, register_policy
from pdca.core.roles import INTERNAL_ROLES, Role

MANAGERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.PROCESS_OWNER, Role.CONSULTANT}


@described(
    gettext_lazy(
        "Only the action's owner, or a process owner, top management, the management "
        "representative or the consultant."
    )
)
def owner_or_manager(membership: Any, obj: Any) -> bool | str:
    """Any internal member may be given an action; only its owner and managers update it."""
    if getattr(obj, "owner_id", membership.user_id) == membership.user_id:
        return True
    if membership.has_role(*MANAGERS):
        return True
    return _("Only the action's owner or a manager can update it.")


@described(gettext_lazy("Only the named verifier, or the management representative."))
def verifier_or_mr(membership: Any, obj: Any) -> bool | str:
    """The effectiveness is verified by the person named for it (never an action's owner) or
    the management representative."""
    if getattr(obj, "verifier_id", membership.user_id) == membership.user_id:
        return True
    if membership.has_role(Role.MANAGEMENT_REP):
        return True
    return _("Only the named verifier or the management representative records the result.")


register_policy(
    "improvement",
    {
        "view": EVERYONE,
        "view_analysis": EVERYONE,
        "raise": INTERNAL_ROLES,
        "manage": MANAGERS,
        "update_action": INTERNAL_ROLES,
        "verify": {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.CONSULTANT},
        "record_check": INTERNAL_ROLES,
        "close": {Role.MANAGEMENT_REP},
        "cancel": {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP},
    },
    labels={
        "view": pgettext_lazy("policy action", "View"),
        "view_analysis": pgettext_lazy("policy action", "View the analysis"),
        "raise": pgettext_lazy("policy action", "Raise"),
        "manage": pgettext_lazy("policy action", "Manage"),
        "update_action": pgettext_lazy("policy action", "Update actions"),
        "verify": pgettext_lazy("policy action", "Plan verifications"),
        "record_check": pgettext_lazy("policy action", "Record a verification"),
        "close": pgettext_lazy("policy action", "Close"),
        "cancel": pgettext_lazy("policy action", "Cancel"),
    },
    object_rules={"update_action": owner_or_manager, "record_check": verifier_or_mr},
    visibility=EVERYTHING,
)
