from typing import Any

from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class AuditsConfig(modules.DomainAppConfig):
    name = "pdca.audits"
    label = "audits"
    url_prefix = "audits"
    verbose_name = _("Internal audits")

    def ready(self) -> None:
        from pdca.audits import actions, metrics, policies  # noqa: F401
        from pdca.core.navigation import NavItem, register_nav
        from pdca.standards.registry import register_nc_source

        metrics.register()  # what it computes for KPIs (core.metrics)

        register_nav(
            NavItem(
                _("Audits"), "audits:programme", "audits.view", order=500, icon="clipboard-check"
            )
        )
        register_nc_source("audits.finding", link=finding_link)
        from pdca.audits.selectors import audits_attention
        from pdca.core.attention import register_attention

        register_attention(audits_attention, order=40)
        from pdca.audits.exports import REPORT_KIND, report_job
        from pdca.core.jobs import JobKind, register_job_kind

        register_job_kind(
            JobKind(REPORT_KIND, _("Audit report"), "audits.download_report", report_job)
        )

        from pdca.audits.due import audit_sessions_due, planned_audits_due
        from pdca.core.due import register_due_source

        register_due_source(
            "audits.audit", _("Audit"), planned_audits_due, permission="audits.view", order=30
        )
        register_due_source(
            "audits.session",
            _("Audit session"),
            audit_sessions_due,
            permission="audits.view",
            order=31,
        )
        from pdca.audits import notifications

        notifications.register()


def finding_link(finding: Any) -> tuple[str, str, dict[str, Any]]:
    label = _("finding of %(audit)s") % {"audit": finding.audit.reference}
    return str(label), "audits:finding", {"pk": finding.pk}
