from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "pdca.improvement"
    label = "improvement"
    verbose_name = _("Nonconformities and corrective actions")

    def ready(self) -> None:
        from pdca.core.attention import register_attention
        from pdca.core.navigation import NavItem, register_nav
        from pdca.improvement import actions, policies  # noqa: F401
        from pdca.improvement.selectors import attention

        register_nav(
            NavItem(_("Nonconformities"), "improvement:list", "improvement.view", order=510),
            NavItem(_("Analysis"), "improvement:analysis", "improvement.view_analysis", order=520),
        )
        register_attention(attention, order=510)
