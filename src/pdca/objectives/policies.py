"""Who may do what with objectives, KPIs and measurements.

Every member sees the objectives and their results (7.3: people know the objectives they
contribute to). Top management, the management representative and the consultant set objectives
and define KPIs. A KPI's owner enters and corrects its measurements, as do process owners and
managers; an action's owner reports its progress. A nonconformity is raised from a red KPI by
those who manage. Top management alone signs the approval of a year's set of objectives.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pdca.core.permissions import EVERYONE, EVERYTHING, described, register_policy
from pdca.core.roles import INTERNAL_ROLES, MANAGERS, Role

ACTING = {*MANAGERS, Role.PROCESS_OWNER}


def _owner_id(obj: Any) -> Any:
    """The person in charge of `obj`: its owner, or a measurement's KPI's owner."""
    if hasattr(obj, "owner_id"):
        return obj.owner_id
    indicator = getattr(obj, "indicator", None)
    return getattr(indicator, "owner_id", None)


@described(
    gettext_lazy(
        "Only the owner, or a process owner, top management, the management representative "
        "or the consultant."
    )
)
def owner_or_manager(membership: Any, obj: Any) -> bool | str:
    owner_id = _owner_id(obj) if obj is not None else None
    if owner_id is None or owner_id == membership.user_id:
        return True
    if membership.has_role(*ACTING):
        return True
    return _("Only its owner or a manager can do this.")


register_policy(
    "objectives",
    {
        "view": EVERYONE,
        "manage": MANAGERS,
        "record": INTERNAL_ROLES,
        "update_action": INTERNAL_ROLES,
        "raise_nc": ACTING,
        "approve": {Role.TOP_MANAGEMENT},
        "raise_action": ACTING,
    },
    labels={
        "view": pgettext_lazy("policy action", "View"),
        "manage": pgettext_lazy("policy action", "Set objectives and define KPIs"),
        "record": pgettext_lazy("policy action", "Enter and correct measurements"),
        "update_action": pgettext_lazy("policy action", "Update actions"),
        "raise_nc": pgettext_lazy("policy action", "Raise a nonconformity from a KPI"),
        "approve": pgettext_lazy("policy action", "Approve the set of objectives (signed)"),
        "raise_action": pgettext_lazy(
            "policy action", "Raise an improvement action from an objective off track"
        ),
    },
    object_rules={"record": owner_or_manager, "update_action": owner_or_manager},
    visibility=EVERYTHING,
)
