from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class RisksConfig(modules.DomainAppConfig):
    name = "pdca.risks"
    label = "risks"
    url_prefix = "risks"
    verbose_name = _("Risks and opportunities")

    def ready(self) -> None:
        from pdca.risks import actions, policies  # noqa: F401  (registrations)
