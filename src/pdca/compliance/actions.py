from django.utils.translation import gettext_lazy as _

from pdca.core.actions import register_actions

register_actions(
    {
        "compliance.obligation.created": _("Compliance obligation entered"),
        "compliance.obligation.updated": _("Compliance obligation changed (new version)"),
        "compliance.obligation.withdrawn": _("Compliance obligation withdrawn"),
    }
)

register_actions(
    {
        "compliance.evaluation.recorded": _("Evaluation of compliance recorded"),
        "compliance.evaluation.corrected": _("Evaluation of compliance corrected"),
    }
)
