from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class ImprovementConfig(modules.DomainAppConfig):
    name = "pdca.improvement"
    label = "improvement"
    url_prefix = "improvement"
    verbose_name = _("Nonconformities and corrective actions")

    def ready(self) -> None:
        from pdca.core.attention import register_attention
        from pdca.core.navigation import NavItem, register_nav
        from pdca.improvement import actions, policies  # noqa: F401
        from pdca.improvement.selectors import attention

        register_nav(
            NavItem(
                _("Nonconformities"),
                "improvement:list",
                "improvement.view",
                order=510,
                icon="triangle-alert",
            ),
            NavItem(
                _("Analysis"),
                "improvement:analysis",
                "improvement.view_analysis",
                order=520,
                icon="chart-column",
            ),
        )
        register_attention(attention, order=510)
        from pdca.core.attention import register_chart, register_figures
        from pdca.improvement.dashboard import nc_charts, nc_figures

        register_chart(nc_charts, order=50)
        register_figures(nc_figures, order=50)
        from pdca.core.due import register_due_source
        from pdca.improvement.due import corrective_actions_due, effectiveness_checks_due

        register_due_source(
            "improvement.action",
            _("Corrective action"),
            corrective_actions_due,
            permission="improvement.view",
            order=20,
        )
        register_due_source(
            "improvement.effectiveness",
            _("Effectiveness check"),
            effectiveness_checks_due,
            permission="improvement.view",
            order=21,
        )
        from pdca.improvement import notifications

        notifications.register()
        from pdca.improvement import metrics

        metrics.register()  # what it computes for KPIs (core.metrics)
