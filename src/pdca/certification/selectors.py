"""What the certification pages read: the cycle of each certificate with its flags (the rule
broken, in words), what falls due next, and the warnings about a body's accreditation."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pdca.certification import rules
from pdca.certification.models import (
    Certificate,
    CertificationBody,
    ExternalAudit,
    ExternalFinding,
)
from pdca.standards.models import OrgStandard


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def audit_flags(
    audit: ExternalAudit, today: datetime.date, majors_open: int | None = None
) -> list[str]:
    """The rules a planned or held audit breaks, in words (flagged, not refused: the body's
    own programme may have reasons, and the page must say so)."""
    flags: list[str] = []
    if audit.status == ExternalAudit.Status.CANCELLED:
        return flags
    certificate = audit.certificate
    if certificate is not None:
        if audit.kind == ExternalAudit.Kind.SURVEILLANCE1 and rules.surveillance_too_late(
            certificate.decided_on, audit.starts_on
        ):
            flags.append(
                _(
                    "The first surveillance is due no later than 12 months after the "
                    "certification decision, by %(date)s."
                )
                % {"date": _day(rules.first_surveillance_due(certificate.decided_on))}
            )
        if audit.kind == ExternalAudit.Kind.RECERTIFICATION and audit.ends_on >= (
            certificate.expires_on
        ):
            flags.append(
                _(
                    "Recertification is completed, with its decision, before the certificate "
                    "expires on %(date)s; after expiry the body can restore it only within six "
                    "months (by %(restore)s)."
                )
                % {
                    "date": _day(certificate.expires_on),
                    "restore": _day(rules.restoration_ends(certificate.expires_on)),
                }
            )
        if audit.is_surveillance and audit.starts_on >= certificate.expires_on:
            flags.append(_("The surveillance falls after the certificate's expiry."))
    if audit.kind == ExternalAudit.Kind.STAGE2 and audit.status == ExternalAudit.Status.HELD:
        deadline = rules.stage2_major_deadline(audit.ends_on)
        if majors_open is None:
            majors_open = (
                audit.findings.filter(grade=ExternalFinding.Grade.MAJOR)
                .exclude(status=ExternalFinding.Status.VERIFIED)
                .count()
            )
        if majors_open and today > deadline:
            flags.append(
                _(
                    "A major nonconformity was not verified within six months of stage 2 "
                    "(by %(date)s): stage 2 is to be repeated before certification."
                )
                % {"date": _day(deadline)}
            )
    return flags


def cycle_gap_words(certificate: Certificate, audits: list[ExternalAudit], today: Any) -> list[str]:
    held = [a for a in audits if a.status == ExternalAudit.Status.HELD]
    recert = next(
        (a.decided_on for a in held if a.kind == ExternalAudit.Kind.RECERTIFICATION), None
    )
    gaps = rules.cycle_gaps(
        decided_on=certificate.decided_on,
        expires_on=certificate.expires_on,
        surveillance_dates=[a.starts_on for a in held if a.is_surveillance],
        recertified_on=recert,
        today=today,
    )
    words = {
        "first_surveillance": _(
            "No surveillance within 12 months of the certification decision (due by %(date)s)."
        ),
        "calendar_year": _("No surveillance in the calendar year ending %(date)s."),
        "recertification": _("No recertification decision before the expiry on %(date)s."),
    }
    return [words[g.rule] % {"date": _day(g.due_on)} for g in gaps]


@dataclass
class Step:
    """One point of a certificate's cycle on the timeline."""

    label: str
    on: datetime.date
    state: str  # "done", "due", "overdue", "planned", "cancelled"
    audit: ExternalAudit | None = None
    flags: list[str] = field(default_factory=list)


@dataclass
class Cycle:
    certificate: Certificate
    steps: list[Step]
    gaps: list[str]
    next_audit: ExternalAudit | None
    open_findings: int
    restoration: datetime.date | None
    expiry_state: str  # "ok", "soon", "expired"
    days_left: int


def certificates_with_cycles(organization: Any, today: datetime.date) -> list[Cycle]:
    """Every certificate of the organization with its cycle, in a fixed number of queries."""
    certificates = list(
        Certificate.objects.filter(organization=organization)
        .select_related("body")
        .prefetch_related(
            Prefetch("standards", queryset=OrgStandard.objects.select_related("edition__standard")),
            Prefetch(
                "audits",
                queryset=ExternalAudit.objects.annotate(
                    majors_open=Count(
                        "findings",
                        filter=Q(findings__grade=ExternalFinding.Grade.MAJOR)
                        & ~Q(findings__status=ExternalFinding.Status.VERIFIED),
                    ),
                    findings_open=Count(
                        "findings",
                        filter=Q(findings__status__in=ExternalFinding.OPEN_STATUSES)
                        & Q(findings__grade__in=ExternalFinding.NONCONFORMITIES),
                    ),
                ).order_by("starts_on", "pk"),
            ),
        )
        .order_by("-expires_on", "pk")
    )
    cycles = []
    for cert in certificates:
        audits = list(cert.audits.all())
        for audit in audits:
            audit.certificate = cert  # the flags read it: no query per audit
        steps = [Step(_("Certification decision"), cert.decided_on, "done")]
        for audit in audits:
            if audit.status == ExternalAudit.Status.HELD:
                state = "done"
            elif audit.status == ExternalAudit.Status.CANCELLED:
                state = "cancelled"
            elif audit.ends_on < today:
                state = "overdue"
            elif (audit.starts_on - today).days <= 90:
                state = "due"
            else:
                state = "planned"
            steps.append(
                Step(
                    audit.get_kind_display(),
                    audit.starts_on,
                    state,
                    audit,
                    audit_flags(audit, today, audit.majors_open),  # type: ignore[attr-defined]
                )
            )
        expired = cert.expires_on < today
        steps.append(Step(_("Expiry"), cert.expires_on, "overdue" if expired else "planned"))
        steps.sort(key=lambda s: s.on)
        next_audit = next((a for a in audits if a.status == ExternalAudit.Status.PLANNED), None)
        if expired:
            expiry_state = "expired"
        elif cert.days_left(today) <= max(rules.EXPIRY_REMINDER_DAYS):
            expiry_state = "soon"
        else:
            expiry_state = "ok"
        cycles.append(
            Cycle(
                certificate=cert,
                steps=steps,
                gaps=cycle_gap_words(cert, audits, today),
                next_audit=next_audit,
                open_findings=sum(a.findings_open for a in audits),  # type: ignore[attr-defined]
                restoration=rules.restoration_ends(cert.expires_on) if expired else None,
                expiry_state=expiry_state,
                days_left=cert.days_left(today),
            )
        )
    return cycles


def first_audits(organization: Any) -> QuerySet[ExternalAudit]:
    """Audits not yet of a certificate: the stage 1 and stage 2 of a first certification."""
    return (
        ExternalAudit.objects.filter(organization=organization, certificate__isnull=True)
        .select_related("body")
        .prefetch_related(
            Prefetch("standards", queryset=OrgStandard.objects.select_related("edition__standard"))
        )
        .order_by("starts_on", "pk")
    )


def open_findings(organization: Any) -> QuerySet[ExternalFinding]:
    return (
        ExternalFinding.objects.filter(
            organization=organization,
            status__in=ExternalFinding.OPEN_STATUSES,
            grade__in=ExternalFinding.NONCONFORMITIES,
        )
        .select_related("audit", "clause__edition")
        .order_by("response_due_on", "pk")
    )


def accreditation_warnings(body: CertificationBody, org_standards: list[OrgStandard]) -> list[str]:
    """Warn when the body is not accredited for a standard it is to certify."""
    accredited = {s.pk for s in body.accredited_standards.all()}
    warnings = []
    if not body.accreditation_number:
        warnings.append(_("No accreditation number is recorded for %(body)s.") % {"body": body})
    for os in org_standards:
        if os.edition.standard_id not in accredited:
            warnings.append(
                _("%(body)s is not recorded as accredited for %(standard)s.")
                % {"body": body, "standard": os.edition.standard}
            )
    return warnings


AUDITS_SOON_DAYS = 90


def audits_soon(qs: QuerySet[ExternalAudit], today: datetime.date) -> QuerySet[ExternalAudit]:
    """The planned audits that start within 90 days (or should have started)."""
    return qs.filter(
        status=ExternalAudit.Status.PLANNED,
        starts_on__lte=today + datetime.timedelta(days=AUDITS_SOON_DAYS),
    )


def audits_with_overdue_responses(
    qs: QuerySet[ExternalAudit], today: datetime.date
) -> QuerySet[ExternalAudit]:
    """The audits with a nonconformity whose response to the body is past its deadline."""
    late = ExternalFinding.objects.filter(
        status=ExternalFinding.Status.OPEN,
        grade__in=ExternalFinding.NONCONFORMITIES,
        response_due_on__lt=today,
    ).values("audit_id")
    return qs.filter(pk__in=late)


def attention(membership: Any) -> list[Any]:
    """The dashboard's cards, each opening the list of what it counts: the external audits due
    within 90 days, and (for top management and the management representative, to whom an
    overdue response is escalated) the audits with a response to the body overdue."""
    from django.urls import reverse
    from django.utils import timezone

    from pdca.core.attention import Attention
    from pdca.core.permissions import can
    from pdca.core.roles import Role

    if not can(membership, "certification.view") or not membership.has_role(
        Role.TOP_MANAGEMENT, Role.MANAGEMENT_REP, Role.CONSULTANT
    ):
        return []
    today = timezone.localdate()
    organization = membership.organization
    url = reverse("certification:audits", kwargs={"org": organization.slug})
    audits = ExternalAudit.objects.filter(organization=organization)
    cards = []
    overdue = audits_with_overdue_responses(audits, today).count()
    if overdue:
        cards.append(
            Attention(
                _("External audits with a response to the body overdue"),
                url + "?show=overdue",
                overdue,
                "danger",
                detail=_("The body's deadline has passed for a nonconformity it raised."),
                module="certification",
            )
        )
    soon = audits_soon(audits, today).count()
    if soon:
        cards.append(
            Attention(
                _("External audits within 90 days"),
                url + "?show=soon",
                soon,
                "info",
                detail=_("Check what each audit needs: its plan, the open findings, the people."),
                module="certification",
            )
        )
    return cards
