"""Every write of the certification lifecycle, with the 17021-1 rules it must keep.

The cycle's dates come from `rules.py`; a rule broken on input is refused here with the rule in
words next to its field. A certificate, an audit, a finding and an event are never deleted: a
certificate changes status with a reason, an audit is cancelled with one, a finding is answered,
accepted and verified. A standard's "certified" status follows its valid certificates.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from pdca.certification import rules
from pdca.certification.models import (
    Certificate,
    CertificationBody,
    CertificationEvent,
    DocumentationPack,
    ExternalAudit,
    ExternalFinding,
)
from pdca.core import trail
from pdca.core.access import ensure_allowed
from pdca.core.dates import add_months
from pdca.core.models import Organization, User
from pdca.core.updating import (
    check_same_organization,
    model_create,
    model_transition,
    model_update,
)
from pdca.standards.models import OrgStandard

BODY_FIELDS = (
    "name",
    "accreditation_body",
    "accreditation_number",
    "accredited_standards",
    "sector_codes",
    "contact_name",
    "contact_email",
    "contact_phone",
    "contract_start",
    "contract_end",
    "major_response_days",
    "minor_response_days",
    "notes",
    "is_active",
)
CERTIFICATE_FIELDS = (
    "body",
    "number",
    "standards",
    "scope",
    "sites",
    "multi_site",
    "exclusions",
    "initial_certified_on",
    "decided_on",
    "issued_on",
    "expires_on",
    "previous_expiry",
    "transition_deadline",
)
AUDIT_FIELDS = (
    "body",
    "certificate",
    "kind",
    "standards",
    "sites",
    "starts_on",
    "ends_on",
    "lead_auditor",
    "team",
    "audit_days",
    "plan_received_on",
    "notes",
)
HELD_FIELDS = ("outcome", "recommendation", "report_received_on", "decided_on", "audit_days")
FINDING_FIELDS = ("grade", "clause", "statement", "evidence", "response_due_on")
M2M = ("accredited_standards", "standards", "sites")


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _split(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The plain fields and the many-to-many sets of a service's values."""
    related = {name: list(values.pop(name)) for name in M2M if name in values}
    return values, related


def _strip(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


# Certification bodies ------------------------------------------------------------------------


def body_create(*, actor: User, organization: Organization, **values: Any) -> CertificationBody:
    ensure_allowed(actor=actor, organization=organization, permission="certification.manage")
    plain, related = _split(_strip(values))
    return model_create(
        model=CertificationBody,
        organization=organization,
        actor=actor,
        fields=plain,
        related=related,
        allowed=BODY_FIELDS,
        action="certification.body.created",
    )


def body_update(
    *, actor: User, body: CertificationBody, expected_version: int | None, **values: Any
) -> CertificationBody:
    ensure_allowed(
        actor=actor,
        organization=body.organization,
        permission="certification.manage",
        obj=body,
    )
    plain, related = _split(_strip(values))
    updated, _changes = model_update(
        instance=body,
        actor=actor,
        fields=plain,
        related=related,
        allowed=BODY_FIELDS,
        expected_version=expected_version,
        action="certification.body.updated",
    )
    return updated


# Certificates --------------------------------------------------------------------------------


def _check_certificate(values: dict[str, Any], related: dict[str, list[Any]]) -> None:
    """The certificate's date rules (17021-1 9.6.1, 9.6.3.2.4), each with its field."""
    errors: dict[str, str] = {}
    decided = values.get("decided_on")
    expires = values.get("expires_on")
    issued = values.get("issued_on")
    initial = values.get("initial_certified_on")
    if "standards" in related and not related["standards"]:
        errors["standards"] = _("Name the standard or standards the certificate covers.")
    if (
        decided
        and expires
        and not rules.expiry_allowed(decided, expires, values.get("previous_expiry"))
    ):
        latest = rules.latest_expiry(decided, values.get("previous_expiry"))
        errors["expires_on"] = _(
            "A certificate runs at most three years from the certification decision (or from "
            "the previous expiry when recertification was decided before it): the latest "
            "expiry is %(date)s."
        ) % {"date": _day(latest)}
    if decided and issued and issued < decided:
        errors["issued_on"] = _("A certificate is issued on or after the certification decision.")
    if decided and initial and initial > decided:
        errors["initial_certified_on"] = _(
            "The initial certification cannot be later than the current cycle's decision."
        )
    if errors:
        raise ValidationError(errors)


def certificate_create(
    *,
    actor: User,
    organization: Organization,
    plan: bool = True,
    **values: Any,
) -> Certificate:
    """Record a certificate, plan its cycle's surveillance and recertification audits by the
    rules (unless `plan` is False), log the decision and the issue, and mark its standards
    certified."""
    ensure_allowed(actor=actor, organization=organization, permission="certification.manage")
    plain, related = _split(_strip(values))
    check_same_organization(organization, "body", plain.get("body"))
    check_same_organization(organization, "standards", related.get("standards"))
    check_same_organization(organization, "sites", related.get("sites"))
    related.setdefault("standards", [])
    _check_certificate(plain, related)
    with transaction.atomic():
        certificate = model_create(
            model=Certificate,
            organization=organization,
            actor=actor,
            fields=plain,
            related=related,
            allowed=CERTIFICATE_FIELDS,
            action="certification.certificate.created",
            defaults={"status_since": plain.get("issued_on")},
        )
        _event(actor, certificate, CertificationEvent.Kind.DECISION, certificate.decided_on)
        _event(actor, certificate, CertificationEvent.Kind.ISSUE, certificate.issued_on)
        if plan:
            plan_cycle(actor=actor, certificate=certificate)
        sync_standards(actor=actor, org_standards=related["standards"])
    return certificate


def plan_cycle(*, actor: User, certificate: Certificate) -> list[ExternalAudit]:
    """The cycle's audits as the rules plan them, for the kinds not yet planned or held."""
    existing = set(
        certificate.audits.exclude(status=ExternalAudit.Status.CANCELLED).values_list(
            "kind", flat=True
        )
    )
    standards = list(certificate.standards.all())
    sites = list(certificate.sites.all())
    planned = []
    for item in rules.plan_cycle(certificate.decided_on, certificate.expires_on):
        if item.kind in existing:
            continue
        audit = model_create(
            model=ExternalAudit,
            organization=certificate.organization,
            actor=actor,
            fields={
                "body": certificate.body,
                "certificate": certificate,
                "kind": item.kind,
                "starts_on": item.starts_on,
                "ends_on": item.starts_on,
            },
            related={"standards": standards, "sites": sites},
            allowed=AUDIT_FIELDS,
            action="certification.audit.created",
        )
        planned.append(audit)
    return planned


def certificate_update(
    *,
    actor: User,
    certificate: Certificate,
    expected_version: int | None,
    reason: str,
    **values: Any,
) -> Certificate:
    """Correct a certificate's details (with the reason, in the trail)."""
    organization = certificate.organization
    ensure_allowed(
        actor=actor, organization=organization, permission="certification.manage", obj=certificate
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the certificate is corrected.")})
    plain, related = _split(_strip(values))
    check_same_organization(organization, "body", plain.get("body"))
    check_same_organization(organization, "standards", related.get("standards"))
    check_same_organization(organization, "sites", related.get("sites"))

    def validate(locked: Certificate) -> None:
        current = {name: getattr(locked, name) for name in CERTIFICATE_FIELDS if name not in M2M}
        _check_certificate(current, {k: v for k, v in related.items() if k == "standards"})

    with transaction.atomic():
        before = list(certificate.standards.all())
        updated, _changes = model_update(
            instance=certificate,
            actor=actor,
            fields=plain,
            related=related,
            allowed=CERTIFICATE_FIELDS,
            expected_version=expected_version,
            action="certification.certificate.updated",
            reason=reason,
            validate=validate,
        )
        sync_standards(actor=actor, org_standards={*before, *updated.standards.all()})
    return updated


# The event each status change logs.
STATUS_EVENTS = {
    Certificate.Status.ACTIVE: CertificationEvent.Kind.REINSTATEMENT,
    Certificate.Status.SUSPENDED: CertificationEvent.Kind.SUSPENSION,
    Certificate.Status.SCOPE_REDUCED: CertificationEvent.Kind.SCOPE_REDUCTION,
    Certificate.Status.WITHDRAWN: CertificationEvent.Kind.WITHDRAWAL,
    Certificate.Status.EXPIRED: CertificationEvent.Kind.EXPIRY,
}
SUSPENSION_MONTHS = 6


def certificate_set_status(
    *,
    actor: User,
    certificate: Certificate,
    status: str,
    reason: str,
    since: datetime.date,
    until: datetime.date | None = None,
    expected_version: int | None = None,
) -> Certificate:
    """Suspend, reinstate, reduce, withdraw or mark expired, with the reason and its date; the
    certificate's log gets the event and its standards follow."""
    ensure_allowed(
        actor=actor,
        organization=certificate.organization,
        permission="certification.manage",
        obj=certificate,
    )
    if status not in Certificate.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the status changes.")})
    if status == Certificate.Status.SUSPENDED:
        latest = add_months(since, SUSPENSION_MONTHS)
        if until is None or until <= since or until > latest:
            raise ValidationError(
                {
                    "until": _(
                        "A suspension has an end date, at most six months after it starts "
                        "(%(date)s)."
                    )
                    % {"date": _day(latest)}
                }
            )
    else:
        until = None

    def check(locked: Certificate) -> None:
        if locked.status == status:
            raise ValidationError({"status": _("The certificate already has this status.")})
        if locked.status in (Certificate.Status.WITHDRAWN, Certificate.Status.EXPIRED) and (
            status != Certificate.Status.ACTIVE
        ):
            raise ValidationError(
                {"status": _("A withdrawn or expired certificate can only be restored.")}
            )

    with transaction.atomic():
        updated = model_transition(
            instance=certificate,
            actor=actor,
            action="certification.certificate.status",
            to={
                "status": status,
                "status_reason": reason.strip(),
                "status_since": since,
                "status_until": until,
            },
            check=check,
            reason=reason.strip(),
            expected_version=expected_version,
        )
        _event(actor, updated, STATUS_EVENTS[Certificate.Status(status)], since, reason.strip())
        sync_standards(actor=actor, org_standards=list(updated.standards.all()))
    return updated


def sync_standards(*, actor: User, org_standards: Iterable[OrgStandard]) -> None:
    """A standard is "certified" while a valid certificate covers it, never by hand: its status
    and "valid until" follow its certificates."""
    from pdca.standards.services import org_standard_update

    today = timezone.localdate()
    for org_standard in {os.pk: os for os in org_standards}.values():
        current = OrgStandard.objects.get(pk=org_standard.pk)
        valid = list(
            Certificate.objects.filter(
                organization_id=current.organization_id,
                standards=current,
                status__in=Certificate.VALID_STATUSES,
                expires_on__gte=today,
            ).values_list("expires_on", "scope")
        )
        values: dict[str, Any] = {}
        if valid:
            until, scope = max(valid)
            values = {"status": OrgStandard.Status.CERTIFIED, "certified_until": until}
            if not current.scope:
                values["scope"] = scope
        elif current.status == OrgStandard.Status.CERTIFIED:
            values = {"status": OrgStandard.Status.IMPLEMENTING, "certified_until": None}
        if values:
            org_standard_update(
                actor=actor, org_standard=current, expected_version=current.version, **values
            )


# Events --------------------------------------------------------------------------------------


def _event(
    actor: User | None,
    certificate: Certificate,
    kind: str,
    occurred_on: datetime.date,
    note: str = "",
) -> CertificationEvent:
    event = CertificationEvent.objects.create(
        organization_id=certificate.organization_id,
        certificate=certificate,
        kind=kind,
        occurred_on=occurred_on,
        note=note,
        recorded_by=actor,
    )
    trail.record(
        action="certification.event.recorded",
        actor=actor,
        organization=certificate.organization,
        obj=certificate,
        changes={"event": [None, kind], "date": [None, occurred_on.isoformat()]},
        reason=note,
    )
    return event


def event_record(
    *,
    actor: User,
    certificate: Certificate,
    kind: str,
    occurred_on: datetime.date,
    note: str = "",
) -> CertificationEvent:
    """Add an entry to the certificate's log (an application, a contract, a scope extension,
    a transfer); entries are never changed or removed."""
    ensure_allowed(
        actor=actor,
        organization=certificate.organization,
        permission="certification.manage",
        obj=certificate,
    )
    if kind not in CertificationEvent.Kind.values:
        raise ValidationError({"kind": _("Unknown event.")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("An event is recorded once it has happened.")})
    with transaction.atomic():
        return _event(actor, certificate, kind, occurred_on, note.strip())


# External audits -----------------------------------------------------------------------------


def _passed_stage1(organization: Organization, standards: list[OrgStandard]) -> Any:
    return ExternalAudit.objects.filter(
        organization=organization,
        kind=ExternalAudit.Kind.STAGE1,
        status=ExternalAudit.Status.HELD,
        outcome=ExternalAudit.Outcome.PASSED,
        standards__in=standards,
    )


def _check_audit(
    organization: Organization, values: dict[str, Any], related: dict[str, Any]
) -> None:
    errors: dict[str, str] = {}
    kind = values.get("kind")
    starts, ends = values.get("starts_on"), values.get("ends_on")
    standards = related.get("standards")
    certificate = values.get("certificate")
    if standards is not None and not standards:
        errors["standards"] = _("Name the standard or standards the audit covers.")
    if starts and ends and ends < starts:
        errors["ends_on"] = _("The last day cannot be before the first.")
    if kind in (*ExternalAudit.CYCLE_KINDS,) and certificate is None:
        errors["certificate"] = _("A surveillance or recertification audit is of a certificate.")
    if kind == ExternalAudit.Kind.STAGE2 and standards and starts:
        passed = _passed_stage1(organization, standards)
        covered = set(passed.values_list("standards", flat=True))
        missing = [os for os in standards if os.pk not in covered]
        if missing:
            errors["kind"] = _(
                "Stage 2 follows a stage 1 that was held and passed; %(standards)s has none yet."
            ) % {"standards": ", ".join(str(os) for os in missing)}
        elif not passed.filter(ends_on__lt=starts).exists():
            errors["starts_on"] = _("Stage 2 starts after the last day of stage 1.")
    if errors:
        raise ValidationError(errors)


def audit_plan(*, actor: User, organization: Organization, **values: Any) -> ExternalAudit:
    """Plan an external audit; stage 2 only after a stage 1 that was held and passed."""
    ensure_allowed(actor=actor, organization=organization, permission="certification.manage")
    plain, related = _split(_strip(values))
    check_same_organization(organization, "body", plain.get("body"))
    check_same_organization(organization, "certificate", plain.get("certificate"))
    check_same_organization(organization, "standards", related.get("standards"))
    check_same_organization(organization, "sites", related.get("sites"))
    related.setdefault("standards", [])
    _check_audit(organization, plain, related)
    return model_create(
        model=ExternalAudit,
        organization=organization,
        actor=actor,
        fields=plain,
        related=related,
        allowed=AUDIT_FIELDS,
        action="certification.audit.created",
    )


def audit_update(
    *, actor: User, audit: ExternalAudit, expected_version: int | None, **values: Any
) -> ExternalAudit:
    """Change a planned or held audit's details (dates, team, audit days, standards)."""
    organization = audit.organization
    ensure_allowed(
        actor=actor, organization=organization, permission="certification.manage", obj=audit
    )
    plain, related = _split(_strip(values))
    check_same_organization(organization, "body", plain.get("body"))
    check_same_organization(organization, "certificate", plain.get("certificate"))
    check_same_organization(organization, "standards", related.get("standards"))
    check_same_organization(organization, "sites", related.get("sites"))

    def validate(locked: ExternalAudit) -> None:
        if locked.status == ExternalAudit.Status.CANCELLED:
            raise ValidationError(_("A cancelled audit is not changed."))
        current = {name: getattr(locked, name) for name in AUDIT_FIELDS if name not in M2M}
        standards = related.get("standards")
        if standards is None:
            standards = list(locked.standards.all())
        _check_audit(organization, current, {"standards": standards})

    updated, _changes = model_update(
        instance=audit,
        actor=actor,
        fields=plain,
        related=related,
        allowed=AUDIT_FIELDS,
        expected_version=expected_version,
        action="certification.audit.updated",
        validate=validate,
    )
    return updated


def open_majors(audit: ExternalAudit) -> Any:
    return audit.findings.filter(grade=ExternalFinding.Grade.MAJOR).exclude(
        status=ExternalFinding.Status.VERIFIED
    )


def audit_record_held(
    *,
    actor: User,
    audit: ExternalAudit,
    outcome: str,
    recommendation: str = "",
    report_received_on: datetime.date | None = None,
    decided_on: datetime.date | None = None,
    audit_days: Any = None,
    expected_version: int | None = None,
) -> ExternalAudit:
    """Record that the audit took place, with its outcome, the body's recommendation and its
    decision; no decision while a major nonconformity of the audit is not verified."""
    ensure_allowed(
        actor=actor, organization=audit.organization, permission="certification.manage", obj=audit
    )
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if outcome not in ExternalAudit.Outcome.values:
        errors["outcome"] = _("Unknown outcome.")
    if recommendation not in ExternalAudit.Recommendation.values:
        errors["recommendation"] = _("Unknown recommendation.")
    if report_received_on and report_received_on < audit.starts_on:
        errors["report_received_on"] = _("The report comes after the audit has started.")
    if decided_on and decided_on < audit.ends_on:
        errors["decided_on"] = _("The decision comes after the audit's last day.")
    if decided_on and decided_on > today:
        errors["decided_on"] = _("A decision is recorded once it has been taken.")
    if errors:
        raise ValidationError(errors)

    def check(locked: ExternalAudit) -> None:
        if locked.status == ExternalAudit.Status.CANCELLED:
            raise ValidationError(_("A cancelled audit is not recorded as held."))
        if locked.starts_on > today:
            raise ValidationError(_("The audit has not started yet."))
        if decided_on and open_majors(locked).exists():
            raise ValidationError(
                {
                    "decided_on": _(
                        "The body decides once every major nonconformity of the audit is "
                        "verified closed."
                    )
                }
            )

    to: dict[str, Any] = {
        "status": ExternalAudit.Status.HELD,
        "outcome": outcome,
        "recommendation": recommendation,
        "report_received_on": report_received_on,
        "decided_on": decided_on,
    }
    if audit_days is not None:
        to["audit_days"] = audit_days
    with transaction.atomic():
        updated = model_transition(
            instance=audit,
            actor=actor,
            action="certification.audit.held",
            to=to,
            check=check,
            expected_version=expected_version,
        )
        if updated.certificate_id is not None:
            _event(
                actor,
                updated.certificate,  # type: ignore[arg-type]  # checked above
                CertificationEvent.Kind.AUDIT,
                updated.ends_on,
                str(updated),
            )
    return updated


def audit_cancel(
    *, actor: User, audit: ExternalAudit, reason: str, expected_version: int | None = None
) -> ExternalAudit:
    ensure_allowed(
        actor=actor, organization=audit.organization, permission="certification.manage", obj=audit
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the audit is cancelled.")})

    def check(locked: ExternalAudit) -> None:
        if locked.status != ExternalAudit.Status.PLANNED:
            raise ValidationError(_("Only a planned audit is cancelled."))

    return model_transition(
        instance=audit,
        actor=actor,
        action="certification.audit.cancelled",
        to={"status": ExternalAudit.Status.CANCELLED, "cancel_reason": reason.strip()},
        record=("status",),
        check=check,
        reason=reason.strip(),
        expected_version=expected_version,
    )


# External findings ---------------------------------------------------------------------------


def default_deadline(audit: ExternalAudit, grade: str) -> datetime.date | None:
    """The body's deadline for answering a finding of `grade`, counted from the audit's end."""
    days = audit.body.response_days(grade)
    return audit.ends_on + datetime.timedelta(days=days) if days else None


def _check_finding(audit: ExternalAudit, values: dict[str, Any]) -> None:
    grade = values.get("grade")
    due = values.get("response_due_on")
    if grade in ExternalFinding.NONCONFORMITIES:
        if due is None:
            raise ValidationError(
                {"response_due_on": _("A nonconformity has the body's deadline for the response.")}
            )
        if due < audit.ends_on:
            raise ValidationError(
                {"response_due_on": _("The deadline comes after the audit's last day.")}
            )
        if grade == ExternalFinding.Grade.MAJOR and audit.kind == ExternalAudit.Kind.STAGE2:
            latest = rules.stage2_major_deadline(audit.ends_on)
            if due > latest:
                raise ValidationError(
                    {
                        "response_due_on": _(
                            "A major nonconformity of stage 2 is verified within six months "
                            "of its last day (by %(date)s), or stage 2 is repeated."
                        )
                        % {"date": _day(latest)}
                    }
                )


def finding_create(*, actor: User, audit: ExternalAudit, **values: Any) -> ExternalFinding:
    """Record a finding as the body graded it; a major or minor nonconformity raises its one
    nonconformity in the improvement module (source: external audit)."""
    from pdca.improvement.models import Nonconformity, Source
    from pdca.improvement.services import nonconformity_raise

    organization = audit.organization
    ensure_allowed(
        actor=actor, organization=organization, permission="certification.manage", obj=audit
    )
    values = _strip(values)
    clause = values.get("clause")
    if clause is not None and not audit.standards.filter(edition_id=clause.edition_id).exists():
        raise ValidationError(
            {"clause": _("The clause is of a standard the audit does not cover.")}
        )
    today = timezone.localdate()
    if audit.status == ExternalAudit.Status.CANCELLED:
        raise ValidationError(_("A cancelled audit has no findings."))
    if audit.starts_on > today:
        raise ValidationError(_("Findings are recorded once the audit has started."))
    _check_finding(audit, values)
    with transaction.atomic():
        finding = model_create(
            model=ExternalFinding,
            organization=organization,
            actor=actor,
            fields=values,
            allowed=FINDING_FIELDS,
            action="certification.finding.created",
            defaults={"audit": audit, "created_by": actor},
        )
        if finding.is_nonconformity:
            severity = (
                Nonconformity.Severity.MAJOR
                if finding.grade == ExternalFinding.Grade.MAJOR
                else Nonconformity.Severity.MINOR
            )
            nonconformity_raise(
                actor=actor,
                organization=organization,
                # The body's own words: the grade and the audit are the nonconformity's
                # severity and source, shown beside it in the reader's language.
                title=Truncator(" ".join(finding.statement.split())).chars(200),
                description=finding.statement
                + (f"\n\n{finding.evidence}" if finding.evidence else ""),
                source=Source.EXTERNAL_AUDIT,
                severity=severity,
                found_on=min(audit.ends_on, today),
                clauses=[clause] if clause is not None else [],
                source_object=finding,
            )
    return finding


def finding_update(
    *, actor: User, finding: ExternalFinding, expected_version: int | None, **values: Any
) -> ExternalFinding:
    """Correct a finding's statement, evidence or deadline (its grade stays as the body gave
    it: a regraded finding is a new one)."""
    ensure_allowed(
        actor=actor,
        organization=finding.organization,
        permission="certification.manage",
        obj=finding,
    )
    values = _strip(values)
    if "grade" in values and values["grade"] != finding.grade:
        raise ValidationError({"grade": _("The grade stays as the body gave it.")})
    values.pop("grade", None)

    def validate(locked: ExternalFinding) -> None:
        _check_finding(
            finding.audit, {"grade": locked.grade, "response_due_on": locked.response_due_on}
        )

    updated, _changes = model_update(
        instance=finding,
        actor=actor,
        fields=values,
        allowed=("clause", "statement", "evidence", "response_due_on"),
        expected_version=expected_version,
        action="certification.finding.updated",
        validate=validate,
    )
    return updated


# The steps of a nonconformity's answer, in order: the response is sent, the body accepts it,
# and the body verifies it (by document review, a follow-up visit or at the next surveillance).
STEPS = {
    "submit": ExternalFinding.Status.SUBMITTED,
    "accept": ExternalFinding.Status.ACCEPTED,
    "verify": ExternalFinding.Status.VERIFIED,
}
STEP_FROM = {
    "submit": (ExternalFinding.Status.OPEN,),
    "accept": (ExternalFinding.Status.SUBMITTED,),
    "verify": (ExternalFinding.Status.SUBMITTED, ExternalFinding.Status.ACCEPTED),
}


def finding_answer(
    *,
    actor: User,
    finding: ExternalFinding,
    step: str,
    on: datetime.date,
    response: str = "",
    verification: str = "",
    expected_version: int | None = None,
) -> ExternalFinding:
    """Move a nonconformity on: `submit` the response (a major's correction, root cause and
    corrective action; a minor's plan), the body's `accept`ance, its `verify`."""
    ensure_allowed(
        actor=actor,
        organization=finding.organization,
        permission="certification.respond",
        obj=finding,
    )
    if step not in STEPS:
        raise ValidationError({"step": _("Unknown step.")})
    if not finding.is_nonconformity:
        raise ValidationError(_("Only a nonconformity is answered to the body."))
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if on < finding.audit.starts_on:
        raise ValidationError({"on": _("The date comes after the audit has started.")})
    to: dict[str, Any] = {"status": STEPS[step]}
    if step == "submit":
        if not response.strip():
            raise ValidationError({"response": _("Say what was sent to the body.")})
        to.update(response=response.strip(), submitted_on=on)
    elif step == "accept":
        to["accepted_on"] = on
    else:
        if verification not in ExternalFinding.Verification.values or not verification:
            raise ValidationError({"verification": _("Say how the body verified it.")})
        to.update(verification=verification, verified_on=on)

    def check(locked: ExternalFinding) -> None:
        if locked.status not in STEP_FROM[step]:
            raise ValidationError(
                _("The finding is %(status)s.") % {"status": locked.get_status_display().lower()}
            )

    return model_transition(
        instance=finding,
        actor=actor,
        action="certification.finding.answered",
        to=to,
        check=check,
        expected_version=expected_version,
    )


# Documentation packs (made in `pack.py`) ------------------------------------------------------


def pack_downloaded(*, actor: User, pack: DocumentationPack) -> None:
    """Note in the trail who took a pack away: the MR sees what the auditor was given."""
    ensure_allowed(
        actor=actor,
        organization=pack.organization,
        permission="certification.download_pack",
        obj=pack,
    )
    trail.record(
        action="certification.pack.downloaded",
        actor=actor,
        organization=pack.organization,
        obj=pack.audit,
        changes={"pack": pack.file_name, "sha256": pack.sha256},
    )
