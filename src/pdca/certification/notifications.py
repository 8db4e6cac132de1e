"""Telling management about the certificate: its expiry 180, 90 and 30 days ahead (ISO/IEC
17021-1: recertification is decided before expiry), and a response to the body whose deadline
has passed, which is escalated to top management. Each is sent once per certificate and
threshold, or per finding (the notification key)."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pdca.certification import rules
from pdca.certification.models import Certificate, ExternalFinding
from pdca.core.models import Membership, Organization
from pdca.core.notifications import NotificationKind, notify, register_kinds
from pdca.core.roles import Role


def register() -> None:
    register_kinds(
        NotificationKind(
            "certification.expiry_ahead",
            _("Certificate expiry ahead"),
            _("Certificate %(title)s expires in %(days)s days: plan the recertification."),
            permission="certification.view",
        ),
        NotificationKind(
            "certification.response_overdue",
            _("Response to the certification body overdue"),
            _("The response to the finding “%(title)s” was due on %(due)s."),
            permission="certification.view",
        ),
    )


def _managers(organization: Organization, *roles: str) -> list[int]:
    ids: set[int] = set()
    for role in roles:
        ids.update(
            Membership.objects.current()
            .filter(organization=organization)
            .with_role(role)
            .values_list("user_id", flat=True)
        )
    return sorted(ids)


def send(*, today: datetime.date | None = None) -> int:
    """The day's expiry warnings and overdue-response escalations (run unscoped, daily)."""
    today = today or timezone.localdate()
    told = 0
    horizon = today + datetime.timedelta(days=max(rules.EXPIRY_REMINDER_DAYS))
    for certificate in Certificate.objects.filter(
        status__in=Certificate.VALID_STATUSES, expires_on__gte=today, expires_on__lte=horizon
    ).select_related("organization"):
        days = certificate.days_left(today)
        threshold = min(d for d in rules.EXPIRY_REMINDER_DAYS if days <= d)
        org = certificate.organization
        with transaction.atomic():
            told += len(
                notify(
                    kind="certification.expiry_ahead",
                    organization=org,
                    recipients=_managers(org, Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP),
                    obj=certificate,
                    key=f"certification.expiry_ahead:{certificate.pk}:{certificate.expires_on}:{threshold}",
                    url=reverse(
                        "certification:certificate", kwargs={"org": org.slug, "pk": certificate.pk}
                    ),
                    title=certificate.number,
                    data={"days": days},
                )
            )
    for finding in ExternalFinding.objects.filter(
        status=ExternalFinding.Status.OPEN,
        grade__in=ExternalFinding.NONCONFORMITIES,
        response_due_on__lt=today,
    ).select_related("organization"):
        org = finding.organization
        with transaction.atomic():
            told += len(
                notify(
                    kind="certification.response_overdue",
                    organization=org,
                    recipients=_managers(org, Role.TOP_MANAGEMENT),
                    obj=finding,
                    key=f"certification.response_overdue:{finding.pk}:{finding.response_due_on}",
                    url=reverse(
                        "certification:audit", kwargs={"org": org.slug, "pk": finding.audit_id}
                    ),
                    title=finding.statement[:80],
                    data={"due": finding.response_due_on.isoformat()},  # type: ignore[union-attr]
                )
            )
    return told
