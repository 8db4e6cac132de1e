from django.utils.translation import gettext_lazy as _

from pdca.core.actions import register_actions

register_actions(
    {
        "objectives.objective.created": _("Objective set"),
        "objectives.objective.updated": _("Objective changed"),
        "objectives.objective.withdrawn": _("Objective withdrawn"),
        "objectives.indicator.created": _("KPI defined"),
        "objectives.indicator.updated": _("KPI changed"),
        "objectives.measurement.recorded": _("Measurement entered"),
        "objectives.measurement.corrected": _("Measurement corrected"),
        "objectives.action.planned": _("Objective action planned"),
        "objectives.action.updated": _("Objective action updated"),
        "objectives.nonconformity.raised": _("Nonconformity raised from a KPI"),
        "objectives.action.raised": _("Improvement action raised from an objective off track"),
        "objectives.approval.signed": _("Set of objectives approved"),
        "objectives.approval.signature_refused": _("Approval of the objectives refused"),
        "objectives.approval.outdated": _("Set of objectives changed after its approval"),
    }
)
