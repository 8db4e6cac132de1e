"""Who is told what about audits: the team and the auditees when an audit is planned, and
the auditees when a finding is recorded, for them to acknowledge."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pdca.audits.models import Audit, Finding
from pdca.core.models import User
from pdca.core.notifications import NotificationKind, notify, register_kinds


def register() -> None:
    register_kinds(
        NotificationKind(
            "audits.audit_planned",
            _("An audit you take part in is planned"),
            _("The audit %(title)s is planned from %(start)s: you are on its team or audited."),
            permission="audits.view",
        ),
        NotificationKind(
            "audits.finding_recorded",
            _("A finding for you to acknowledge"),
            _("A finding was recorded in the audit %(title)s: read and acknowledge it."),
            permission="audits.view",
            related=("audit",),
        ),
    )


def audit_planned(*, actor: User, audit: Audit) -> None:
    people = {audit.lead_auditor_id, *audit.team.values_list("pk", flat=True)}
    people |= set(audit.auditees.values_list("pk", flat=True))
    notify(
        kind="audits.audit_planned",
        organization=audit.organization,
        recipients=people,
        obj=audit,
        key=f"audits.audit_planned:{audit.pk}",
        url=reverse("audits:detail", kwargs={"org": audit.organization.slug, "pk": audit.pk}),
        data={"start": audit.planned_start.isoformat() if audit.planned_start else ""},
        exclude=[actor],
    )


def finding_recorded(*, actor: User, finding: Finding) -> None:
    audit = finding.audit
    notify(
        kind="audits.finding_recorded",
        organization=audit.organization,
        recipients=audit.auditees.values_list("pk", flat=True),
        obj=finding,
        key=f"audits.finding_recorded:{finding.pk}",
        title=str(audit),
        url=reverse("audits:finding", kwargs={"org": audit.organization.slug, "pk": finding.pk}),
        exclude=[actor],
    )
