from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pdca.core"
    label = "core"
    verbose_name = _("Organizations and people")

    def ready(self) -> None:
        # Imported for what they register: system checks, a lookup, the policy, receivers.
        from pdca.core import checks, lookups, policies, signals  # noqa: F401
        from pdca.core.attention import register_attention
        from pdca.core.navigation import NavItem, register_nav
        from pdca.core.selectors import foundation_attention

        register_nav(
            NavItem(_("Dashboard"), "core:dashboard", "core.view_dashboard", order=0),
            NavItem(_("People"), "core:members", "core.view_members", order=900),
            NavItem(_("Organization"), "core:organization", "core.manage_organization", order=910),
            NavItem(_("Audit trail"), "core:trail", "core.view_trail", order=920),
        )
        register_attention(foundation_attention, order=900)
        register_background_work()
        checks.warn_at_startup()


def register_background_work() -> None:
    import datetime

    from pdca.core.background import register_periodic
    from pdca.core.exports import register_exports

    register_exports()
    # Names are those `@task` gives: pdca.<module>.<function>.
    register_periodic(
        "core.trail-checkpoint",
        "pdca.pdca.core.tasks.trail_checkpoint",
        datetime.timedelta(minutes=15),
    )
    register_periodic("core.expire-job-results", "pdca.pdca.core.tasks.expire_job_results", 3600.0)
