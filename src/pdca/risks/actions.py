from django.utils.translation import gettext_lazy as _

from pdca.core.actions import register_actions

register_actions(
    {
        "risks.method.created": _("Risk method drafted"),
        "risks.method.approved": _("Risk method approved"),
        "risks.method.superseded": _("Risk method superseded"),
        "risks.risk.created": _("Risk or opportunity entered"),
        "risks.risk.updated": _("Risk or opportunity changed"),
        "risks.risk.assessed": _("Risk or opportunity assessed"),
        "risks.risk.treatment_set": _("Risk treatment chosen"),
        "risks.risk.accepted": _("Treatment approved and residual risk accepted by the owner"),
        "risks.risk.acceptance_refused": _("Acceptance of a residual risk refused"),
        "risks.risk.evaluated": _("Effectiveness of the actions on a risk evaluated"),
        "risks.risk.closed": _("Risk or opportunity closed"),
        "risks.action.planned": _("Action on a risk planned"),
        "risks.action.updated": _("Action on a risk updated"),
        "risks.asset.created": _("Asset added to the inventory"),
        "risks.asset.updated": _("Asset changed"),
        "risks.risk.scenario_set": _("Information security scenario of a risk set"),
        "risks.risk.controls_set": _("Controls needed by a risk set"),
        "risks.run.created": _("Information security risk assessment run"),
        "risks.context.created": _("Context of the organization set"),
        "risks.context.updated": _("Context of the organization changed"),
        "risks.issue.created": _("Context issue added"),
        "risks.issue.updated": _("Context issue changed"),
        "risks.issue.retired": _("Context issue no longer relevant"),
        "risks.party.created": _("Interested party added"),
        "risks.party.updated": _("Interested party changed"),
        "risks.requirement.created": _("Need of an interested party added"),
        "risks.requirement.updated": _("Need of an interested party changed"),
        "risks.reason.created": _("Reason for including a control added"),
        "risks.reason.updated": _("Reason for including a control changed"),
        "risks.risk.nonconformity_linked": _(
            "Risk or opportunity opened or updated from a nonconformity"
        ),
        "risks.soa.approved": _("Statement of Applicability approved as a new revision"),
        "risks.soa.approval_refused": _("Approval of the Statement of Applicability refused"),
    }
)
