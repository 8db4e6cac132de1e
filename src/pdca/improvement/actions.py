from django.utils.translation import gettext_lazy as _

from pdca.core.actions import register_actions

register_actions(
    {
        "improvement.nonconformity.raised": _("Nonconformity raised"),
        "improvement.nonconformity.updated": _("Nonconformity changed"),
        "improvement.nonconformity.analysed": _("Root cause analysed"),
        "improvement.nonconformity.reopened": _("Analysis reopened: action not effective"),
        "improvement.nonconformity.closure_steps": _(
            "Risks and opportunities, and management system changes recorded"
        ),
        "improvement.nonconformity.closed": _("Nonconformity closed"),
        "improvement.nonconformity.closure_refused": _("Closure refused: wrong password"),
        "improvement.nonconformity.cancelled": _("Nonconformity cancelled"),
        "improvement.action.planned": _("Corrective action planned"),
        "improvement.action.updated": _("Corrective action updated"),
        "improvement.action.escalated": _("Overdue action escalated"),
        "improvement.check.planned": _("Effectiveness check planned"),
        "improvement.check.recorded": _("Effectiveness verified"),
    }
)
