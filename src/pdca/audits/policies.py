"""Who may do what with audits.

Everyone in the organization may read the programme, the audits and their reports (the
certification body's auditor too). Planning belongs to the management representative, top
management, internal auditors and the consultant. Conducting (checklists, findings) is further
limited to the audit's own team (its lead auditor and team members) and the management
representative or consultant who runs the programme; signing is for the lead auditor (a rule
of the report sign-off service).
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pdca.core.permissions import EVERYONE, EVERYTHING, described, register_policy
from pdca.core.roles import INTERNAL_ROLES, Role

PLANNERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.INTERNAL_AUDITOR, Role.CONSULTANT}


@described(
    gettext_lazy(
        "Only the audit's team (its lead auditor and team members), the management representative"
        " or the consultant."
    )
)
def on_the_team(membership: Any, obj: Any) -> bool | str:
    """An audit's checklist and findings are worked on by its team (or whoever runs the
    programme); `obj` is the audit or anything that belongs to one."""
    audit = getattr(obj, "audit", obj)
    if not hasattr(audit, "lead_auditor_id"):
        return True
    if membership.has_role(Role.MANAGEMENT_REP, Role.CONSULTANT):
        return True
    if audit.lead_auditor_id == membership.user_id:
        return True
    if audit.team.filter(pk=membership.user_id).exists():
        return True
    return _("Only the audit team can work on this audit's checklist and findings.")


register_policy(
    "audits",
    {
        "view": EVERYONE,
        "download_report": EVERYONE,
        "plan": PLANNERS,
        "conduct": PLANNERS,
        "sign": PLANNERS,
        "acknowledge": INTERNAL_ROLES,
    },
    labels={
        "view": pgettext_lazy("policy action", "View"),
        "download_report": pgettext_lazy("policy action", "Download the report"),
        "plan": pgettext_lazy("policy action", "Plan"),
        "conduct": pgettext_lazy("policy action", "Conduct"),
        "sign": pgettext_lazy("policy action", "Sign"),
        "acknowledge": pgettext_lazy("policy action", "Acknowledge reading"),
    },
    object_rules={"conduct": on_the_team},
    visibility=EVERYTHING,
)
