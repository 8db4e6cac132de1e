from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class AuditsConfig(modules.DomainAppConfig):
    name = "pdca.audits"
    label = "audits"
    url_prefix = "audits"
    verbose_name = _("Internal audits")

    def ready(self) -> None:
        from pdca.audits import actions, policies  # noqa: F401
        from pdca.core.navigation import NavItem, register_nav

        register_nav(NavItem(_("Audits"), "audits:programme", "audits.view", order=500))
