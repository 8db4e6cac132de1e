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
        from celery.schedules import crontab

        from pdca.core.background import register_periodic
        from pdca.core.notifications import kinds

        kinds.register()
        register_periodic(
            "core.notifications.digest",
            "pdca.pdca.core.tasks.send_digests",
            crontab(hour=6, minute=0),
        )
        register_periodic(
            "core.notifications.access_ending",
            "pdca.pdca.core.tasks.notify_access_ending",
            crontab(hour=5, minute=30),
        )
        checks.warn_at_startup()
