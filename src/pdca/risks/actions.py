from django.utils.translation import gettext_lazy as _

from pdca.core.actions import register_actions

register_actions(
    {
        "risks.method.created": _("Risk method drafted"),
        "risks.method.approved": _("Risk method approved"),
        "risks.method.superseded": _("Risk method superseded"),
    }
)
