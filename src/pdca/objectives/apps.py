from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class ObjectivesConfig(modules.DomainAppConfig):
    name = "pdca.objectives"
    label = "objectives"
    url_prefix = "objectives"
    verbose_name = _("Objectives and KPIs")

    def ready(self) -> None:
        from django.db.models import Q

        from pdca.core.attention import register_attention
        from pdca.core.due import register_due_source
        from pdca.core.navigation import NavItem, register_nav
        from pdca.objectives import actions, notifications, policies  # noqa: F401
        from pdca.objectives.due import actions_due, deadlines_due, measurements_due
        from pdca.objectives.models import Objective
        from pdca.objectives.selectors import attention, objective_editions
        from pdca.objectives.views import process_section
        from pdca.standards.registry import (
            register_evidence_kind,
            register_nc_source,
            register_process_section,
            register_record_source,
        )

        register_nav(
            NavItem(
                _("Objectives"), "objectives:list", "objectives.view", order=45, icon="chart-column"
            )
        )
        register_attention(attention, order=45)
        register_process_section(process_section, order=40)
        register_due_source(
            "objectives.measurement",
            _("KPI measurement"),
            measurements_due,
            permission="objectives.view",
            order=30,
        )
        register_due_source(
            "objectives.deadline",
            _("Objective deadline"),
            deadlines_due,
            permission="objectives.view",
            order=31,
        )
        register_due_source(
            "objectives.action",
            _("Objective action"),
            actions_due,
            permission="objectives.view",
            order=32,
        )
        notifications.register()
        from django.apps import apps

        if apps.is_installed("pdca.reviews"):
            from pdca.objectives import providers

            providers.register()  # the management review's inputs this module compiles
        # The set of objectives is maintained (6.2); a withdrawn one is no longer part of it.
        register_evidence_kind(
            "objectives.objective", "maintain", valid=~Q(status=Objective.Status.WITHDRAWN)
        )
        # A KPI with results is the retained evidence of monitoring and measurement (9.1).
        register_evidence_kind("objectives.indicator", "retain", valid=Q(last_period__isnull=False))
        # Top management's signed approval of a year's set is maintained while the set is as
        # signed; a changed set needs a new approval.
        register_evidence_kind(
            "objectives.setapproval", "maintain", valid=Q(outdated_at__isnull=True)
        )
        # 27001 6.2 and 45001 6.2.2 also ask to retain the objectives (and plans).
        register_record_source("6.2", editions=objective_editions)
        register_nc_source("objectives.measurement", link=measurement_link)
        from celery.schedules import crontab

        from pdca.core.background import register_periodic

        # The computed KPIs' finished periods, early each day (after the night's other runs).
        register_periodic(
            "objectives.compute_kpis",
            "pdca.objectives.tasks.compute_kpis",
            crontab(hour=5, minute=20),
        )


def measurement_link(measurement: object) -> tuple[str, str, dict[str, object]]:
    from pdca.objectives.models import Measurement, period_label

    assert isinstance(measurement, Measurement)
    indicator = measurement.indicator
    label = _("KPI %(kpi)s, %(period)s") % {
        "kpi": indicator.name,
        "period": period_label(measurement.period, indicator.frequency),
    }
    return str(label), "objectives:kpi", {"pk": indicator.pk}
