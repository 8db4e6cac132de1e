from typing import Any

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
        from pdca.standards.registry import register_nc_source

        register_nav(NavItem(_("Audits"), "audits:programme", "audits.view", order=500))
        register_nc_source("audits.finding", link=finding_link)
        from pdca.audits import notifications

        notifications.register()


def finding_link(finding: Any) -> tuple[str, str, dict[str, Any]]:
    label = _("finding of %(audit)s") % {"audit": finding.audit.reference}
    return str(label), "audits:finding", {"pk": finding.pk}
