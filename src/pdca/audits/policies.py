"""Who may do what with audits.

Everyone in the organization may read the programme, the audits and their reports (the
certification body's auditor too). Planning belongs to the management representative, top
management, internal auditors and the consultant. Conducting (checklists, findings) is further
limited by the services to the audit's own team, and signing to its lead auditor.
"""

from pdca.core.permissions import EVERYONE, register_policy
from pdca.core.roles import INTERNAL_ROLES, Role

PLANNERS = {Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.INTERNAL_AUDITOR, Role.CONSULTANT}

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
)
