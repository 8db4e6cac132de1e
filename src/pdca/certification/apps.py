from typing import Any

from django.utils.translation import gettext_lazy as _

from pdca.core import modules


class CertificationConfig(modules.DomainAppConfig):
    name = "pdca.certification"
    label = "certification"
    url_prefix = "certification"
    verbose_name = _("Certification")

    def ready(self) -> None:
        from pdca.certification import actions, policies  # noqa: F401  (registrations)
        from pdca.certification.access import OPENED
        from pdca.core.caching import register_inert_actions

        # The body's auditor opening pages changes no figure: during an audit those entries
        # would otherwise empty every member's cached dashboard with each page they open.
        register_inert_actions(OPENED)
        from pdca.core.navigation import NavItem, register_nav
        from pdca.standards.registry import register_nc_source

        register_nav(
            NavItem(
                _("Certification"),
                "certification:overview",
                "certification.view",
                order=530,
                icon="circle-check",
            )
        )
        register_nc_source("certification.externalfinding", link=finding_link)
        from pdca.certification.selectors import attention
        from pdca.core.attention import register_attention

        register_attention(attention, order=530)
        from celery.schedules import crontab

        from pdca.certification import notifications
        from pdca.certification.due import (
            certificate_expiry_due,
            external_audits_due,
            finding_responses_due,
        )
        from pdca.core.background import register_periodic
        from pdca.core.due import register_due_source

        notifications.register()
        from pdca.certification.pack import PACK_KIND, pack_job
        from pdca.core.jobs import JobKind, register_job_kind

        register_job_kind(
            JobKind(PACK_KIND, _("Stage 1 documentation pack"), "certification.manage", pack_job)
        )
        register_periodic(
            "certification.notify",
            "pdca.certification.tasks.notify_certification",
            crontab(hour=5, minute=55),
        )
        register_due_source(
            "certification.audit",
            _("External audit"),
            external_audits_due,
            permission="certification.view",
            order=60,
        )
        register_due_source(
            "certification.expiry",
            _("Certificate expiry"),
            certificate_expiry_due,
            permission="certification.view",
            order=61,
        )
        register_due_source(
            "certification.finding",
            _("Response to an external finding"),
            finding_responses_due,
            permission="certification.view",
            order=62,
        )


def finding_link(finding: Any) -> tuple[str, str, dict[str, Any]]:
    label = _("external finding of the %(audit)s") % {"audit": finding.audit}
    return str(label), "certification:audit", {"pk": finding.audit_id}
