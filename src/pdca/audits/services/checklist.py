"""Checklists: generation from the audit's clauses and processes, editing, templates, and the
answers that arrive from phones (possibly late, possibly twice, possibly from two devices)."""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.audits.models import (
    Audit,
    ChecklistAnswerRevision,
    ChecklistPhoto,
    ChecklistQuestion,
    ChecklistTemplate,
    ChecklistTemplateItem,
)
from pdca.audits.models.checklist import Answer
from pdca.audits.policies import on_the_team
from pdca.audits.services.planning import last_position
from pdca.core import trail
from pdca.core.models import Membership, User
from pdca.core.updating import model_transition
from pdca.documents.models import Document
from pdca.documents.selectors import effective_of_processes
from pdca.standards.models import Clause

MAX_PHOTO_BYTES = 5 * 1024 * 1024
IMAGE_MAGIC = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


def is_on_team(audit: Audit, user: User) -> bool:
    """The audits policy's rule for conducting an audit, for a user rather than a membership."""
    membership = Membership.objects.filter(organization=audit.organization, user=user).first()
    return membership is not None and on_the_team(membership, audit) is True


def require_team(audit: Audit, user: User) -> None:
    if not is_on_team(audit, user):
        raise ValidationError(
            _("Only the audit team can work on this audit's checklist and findings.")
        )
    if audit.is_closed:
        raise ValidationError(_("The audit is closed: its report is signed."))


def _question_text(clause: Clause) -> str:
    return f"{clause.number} {clause.title}: is it met, and what shows it?"


def _document_questions(actor: User, audit: Audit, position: int) -> int:
    """A question per effective document of the audited processes: is practice what it says?"""
    membership = Membership.objects.filter(organization=audit.organization, user=actor).first()
    process_ids = list(audit.processes.values_list("pk", flat=True))
    if membership is None or not process_ids:
        return 0
    asked = set(audit.questions.exclude(document=None).values_list("document_id", flat=True))
    documents = [d for d in effective_of_processes(membership, process_ids) if d.pk not in asked]
    ChecklistQuestion.objects.bulk_create(
        ChecklistQuestion(
            organization=audit.organization,
            audit=audit,
            position=position + i,
            text=f"{document.number} {document.title}: "
            + (
                "is it the current form, filled in completely and kept?"
                if document.doc_type == "form"
                else "is the work done as it says, and are its records kept?"
            ),
            guidance=(
                f"Ask for the document where the work is done: it must be revision "
                f"{document.current_revision.label if document.current_revision else '?'}"
                f"{_since(document)}. Compare what people do with it, and look for its "
                "forms and records filled in."
            ),
            process_id=document.process_id,
            document=document,
        )
        for i, document in enumerate(documents, start=1)
    )
    return len(documents)


def _since(document: Document) -> str:
    revision = document.current_revision
    if revision is None or revision.effective_from is None:
        return ""
    return f", effective since {revision.effective_from:%Y-%m-%d}"


def checklist_generate(*, actor: User, audit: Audit) -> int:
    """Add a question per clause in scope (and its sub-clauses), per process, and per effective
    document of those processes that the actor may see. Questions already there are kept and
    not asked twice, so generating again only adds what the scope gained.

    In an integrated audit, clauses that share a harmonized-structure clause are asked once; the
    question lists the other standards' clauses it also answers. Returns the number added.
    """
    require_team(audit, actor)
    with transaction.atomic():
        selected = list(audit.clauses.values_list("pk", flat=True))
        clauses = list(
            Clause.objects.filter(Q(pk__in=selected) | Q(parent__in=selected))
            .select_related("edition__standard")
            .order_by("sort_key", "edition__standard__code")
        )
        existing = set(audit.questions.exclude(clause=None).values_list("clause_id", flat=True))
        existing |= set(
            ChecklistQuestion.also_clauses.through.objects.filter(
                checklistquestion__audit=audit
            ).values_list("clause_id", flat=True)
        )
        existing_processes = set(
            audit.questions.exclude(process=None).values_list("process_id", flat=True)
        )
        position = last_position(audit)
        by_hs: dict[int, ChecklistQuestion] = {}
        added = 0
        for clause in clauses:
            if clause.pk in existing:
                continue
            if clause.hs_id is not None and clause.hs_id in by_hs:
                by_hs[clause.hs_id].also_clauses.add(clause)
                continue
            position += 1
            question = ChecklistQuestion.objects.create(
                organization=audit.organization,
                audit=audit,
                position=position,
                text=_question_text(clause),
                guidance=clause.guidance,
                clause=clause,
            )
            if clause.hs_id is not None:
                by_hs[clause.hs_id] = question
            added += 1
        for process in audit.processes.exclude(pk__in=existing_processes).select_related("owner"):
            position += 1
            ChecklistQuestion.objects.create(
                organization=audit.organization,
                audit=audit,
                position=position,
                text=_("Process %(process)s: is it run as documented, and are its KPIs watched?")
                % {"process": process},
                guidance=_(
                    "Purpose: %(purpose)s\nInputs: %(inputs)s\nOutputs: %(outputs)s\n"
                    "Ask the owner (%(owner)s) for the current procedure, recent records and "
                    "KPI results."
                )
                % {
                    "purpose": process.purpose,
                    "inputs": process.inputs,
                    "outputs": process.outputs,
                    "owner": process.owner or _("none"),
                },
                process=process,
            )
            added += 1
        added += _document_questions(actor, audit, position)
        trail.record(
            action="audits.checklist.generated",
            actor=actor,
            organization=audit.organization,
            obj=audit,
            changes={"questions_added": [None, added]},
        )
    return added


def question_save(
    *,
    actor: User,
    audit: Audit,
    text: str,
    guidance: str = "",
    question: ChecklistQuestion | None = None,
    clause: Clause | None = None,
) -> ChecklistQuestion:
    require_team(audit, actor)
    if not text.strip():
        raise ValidationError({"text": _("Write the question.")})
    with transaction.atomic():
        if question is None:
            question = ChecklistQuestion(
                organization=audit.organization,
                audit=audit,
                position=last_position(audit) + 1,
                clause=clause,
            )
            before = {}
        else:
            before = trail.snapshot(question, ("text", "guidance"))
        question.text, question.guidance = text.strip(), guidance.strip()
        question.save()
        trail.record(
            action="audits.checklist.question_saved",
            actor=actor,
            organization=audit.organization,
            obj=audit,
            changes=trail.changes_between(before, trail.snapshot(question, ("text", "guidance"))),
        )
    return question


def question_remove(*, actor: User, question: ChecklistQuestion) -> None:
    """Remove a question that has not been answered; answered ones stay as evidence."""
    require_team(question.audit, actor)
    if question.answer or question.revisions.exists() or question.findings.exists():
        raise ValidationError(_("This question has been answered: it stays as audit evidence."))
    with transaction.atomic():
        trail.record(
            action="audits.checklist.question_removed",
            actor=actor,
            organization=question.organization,
            obj=question.audit,
            changes={"question": [question.text, None]},
        )
        question.also_clauses.clear()
        question.delete()


def template_save(*, actor: User, audit: Audit, name: str) -> ChecklistTemplate:
    if not name.strip():
        raise ValidationError({"name": _("Name the template.")})
    with transaction.atomic():
        if ChecklistTemplate.objects.filter(organization=audit.organization, name=name).exists():
            raise ValidationError({"name": _("A template with this name exists already.")})
        template = ChecklistTemplate.objects.create(
            organization=audit.organization, name=name.strip(), created_by=actor
        )
        ChecklistTemplateItem.objects.bulk_create(
            ChecklistTemplateItem(
                template=template,
                position=q.position,
                text=q.text,
                guidance=q.guidance,
                clause_id=q.clause_id,
            )
            for q in audit.questions.all()
        )
        trail.record(
            action="audits.template.saved",
            actor=actor,
            organization=audit.organization,
            obj=template,
            changes={"from_audit": [None, audit.reference]},
        )
    return template


def template_apply(*, actor: User, audit: Audit, template: ChecklistTemplate) -> int:
    require_team(audit, actor)
    if template.organization_id != audit.organization_id:
        raise ValidationError({"template": _("Choose one of this organization's templates.")})
    with transaction.atomic():
        position = last_position(audit)
        items = list(template.items.all())
        ChecklistQuestion.objects.bulk_create(
            ChecklistQuestion(
                organization=audit.organization,
                audit=audit,
                position=position + i,
                text=item.text,
                guidance=item.guidance,
                clause_id=item.clause_id,
            )
            for i, item in enumerate(items, start=1)
        )
        trail.record(
            action="audits.template.applied",
            actor=actor,
            organization=audit.organization,
            obj=audit,
            changes={"template": [None, template.name], "questions_added": [None, len(items)]},
        )
    return len(items)


@dataclass
class AnswerResult:
    """What happened to one submitted answer: "saved", "conflict" (kept as a revision, the
    question flagged) or "duplicate" (this client id was already received)."""

    outcome: str
    question: ChecklistQuestion
    revision: ChecklistAnswerRevision


def answer_submit(
    *,
    actor: User,
    question: ChecklistQuestion,
    client_id: str,
    base_version: int,
    answer: str,
    notes: str = "",
    evidence_seen: str = "",
) -> AnswerResult:
    """Save one answer sent by a device.

    Idempotent on `client_id`: a resend returns the first outcome. When `base_version` is not the
    question's current version, another device saved in between: the current answer stays, this
    edit is kept as a conflicting revision and the question is flagged, so nothing is lost.
    """
    if answer and answer not in Answer.values:
        raise ValidationError(
            {"answer": _("Answer conform, nonconform, observation or not checked.")}
        )
    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > 64:
        raise ValidationError(
            {"client_id": _("Each answer needs a client id (up to 64 characters).")}
        )
    if base_version < 0:
        raise ValidationError({"base_version": _("Not a version.")})
    previous = ChecklistAnswerRevision.objects.filter(client_id=client_id).first()
    if previous is not None:
        if previous.question_id != question.pk:
            raise ValidationError({"client_id": _("This client id was used for another question.")})
        return AnswerResult("duplicate", ChecklistQuestion.objects.get(pk=question.pk), previous)
    require_team(question.audit, actor)
    try:
        with transaction.atomic():
            current = ChecklistQuestion.objects.select_for_update(no_key=True).get(pk=question.pk)
            accepted = current.version == base_version
            revision = ChecklistAnswerRevision.objects.create(
                organization=current.organization,
                question=current,
                client_id=client_id,
                base_version=base_version,
                answer=answer,
                notes=notes,
                evidence_seen=evidence_seen,
                author=actor,
                accepted=accepted,
            )
            if accepted:
                current = model_transition(
                    instance=current,
                    actor=actor,
                    action="audits.checklist.answered",
                    to={
                        "answer": answer,
                        "notes": notes,
                        "evidence_seen": evidence_seen,
                        "answered_by": actor,
                        "answered_at": timezone.now(),
                    },
                    record=("answer", "notes", "evidence_seen"),
                    context={"question": [None, current.text[:80]]},
                    organization=current.organization,
                    record_on=current.audit,
                )
            else:
                current.has_conflict = True
                current.save(update_fields=["has_conflict"])
                trail.record(
                    action="audits.checklist.conflict",
                    actor=actor,
                    organization=current.organization,
                    obj=current.audit,
                    changes={
                        "question": [None, current.text[:80]],
                        "kept_answer": [None, answer],
                        "kept_notes": [None, notes],
                    },
                    reason=_("Edited from version %(base)s; current is %(current)s.")
                    % {"base": base_version, "current": current.version},
                )
    except IntegrityError:
        # The same client id arrived twice at once: the other request saved it.
        revision = ChecklistAnswerRevision.objects.get(client_id=client_id)
        return AnswerResult("duplicate", ChecklistQuestion.objects.get(pk=question.pk), revision)
    return AnswerResult("saved" if accepted else "conflict", current, revision)


def conflict_resolve(*, actor: User, question: ChecklistQuestion) -> None:
    """Mark the question's conflicting edits as reviewed (the auditor merged them by hand)."""
    require_team(question.audit, actor)
    with transaction.atomic():
        question.revisions.filter(accepted=False).update(resolved=True)
        ChecklistQuestion.objects.filter(pk=question.pk).update(has_conflict=False)
        trail.record(
            action="audits.checklist.question_saved",
            actor=actor,
            organization=question.organization,
            obj=question.audit,
            changes={"conflict_reviewed": [None, question.text[:80]]},
        )


def sniff_image(data: bytes) -> str | None:
    for magic, mime in IMAGE_MAGIC.items():
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def photo_add(
    *, actor: User, question: ChecklistQuestion, client_id: str, name: str, data: bytes
) -> ChecklistPhoto:
    """Attach a photo; idempotent on `client_id`. Only real JPEG/PNG/GIF/WebP up to 5 MB."""
    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > 64:
        raise ValidationError(
            {"client_id": _("Each photo needs a client id (up to 64 characters).")}
        )
    existing = ChecklistPhoto.objects.filter(client_id=client_id).first()
    if existing is not None:
        return existing
    if not data:
        raise ValidationError({"photo": _("The photo is empty.")})
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": _("The photo is larger than 5 MB.")})
    mime = sniff_image(data)
    if mime is None:
        raise ValidationError({"photo": _("This is not a JPEG, PNG, GIF or WebP image.")})
    require_team(question.audit, actor)
    with transaction.atomic():
        photo = ChecklistPhoto.objects.create(
            organization=question.organization,
            question=question,
            client_id=client_id,
            name=(name or "photo")[:200],
            content_type=mime,
            data=data,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
        )
        trail.record(
            action="audits.checklist.photo_added",
            actor=actor,
            organization=question.organization,
            obj=question.audit,
            changes={"photo": [None, f"{photo.name} ({photo.size} bytes, {photo.sha256[:12]})"]},
        )
    return photo
