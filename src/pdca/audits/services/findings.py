"""Findings, the one-step nonconformity, and signing the report (which closes the audit)."""

import datetime
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.audits import notifications
from pdca.audits.models import Audit, AuditReport, ChecklistQuestion, Finding
from pdca.audits.models.checklist import Answer
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

FINDING_FIELDS = (
    "grade",
    "clause",
    "no_clause_reason",
    "process",
    "statement",
    "evidence",
    "requirement",
)
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
    no_clause_reason: str = "",
    question: ChecklistQuestion | None = None,
    raise_nonconformity: bool = True,
) -> Finding:
    """Record a finding; a minor or major nonconformity raises its nonconformity record in the
    same step (unless `raise_nonconformity` is False). A nonconformity names its clause, or
    says why none applies."""
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
        if clause is None and not no_clause_reason.strip():
            errors["clause"] = _(
                "A nonconformity names the clause it breaks, or says why none applies (for "
                "example the requirement is one of the organization's own procedures, a "
                "contract or the law)."
            )
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
            no_clause_reason="" if clause is not None else no_clause_reason.strip(),
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


def finding_refusal_record(*, actor: User, finding: Finding, reason: str) -> Finding:
    """The audit team records that the auditee would not acknowledge a finding, and what they
    said: the report can then be signed with the disagreement on record."""
    require_team(finding.audit, actor)
    if finding.acknowledged_by_id is not None:
        raise ValidationError(_("This finding is already acknowledged."))
    if finding.refusal_recorded_at is not None:
        raise ValidationError(_("The auditee's refusal is already recorded."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the auditee would not acknowledge it.")})
    with transaction.atomic():
        finding.refusal_reason = reason.strip()
        finding.refusal_recorded_by = actor
        finding.refusal_recorded_at = timezone.now()
        finding.save(update_fields=["refusal_reason", "refusal_recorded_by", "refusal_recorded_at"])
        trail.record(
            action="audits.finding.acknowledgement_refused",
            actor=actor,
            organization=finding.organization,
            obj=finding.audit,
            changes={"finding": [None, str(finding)], "reason": [None, finding.refusal_reason]},
        )
    return finding


def signing_problems(audit: Audit, today: datetime.date | None = None) -> list[str]:
    """Why the report cannot be signed yet: the audit has not happened (status, dates), a
    checklist question is unanswered or not checked without a reason, an edit conflict is open,
    or a nonconformity is neither acknowledged nor its refusal recorded. Empty when it can."""
    verdict = audit.can_be_signed(today or timezone.localdate())
    if verdict is not True:
        return [str(verdict)]
    problems = []
    # Numbered as the checklist shows them (1, 2, 3 … in their order).
    numbered = list(
        enumerate(audit.questions.values_list("answer", "notes", "has_conflict"), start=1)
    )
    unanswered = [i for i, (answer, _n, _c) in numbered if not answer]
    no_reason = [
        i
        for i, (answer, notes, _c) in numbered
        if answer == Answer.NOT_CHECKED and not notes.strip()
    ]
    conflicts = [i for i, (_a, _n, conflict) in numbered if conflict]
    if unanswered:
        problems.append(
            _(
                "Checklist questions not answered: %(numbers)s. Answer each, or mark it not "
                "checked and say why in its notes."
            )
            % {"numbers": _numbers(unanswered)}
        )
    if no_reason:
        problems.append(
            _(
                "Checklist questions marked not checked without a reason: %(numbers)s. Say why "
                "in each one's notes."
            )
            % {"numbers": _numbers(no_reason)}
        )
    if conflicts:
        problems.append(
            _("Checklist questions with conflicting edits not yet reviewed: %(numbers)s.")
            % {"numbers": _numbers(conflicts)}
        )
    open_ncs = list(
        audit.findings.filter(
            grade__in=Finding.NONCONFORMITIES,
            acknowledged_by__isnull=True,
            refusal_recorded_at__isnull=True,
        ).order_by("pk")
    )
    if open_ncs:
        problems.append(
            _(
                "Nonconformities not acknowledged by the auditee, nor their refusal recorded: "
                "%(findings)s."
            )
            % {"findings": "; ".join(f.statement[:60] for f in open_ncs)}
        )
    return problems


def _numbers(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:20])
    return shown + (" …" if len(numbers) > 20 else "")


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
    problems = signing_problems(Audit.objects.get(pk=audit.pk))  # not a stale copy's status
    if problems:
        raise ValidationError(problems)
    confirm_password(
        actor=actor,
        password=password,
        organization=audit.organization,
        obj=audit,
        refused_action="audits.report.signature_refused",
    )
    with transaction.atomic():
        current = Audit.objects.select_for_update(no_key=True).get(pk=audit.pk)
        problems = signing_problems(current)  # again, under the lock
        if problems:
            raise ValidationError(problems)
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
