"""Who may do what with the risk method and the register of risks and opportunities.

Every member sees the method and the register. Process owners, management and the consultant
draft a method version and keep the register (enter, assess, treat, close, plan actions); only
the method's owner, top management or the management representative approves a method (approval
by anyone else is refused in the service too). Only a risk's owner signs the acceptance of its
treatment and residual risk; an action's owner or a manager updates the action.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pdca.core.permissions import EVERYONE, EVERYTHING, described, register_policy
from pdca.core.roles import INTERNAL_ROLES, Role

MANAGERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.PROCESS_OWNER, Role.CONSULTANT}


@described(gettext_lazy("Only the risk's owner."))
def risk_owner(membership: Any, obj: Any) -> bool | str:
    if getattr(obj, "owner_id", membership.user_id) == membership.user_id:
        return True
    return _("Only the risk owner can approve the treatment and accept the residual risk.")


@described(
    gettext_lazy(
        "Only the action's owner, or a process owner, top management, the management "
        "representative or the consultant."
    )
)
def action_owner_or_manager(membership: Any, obj: Any) -> bool | str:
    if getattr(obj, "owner_id", membership.user_id) == membership.user_id:
        return True
    if membership.has_role(*MANAGERS):
        return True
    return _("Only the action's owner or a manager can update it.")


@described(
    gettext_lazy(
        "Only the risk's owner, or a process owner, top management, the management "
        "representative or the consultant."
    )
)
def risk_owner_or_manager(membership: Any, obj: Any) -> bool | str:
    if getattr(obj, "owner_id", membership.user_id) == membership.user_id:
        return True
    if membership.has_role(*MANAGERS):
        return True
    return _("Only the risk's owner or a manager chooses its treatment.")


register_policy(
    "risks",
    {
        "view": EVERYONE,
        "manage_method": MANAGERS,
        "approve_method": {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP},
        "manage": MANAGERS,
        "treat": INTERNAL_ROLES,
        "accept": INTERNAL_ROLES,
        "update_action": INTERNAL_ROLES,
        "approve_soa": {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP},
    },
    labels={
        "view": pgettext_lazy("policy action", "View"),
        "manage_method": pgettext_lazy("policy action", "Draft the risk method"),
        "approve_method": pgettext_lazy("policy action", "Approve the risk method"),
        "manage": pgettext_lazy("policy action", "Keep the register"),
        "treat": pgettext_lazy("policy action", "Choose a treatment"),
        "accept": pgettext_lazy("policy action", "Accept a residual risk (its owner)"),
        "update_action": pgettext_lazy("policy action", "Update actions"),
        "approve_soa": pgettext_lazy(
            "policy action", "Approve the Statement of Applicability as a new revision"
        ),
    },
    object_rules={
        "treat": risk_owner_or_manager,
        "accept": risk_owner,
        "update_action": action_owner_or_manager,
    },
    visibility=EVERYTHING,
)
