from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class StandardsConfig(modules.DomainAppConfig):
    name = "pdca.standards"
    label = "standards"
    url_prefix = "standards"
    verbose_name = _("Standards, scope and gap analysis")

    def ready(self) -> None:
        from pdca.core.attention import register_attention, register_panel
        from pdca.core.navigation import NavItem, register_nav
        from pdca.standards import actions, evidence, policies  # noqa: F401  (registrations)
        from pdca.standards.selectors import standards_attention
        from pdca.standards.views.readiness import readiness_panel

        register_nav(
            NavItem(
                _("Standards and gaps"),
                "standards:home",
                "standards.view",
                order=10,
                icon="shield-check",
            ),
            NavItem(
                _("Processes"), "standards:processes", "standards.view", order=20, icon="workflow"
            ),
            NavItem(_("Roadmap"), "standards:roadmap", "standards.view", order=15, icon="map"),
        )
        register_attention(standards_attention, order=20)
        register_panel(readiness_panel, order=10)
        self.register_dashboard()
        from pdca.core.due import register_due_source, register_standard_choices
        from pdca.standards.due import org_standard_choices, roadmap_actions_due

        register_due_source(
            "standards.roadmap",
            _("Roadmap action"),
            roadmap_actions_due,
            permission="standards.view",
            order=50,
        )
        register_standard_choices(org_standard_choices)
        self._register_record_sources()

    @staticmethod
    def _register_record_sources() -> None:
        """Signed internal-audit reports and nonconformities with their corrective actions are
        the records 9.2.2 and 10.2 ask to retain; read through their apps' selectors."""
        from django.apps import apps

        from pdca.standards.registry import register_record_source

        if apps.is_installed("pdca.audits"):
            from pdca.audits.selectors import signed_report_editions

            register_record_source("9.2.2", editions=signed_report_editions)
        if apps.is_installed("pdca.improvement"):
            from pdca.improvement.selectors import actioned_nc_editions

            register_record_source("10.2", editions=actioned_nc_editions)

    def register_dashboard(self) -> None:
        from celery.schedules import crontab

        from pdca.core.attention import (
            register_attention,
            register_chart,
            register_figures,
            register_onboarding_step,
        )
        from pdca.core.background import register_periodic
        from pdca.standards import dashboard

        register_attention(dashboard.gap_attention, order=21)
        register_onboarding_step(dashboard.onboarding_steps, order=10)
        register_chart(dashboard.readiness_chart, order=10)
        register_figures(dashboard.readiness_figures, order=10)
        # Shortly before midnight: the day's last figure.
        register_periodic(
            "standards.readiness_snapshot",
            "pdca.standards.tasks.snapshot_readiness",
            crontab(hour=23, minute=50),
        )
