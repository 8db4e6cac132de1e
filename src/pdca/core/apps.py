from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pdca.core"
    label = "core"
    verbose_name = _("Organizations and people")

    def ready(self) -> None:
        # Imported for what they register: system checks, a lookup, the policy, receivers.
        from pdca.core import checks, feeds, lookups, policies, reminders, signals  # noqa: F401
        from pdca.core.attention import register_attention, register_panel
        from pdca.core.navigation import NavItem, register_nav
        from pdca.core.selectors import foundation_attention

        register_nav(
            NavItem(
                _("Dashboard"),
                "core:dashboard",
                "core.view_dashboard",
                order=0,
                icon="layout-dashboard",
            ),
            NavItem(_("My work"), "core:my_work", "core.view_calendar", order=2, icon="list-todo"),
            NavItem(
                _("Calendar"), "core:calendar", "core.view_calendar", order=5, icon="calendar-days"
            ),
            NavItem(_("People"), "core:members", "core.view_members", order=900, icon="users"),
            NavItem(
                _("Organization"),
                "core:organization",
                "core.manage_organization",
                order=910,
                icon="building-2",
            ),
            NavItem(
                _("Audit trail"), "core:trail", "core.view_trail", order=920, icon="scroll-text"
            ),
        )
        register_attention(foundation_attention, order=900)
        from pdca.core.attention import register_onboarding_step
        from pdca.core.selectors import onboarding_people

        register_onboarding_step(onboarding_people, order=40)
        from pdca.core.due import register_due_source
        from pdca.core.grants_due import access_ends_due
        from pdca.core.views.calendar import upcoming_panel

        register_due_source(
            "core.access",
            _("External auditor's access ends"),
            access_ends_due,
            permission="core.manage_members",
            order=90,
            reminders=False,  # its own notice a week before (notifications.kinds)
        )
        register_panel(upcoming_panel, order=5)
        register_background_work()
        from celery.schedules import crontab

        from pdca.core.background import register_periodic
        from pdca.core.notifications import kinds

        kinds.register()
        register_periodic(
            "core.notifications.digest",
            "pdca.core.tasks.send_digests",
            crontab(hour=6, minute=0),
        )
        register_periodic(
            "core.reminders",
            "pdca.core.tasks.send_reminders",
            crontab(hour=5, minute=0),
        )
        register_periodic(
            "core.notifications.access_ending",
            "pdca.core.tasks.notify_access_ending",
            crontab(hour=5, minute=30),
        )
        checks.warn_at_startup()


def register_background_work() -> None:
    import datetime

    from pdca.core.background import register_periodic
    from pdca.core.exports import register_exports

    register_exports()
    # Names are those `@task` gives: <module>.<function>.
    register_periodic(
        "core.trail-checkpoint",
        "pdca.core.tasks.trail_checkpoint",
        datetime.timedelta(minutes=15),
    )
    register_periodic("core.expire-job-results", "pdca.core.tasks.expire_job_results", 3600.0)
