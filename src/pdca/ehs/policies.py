"""Who may see and keep the registers of environmental aspects, OH&S hazards and incidents:
every member sees them (workers are to know the significant aspects and the hazards of their
work, 7.3); management and process owners keep them; top management and the management
representative set the significance criteria and who sees health details. Every internal
member may report an incident or near miss (45001 5.4 e, 10.2). An incident's health details
are shown only to the roles the organization names (see `selectors.may_see_health`)."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pdca.core.permissions import EVERYONE, described, register_policy
from pdca.core.roles import INTERNAL_ROLES, Role

KEEPERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.PROCESS_OWNER, Role.CONSULTANT}


@described(
    gettext_lazy(
        "Only the control's owner, or a process owner, top management, the management "
        "representative or the consultant."
    )
)
def control_owner_or_keeper(membership: Any, obj: Any) -> bool | str:
    if getattr(obj, "owner_id", membership.user_id) == membership.user_id:
        return True
    if membership.has_role(*KEEPERS):
        return True
    return _("Only the control's owner or a keeper of the register can update it.")


register_policy(
    "ehs",
    {
        "view": EVERYONE,
        "edit": KEEPERS,
        "manage": {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP},
        "update_control": INTERNAL_ROLES,
        "report": INTERNAL_ROLES,
        "investigate": KEEPERS,
    },
    labels={
        "view": pgettext_lazy("policy action", "View"),
        "edit": pgettext_lazy("policy action", "Edit"),
        "manage": pgettext_lazy(
            "policy action", "Set the significance criteria and who sees health details"
        ),
        "update_control": pgettext_lazy("policy action", "Update controls on hazards"),
        "report": pgettext_lazy("policy action", "Report an incident"),
        "investigate": pgettext_lazy("policy action", "Investigate incidents"),
    },
    object_rules={"update_control": control_owner_or_keeper},
)
