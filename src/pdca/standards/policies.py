"""Who may do what with standards, scope, the gap analysis, processes and the roadmap.

Everyone in the organization may read the catalogues, the gap analysis, the process map and the
roadmap (the external auditor included: it is the evidence they come for). Choosing standards,
writing the scope and the Statement of Applicability and assessing clauses is the work of the
management representative, top management and the consultant. Process owners maintain their own
processes and link evidence to clauses.
"""

from typing import Any

from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from pdca.core.permissions import EVERYONE, EVERYTHING, described, register_policy
from pdca.core.roles import MANAGERS, Role


@described(
    gettext_lazy(
        "A process owner only on the processes they own; top management, the management "
        "representative and the consultant on any."
    )
)
def owns_process(membership: Any, process: Any) -> bool | str:
    """A process owner edits only the processes they own; managers edit any."""
    if set(membership.roles) & MANAGERS:
        return True
    if process.owner_id == membership.user_id:
        return True
    return gettext("Only the process's owner or the management representative may change it.")


register_policy(
    "standards",
    {
        "view": EVERYONE,
        "export": {
            Role.TOP_MANAGEMENT,
            Role.MANAGEMENT_REP,
            Role.CONSULTANT,
            Role.INTERNAL_AUDITOR,
            Role.EXTERNAL_AUDITOR,
        },
        "manage_scope": MANAGERS,
        "assess": MANAGERS,
        "link_evidence": MANAGERS | {Role.PROCESS_OWNER},
        "manage_processes": MANAGERS | {Role.PROCESS_OWNER},
        "edit_process": MANAGERS | {Role.PROCESS_OWNER},
        "manage_roadmap": MANAGERS,
    },
    labels={
        "view": pgettext_lazy("policy action", "View"),
        "export": pgettext_lazy("policy action", "Export"),
        "manage_scope": pgettext_lazy("policy action", "Manage the scope"),
        "assess": pgettext_lazy("policy action", "Assess"),
        "link_evidence": pgettext_lazy("policy action", "Link evidence"),
        "manage_processes": pgettext_lazy("policy action", "Manage processes"),
        "edit_process": pgettext_lazy("policy action", "Edit processes"),
        "manage_roadmap": pgettext_lazy("policy action", "Manage the roadmap"),
    },
    object_rules={"edit_process": owns_process},
    visibility=EVERYTHING,
)
