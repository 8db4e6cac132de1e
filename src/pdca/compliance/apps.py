from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class ComplianceConfig(modules.DomainAppConfig):
    name = "pdca.compliance"
    label = "compliance"
    # No pages or API yet: the prefix is set when they are mounted.
    url_prefix = ""
    verbose_name = _("Compliance obligations")

    def ready(self) -> None:
        from pdca.compliance import actions, policies  # noqa: F401  (registrations)
