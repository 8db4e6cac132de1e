"""Findings, the one-step nonconformity, and signing the report (which closes the audit)."""

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.audits import notifications
from pdca.audits.models import Audit, AuditReport, ChecklistQuestion, Finding
from pdca.audits.report import report_content, report_pdf
from pdca.audits.services.checklist import require_team
from pdca.core import trail
from pdca.core.models import User
from pdca.core.signatures import confirm_password
from pdca.core.updating import model_transition
from pdca.improvement import selectors as improvement_selectors
from pdca.improvement import services as improvement
from pdca.improvement.models import Nonconformity, Source
from pdca.standards.evidence import evidence_set
from pdca.standards.models import Clause, Process

FINDING_FIELDS = ("grade", "clause", "process", "statement", "evidence", "requirement")
PROGRAMME_CLAUSES = ("9.2", "9.2.2")


def finding_record(
    *,
    actor: User,
    audit: Audit,
    grade: str,
    statement: str,
    clause: Clause | None = None,
    process: Process | None = None,
    evidence: str = "",
    requirement: str = "",
    question: ChecklistQuestion | None = None,
    raise_nonconformity: bool = True,
) -> Finding:
    """Record a finding; a minor or major nonconformity raises its nonconformity record in the
    same step (unless `raise_nonconformity` is False)."""
    require_team(audit, actor)
    errors: dict[str, str] = {}
    if grade not in Finding.Grade.values:
        errors["grade"] = _("Choose a grade.")
    if not statement.strip():
        errors["statement"] = _("State the finding.")
    if grade in Finding.NONCONFORMITIES:
        if not requirement.strip():
            errors["requirement"] = _("A nonconformity names the requirement that is not met.")
        if not evidence.strip():
            errors["evidence"] = _("A nonconformity rests on objective evidence.")
    if process is not None and process.organization_id != audit.organization_id:
        errors["process"] = _("Choose one of this organization's processes.")
    if question is not None and question.audit_id != audit.pk:
        errors["question"] = _("That question belongs to another audit.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        finding = Finding.objects.create(
            organization=audit.organization,
            audit=audit,
            question=question,
            grade=grade,
            clause=clause,
            process=process,
            statement=statement.strip(),
            evidence=evidence.strip(),
            requirement=requirement.strip(),
            created_by=actor,
        )
        trail.record(
            action="audits.finding.recorded",
            actor=actor,
            organization=audit.organization,
            obj=audit,
            changes=trail.created_fields(finding, FINDING_FIELDS),
        )
        notifications.finding_recorded(actor=actor, finding=finding)
        if finding.is_nonconformity and raise_nonconformity:
            finding_raise_nonconformity(actor=actor, finding=finding)
    return finding


def finding_raise_nonconformity(*, actor: User, finding: Finding) -> Nonconformity:
    """Open the nonconformity record for a nonconformity finding (once)."""
    if not finding.is_nonconformity:
        raise ValidationError(
            _("Only a minor or major nonconformity raises a nonconformity record.")
        )
    existing = improvement_selectors.raised_from(finding)
    if existing is not None:
        return existing
    audit = finding.audit
    department = audit.departments.first()
    return improvement.nonconformity_raise(
        actor=actor,
        organization=finding.organization,
        title=f"{audit.reference}: {finding.statement[:150]}",
        description=_(
            "%(statement)s\n\nEvidence: %(evidence)s\nRequirement not met: %(requirement)s"
        )
        % {
            "statement": finding.statement,
            "evidence": finding.evidence,
            "requirement": finding.requirement,
        },
        source=Source.AUDIT if audit.kind != Audit.Kind.EXTERNAL else Source.EXTERNAL_AUDIT,
        severity=(
            Nonconformity.Severity.MAJOR
            if finding.grade == Finding.Grade.MAJOR
            else Nonconformity.Severity.MINOR
        ),
        found_on=min(timezone.localdate(), audit.planned_end),
        clauses=[finding.clause] if finding.clause else [],
        department=department,
        process=finding.process,
        source_object=finding,
    )


def finding_acknowledge(*, actor: User, finding: Finding, note: str = "") -> Finding:
    """The auditee confirms they were told of the finding (agreeing or noting their view)."""
    if finding.acknowledged_by_id is not None:
        raise ValidationError(_("This finding is already acknowledged."))
    with transaction.atomic():
        finding.acknowledged_by = actor
        finding.acknowledged_at = timezone.now()
        finding.acknowledgement_note = note.strip()
        finding.save(update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement_note"])
        trail.record(
            action="audits.finding.acknowledged",
            actor=actor,
            organization=finding.organization,
            obj=finding.audit,
            changes={"finding": [None, str(finding)], "note": [None, finding.acknowledgement_note]},
        )
    return finding


def report_sign(
    *,
    actor: User,
    audit: Audit,
    password: str,
    summary: str | None = None,
    conclusion: str | None = None,
) -> AuditReport:
    """The lead auditor signs the report with the password: the signed text's SHA-256 and PDF
    are stored, the audit closes, and the report becomes evidence for clause 9.2 of each
    standard audited."""
    if audit.lead_auditor_id != actor.pk:
        raise ValidationError(_("Only the lead auditor signs the report."))
    confirm_password(
        actor=actor,
        password=password,
        organization=audit.organization,
        obj=audit,
        refused_action="audits.report.signature_refused",
    )
    with transaction.atomic():
        current = Audit.objects.select_for_update(no_key=True).get(pk=audit.pk)
        verdict = current.can_be_signed()
        if verdict is not True:
            raise ValidationError(str(verdict))
        if summary is not None:
            current.summary = summary.strip()
        if conclusion is not None:
            current.conclusion = conclusion.strip()
        if not current.conclusion.strip():
            raise ValidationError({"conclusion": _("Write the audit's conclusion before signing.")})
        content = report_content(current)
        text = content.as_text()
        digest = hashlib.sha256(text.encode()).hexdigest()
        now = timezone.now()
        pdf = report_pdf(
            content,
            signed_by=str(actor),
            signed_at=now.strftime("%Y-%m-%d %H:%M UTC"),
            digest=digest,
        )
        report = AuditReport.objects.create(
            organization=current.organization,
            audit=current,
            content=text,
            sha256=digest,
            pdf=pdf,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            signed_by=actor,
            signed_at=now,
        )
        trail.record(
            action="audits.report.signed",
            actor=actor,
            organization=current.organization,
            obj=current,
            changes={"sha256": [None, digest], "pdf_sha256": [None, report.pdf_sha256]},
            reason=_("Signed by the lead auditor with password re-entry."),
        )
        current = model_transition(
            instance=current,
            actor=actor,
            action="audits.audit.closed",
            to={
                "status": Audit.Status.CLOSED,
                "closed_at": now,
                "summary": current.summary,
                "conclusion": current.conclusion,
            },
            record=("status",),
        )
        editions: list[Any] = content.standards or list({c.edition for c in content.clauses})
        clauses = list(Clause.objects.filter(edition__in=editions, number__in=PROGRAMME_CLAUSES))
        if clauses:
            evidence_set(
                actor=actor,
                organization=current.organization,
                obj=report,
                clauses=clauses,
                note=_("Signed audit report %(ref)s") % {"ref": current.reference},
            )
    return report
