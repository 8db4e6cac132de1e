from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "pdca.audits"
    label = "audits"
    verbose_name = _("Internal audits")

    def ready(self) -> None:
        from pdca.audits import actions, policies  # noqa: F401
        from pdca.core.navigation import NavItem, register_nav

        register_nav(NavItem(_("Audits"), "audits:programme", "audits.view", order=500))
