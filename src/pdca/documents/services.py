"""Every write to controlled documents: numbering, revisions, the signed workflow, reading.

Each service runs in one transaction, takes the acting user and records the audit trail.
Uploaded files reach storage only after their check passed, and are deleted again when the
transaction fails. Signing services check the password first and record a wrong one.
"""

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core import trail
from pdca.core.assignable import check_assignable
from pdca.core.dates import add_months
from pdca.core.models import Department, Membership, Organization, User
from pdca.core.updating import check_version, model_transition, model_update
from pdca.core.uploads import check_upload, discard_on_failure, store_checked
from pdca.documents import hooks, notifications, search
from pdca.documents.models import (
    DEFAULT_PREFIXES,
    Acknowledgement,
    Distribution,
    DocType,
    Document,
    DocumentStatus,
    Meaning,
    NumberingScheme,
    Revision,
    RevisionStatus,
)
from pdca.documents.signing import sign, verify_password
from pdca.standards.evidence import evidence_set
from pdca.standards.models import Clause

DOCUMENT_FIELDS = (
    "doc_type",
    "number",
    "title",
    "owner",
    "department",
    "process",
    "confidentiality",
    "allowed_roles",
    "review_interval_months",
    "historic_retention_months",
    "next_review_date",
)
# A document of external origin's register entry, changed with its details; its edition and
# where it was obtained change only by registering a new edition (`documents.external`).
EXTERNAL_DETAIL_FIELDS = (
    "issuer",
    "external_reference",
    "edition_check_months",
    "next_edition_check",
)
OPEN_STATUSES = (RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW, RevisionStatus.APPROVED)


def content_hash(text: str, file_bytes: bytes | None) -> str:
    digest = hashlib.sha256(text.encode())
    digest.update(b"\x00")
    if file_bytes:
        digest.update(file_bytes)
    return digest.hexdigest()


# Numbering -----------------------------------------------------------------------------------


def scheme_save(
    *, actor: User, organization: Organization, doc_type: str, prefix: str, digits: int
) -> NumberingScheme:
    with transaction.atomic():
        scheme, created = NumberingScheme.objects.select_for_update(no_key=True).get_or_create(
            organization=organization,
            doc_type=doc_type,
            defaults={"prefix": prefix, "digits": digits},
        )
        before = {} if created else trail.snapshot(scheme, ("prefix", "digits"))
        scheme.prefix, scheme.digits = prefix, digits
        scheme.full_clean()
        scheme.save()
        trail.record(
            action="documents.scheme.saved",
            actor=actor,
            organization=organization,
            obj=scheme,
            changes=trail.changes_between(before, trail.snapshot(scheme, ("prefix", "digits"))),
        )
    return scheme


def _allocate_number(organization: Organization, doc_type: str) -> str:
    """The next free number of the type's scheme, taken under the scheme's row lock."""
    NumberingScheme.objects.get_or_create(
        organization=organization,
        doc_type=doc_type,
        defaults={"prefix": DEFAULT_PREFIXES.get(doc_type, "DOC")},  # type: ignore[call-overload]
    )
    scheme = NumberingScheme.objects.select_for_update(no_key=True).get(
        organization=organization, doc_type=doc_type
    )
    while True:
        number = scheme.format(scheme.next_number)
        scheme.next_number += 1
        if not Document.objects.filter(organization=organization, number=number).exists():
            break
    scheme.save(update_fields=["next_number"])
    return number


# Documents -----------------------------------------------------------------------------------


def _set_clauses(actor: User, document: Document, clauses: Iterable[Clause] | None) -> None:
    if clauses is not None:
        evidence_set(actor=actor, organization=document.organization, obj=document, clauses=clauses)


def document_create(
    *,
    actor: User,
    organization: Organization,
    doc_type: str,
    title: str,
    owner: User,
    number: str = "",
    department: Department | None = None,
    process: Any = None,
    confidentiality: str = "internal",
    allowed_roles: list[str] | None = None,
    review_interval_months: int = 12,
    clauses: Iterable[Clause] | None = None,
    reviewers: Iterable[User] = (),
    approvers: Iterable[User] = (),
    text: str = "",
    upload: UploadedFile | None = None,
    change_reason: str = "First issue",
    external: bool = False,
    historic_retention_months: int = 36,
) -> Document:
    """A new document with its first draft revision; the number comes from the type's scheme
    unless one is given, and a number already in use is refused. A document has a text or a
    file (or both). A document of external origin is registered (`documents.external`), not
    written and approved here."""
    if (doc_type == DocType.EXTERNAL) != external:
        raise ValidationError(
            {"doc_type": _("A document of external origin is registered, not written here.")}
        )
    reviewers, approvers = list(reviewers), list(approvers)
    check_assignable(organization, owner, "owner")
    check_assignable(organization, reviewers, "reviewers")
    check_assignable(organization, approvers, "approvers")
    if not text.strip() and upload is None:
        raise ValidationError({"text": _("Write the text or upload a file (or both).")})
    checked = check_upload(upload) if upload else None
    stored: list[str] = []
    with discard_on_failure(stored), transaction.atomic():
        number = number.strip().upper()
        if number:
            if Document.objects.filter(organization=organization, number=number).exists():
                raise ValidationError(
                    {"number": _("The number %(number)s is already in use.") % {"number": number}}
                )
        else:
            number = _allocate_number(organization, doc_type)
        document = Document(
            organization=organization,
            doc_type=doc_type,
            number=number,
            title=title,
            owner=owner,
            department=department,
            process=process,
            confidentiality=confidentiality,
            allowed_roles=list(allowed_roles or []),
            review_interval_months=review_interval_months,
            historic_retention_months=historic_retention_months,
            search_text=text,
        )
        document.full_clean(exclude=["current_revision", "latest_revision"])
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            raise ValidationError(
                {"number": _("The number %(number)s is already in use.") % {"number": number}}
            ) from None
        document.reviewers.set(list(reviewers))
        document.approvers.set(list(approvers))
        revision = Revision(
            organization=organization,
            document=document,
            seq=1,
            label="1",
            change_reason=change_reason,
            author=actor,
            text=text,
        )
        if checked:
            name = store_checked(checked, f"documents/{organization.pk}")
            stored.append(name)
            _attach(revision, checked, name)
        revision.content_hash = content_hash(text, checked.content if checked else None)
        revision.save()
        document.latest_revision = revision
        document.save(update_fields=["latest_revision"])
        _set_clauses(actor, document, clauses)
        trail.record(
            action="documents.document.created",
            actor=actor,
            organization=organization,
            obj=document,
            changes=trail.created_fields(document, DOCUMENT_FIELDS),
        )
        search.index_document(document)
    return document


def _attach(revision: Revision, checked: Any, name: str) -> None:
    revision.file.name = name
    revision.file_name = checked.name
    revision.file_size = checked.size
    revision.file_type = checked.kind


def document_update(
    *,
    actor: User,
    document: Document,
    version: int,
    clauses: Iterable[Clause] | None = None,
    reviewers: Iterable[User] | None = None,
    approvers: Iterable[User] | None = None,
    **values: Any,
) -> Document:
    """Change a document's metadata, reviewers and approvers; a stale `version` is refused
    (someone saved meanwhile) and a number already in use too. A document of external origin
    stays one (and no internal document becomes one): it is registered, not written."""
    if "doc_type" in values and (values["doc_type"] == DocType.EXTERNAL) != document.is_external:
        raise ValidationError(
            {"doc_type": _("A document of external origin is registered, not written here.")}
        )
    if "owner" in values:
        check_assignable(document.organization, values["owner"], "owner")
    related = {}
    if reviewers is not None:
        related["reviewers"] = reviewers = list(reviewers)
    if approvers is not None:
        related["approvers"] = approvers = list(approvers)
    check_assignable(document.organization, reviewers, "reviewers")
    check_assignable(document.organization, approvers, "approvers")
    number = values.get("number")
    if number is not None:
        values["number"] = number = number.strip().upper()

    def number_free(current: Document) -> None:
        if (
            number is not None
            and Document.objects.filter(organization=current.organization, number=number)
            .exclude(pk=current.pk)
            .exists()
        ):
            raise ValidationError(
                {"number": _("The number %(number)s is already in use.") % {"number": number}}
            )

    with transaction.atomic():
        stored, _changes = model_update(
            instance=document,
            actor=actor,
            fields=values,
            allowed=(
                *DOCUMENT_FIELDS,
                "reviewers",
                "approvers",
                *(EXTERNAL_DETAIL_FIELDS if document.is_external else ()),
            ),
            expected_version=version,
            action="documents.document.updated",
            validate=number_free,
            related=related,
            clean_exclude=("current_revision", "latest_revision"),
        )
        _set_clauses(actor, stored, clauses)
        search.index_document(stored)
    return stored


def distribution_set(
    *,
    actor: User,
    document: Document,
    roles: Iterable[str] = (),
    departments: Iterable[Department] = (),
    users: Iterable[User] = (),
) -> None:
    """Replace who the document is distributed to (read and acknowledge)."""
    with transaction.atomic():
        before = sorted(str(d) for d in document.distribution.select_related("department", "user"))
        document.distribution.all().delete()
        rows = [
            Distribution(organization=document.organization, document=document, role=r)
            for r in roles
        ]
        rows += [
            Distribution(organization=document.organization, document=document, department=d)
            for d in departments
        ]
        rows += [
            Distribution(organization=document.organization, document=document, user=u)
            for u in users
        ]
        Distribution.objects.bulk_create(rows)
        after = sorted(str(d) for d in rows)
        trail.record(
            action="documents.distribution.changed",
            actor=actor,
            organization=document.organization,
            obj=document,
            changes={"distribution": [before, after]},
        )


# Revisions -----------------------------------------------------------------------------------


def revision_start(*, actor: User, document: Document, change_reason: str) -> Revision:
    """A new draft revision, starting from the latest text and file of the document."""
    if not change_reason.strip():
        raise ValidationError({"change_reason": _("Say why the document changes.")})
    with transaction.atomic():
        doc = Document.objects.select_for_update(no_key=True).get(pk=document.pk)
        if doc.status == DocumentStatus.OBSOLETE:
            raise ValidationError(_("This document is obsolete: it cannot be revised."))
        if doc.is_external:
            raise ValidationError(
                _("A document of external origin is not revised here: register its new edition.")
            )
        if doc.revisions.filter(status__in=OPEN_STATUSES).exists():
            raise ValidationError(
                _("This document already has a revision in progress: finish or edit that one.")
            )
        base = doc.latest_revision
        seq = (base.seq if base else 0) + 1
        revision = Revision(
            organization=doc.organization,
            document=doc,
            seq=seq,
            label=str(seq),
            change_reason=change_reason,
            author=actor,
            text=base.text if base else "",
        )
        if base and base.file:
            revision.file.name = base.file.name
            revision.file_name, revision.file_size = base.file_name, base.file_size
            revision.file_type = base.file_type
        revision.content_hash = _hash_of(revision)
        revision.save()
        doc.latest_revision = revision
        doc.save(update_fields=["latest_revision"])
        trail.record(
            action="documents.revision.created",
            actor=actor,
            organization=doc.organization,
            obj=revision,
            changes={"revision": [None, revision.label]},
            reason=change_reason,
        )
    return revision


def _hash_of(revision: Revision) -> str:
    data = None
    if revision.file:
        with default_storage.open(str(revision.file.name), "rb") as fh:
            data = fh.read()
    return content_hash(revision.text, data)


def revision_update(
    *,
    actor: User,
    revision: Revision,
    version: int,
    text: str,
    change_reason: str,
    upload: UploadedFile | None = None,
    remove_file: bool = False,
) -> Revision:
    """Save a draft. Refused when it is no longer a draft or someone saved it meanwhile."""
    checked = check_upload(upload) if upload else None
    stored: list[str] = []
    with discard_on_failure(stored), transaction.atomic():
        current = Revision.objects.select_for_update(no_key=True).get(pk=revision.pk)
        if not current.can_be_edited():
            raise ValidationError(
                _("Only a draft revision can be edited: this one is %(status)s.")
                % {"status": current.get_status_display().lower()}
            )
        check_version(current, version)
        if not change_reason.strip():
            raise ValidationError({"change_reason": _("Say why the document changes.")})
        before = trail.snapshot(current, ("text", "change_reason", "file_name", "content_hash"))
        current.text = text
        current.change_reason = change_reason
        if checked:
            name = store_checked(checked, f"documents/{current.organization_id}")
            stored.append(name)
            _attach(current, checked, name)
        elif remove_file:
            current.file.name = ""
            current.file_name, current.file_size, current.file_type = "", 0, ""
        current.content_hash = content_hash(text, checked.content) if checked else _hash_of(current)
        current.version += 1
        current.save()
        doc = current.document
        doc.search_text = text
        doc.save(update_fields=["search_text"])
        search.index_document(doc)
        after = trail.snapshot(current, ("text", "change_reason", "file_name", "content_hash"))
        changes = trail.changes_between(before, after)
        if "text" in changes:
            changes["text"] = ["…", f"{len(text)} characters"]
        trail.record(
            action="documents.revision.updated",
            actor=actor,
            organization=current.organization,
            obj=current,
            changes=changes,
        )
    return current


def revision_submit(*, actor: User, revision: Revision) -> Revision:
    with transaction.atomic():
        current = model_transition(
            instance=revision,
            actor=actor,
            action="documents.revision.submitted",
            to={"status": RevisionStatus.IN_REVIEW},
            check=_submittable,
        )
        notifications.signatures_requested(
            actor=actor, revision=current, round_start=_review_round_start(current)
        )
    return current


def _submittable(current: Revision) -> None:
    if not current.can_be_submitted():
        raise ValidationError(_("Only a draft with text or a file can be submitted for review."))
    if not current.document.approvers.exists():
        raise ValidationError(_("Assign at least one approver to the document first."))


def revision_sign(
    *, actor: User, revision: Revision, password: str, meaning: str, comment: str = ""
) -> Revision:
    """Sign a revision in review as reviewed, approved or rejected (back to draft).

    Reviewers and approvers are those assigned on the document. Approval needs every reviewer's
    signature first, and never comes from the revision's author."""
    comment = comment.strip()
    if meaning not in (Meaning.REVIEWED, Meaning.APPROVED, Meaning.REJECTED):
        raise ValidationError({"meaning": _("Choose reviewed, approved or rejected.")})
    if meaning == Meaning.REJECTED and not comment:
        raise ValidationError({"comment": _("Say why the revision is rejected.")})
    verify_password(actor=actor, password=password, revision=revision, meaning=meaning)
    with transaction.atomic():
        current = (
            Revision.objects.select_for_update(no_key=True)
            .select_related("document")
            .get(pk=revision.pk)
        )
        doc = current.document
        if current.status != RevisionStatus.IN_REVIEW:
            raise ValidationError(_("This revision is not in review."))
        is_reviewer = doc.reviewers.filter(pk=actor.pk).exists()
        is_approver = doc.approvers.filter(pk=actor.pk).exists()
        round_start = _review_round_start(current)
        signed = current.signatures.filter(signed_at__gte=round_start)
        if meaning == Meaning.REVIEWED:
            if not is_reviewer:
                raise ValidationError(_("You are not a reviewer of this document."))
            if signed.filter(user=actor, meaning=Meaning.REVIEWED).exists():
                raise ValidationError(_("You have already reviewed this revision."))
        elif meaning == Meaning.APPROVED:
            if not is_approver:
                raise ValidationError(_("You are not an approver of this document."))
            if current.author_id == actor.pk:
                raise ValidationError(_("The author of a revision cannot approve it."))
            reviewed = set(
                signed.filter(meaning=Meaning.REVIEWED).values_list("user_id", flat=True)
            )
            missing = set(doc.reviewers.values_list("pk", flat=True)) - reviewed - {actor.pk}
            if missing:
                raise ValidationError(
                    _("Every reviewer must sign before the revision is approved.")
                )
        elif not (is_reviewer or is_approver):
            raise ValidationError(_("You are not a reviewer or approver of this document."))
        sign(actor=actor, revision=current, meaning=meaning, comment=comment)
        outcome: dict[str, str] = {
            Meaning.APPROVED: RevisionStatus.APPROVED,
            Meaning.REJECTED: RevisionStatus.DRAFT,
        }
        current = model_transition(
            instance=current,
            actor=actor,
            action=f"documents.revision.{meaning}",
            to={"status": outcome.get(meaning, current.status)},
            reason=comment,
            always_record=True,  # a review leaves the status as it is; the signature counts
        )
        notifications.revision_signed(
            actor=actor, revision=current, meaning=meaning, comment=comment
        )
        if meaning == Meaning.REVIEWED:
            notifications.signatures_requested(
                actor=actor, revision=current, round_start=round_start
            )
    return current


def _review_round_start(revision: Revision) -> datetime.datetime:
    """Signatures count from the last rejection on: a resubmitted draft is reviewed afresh."""
    last = revision.signatures.filter(meaning=Meaning.REJECTED).order_by("-signed_at").first()
    return last.signed_at if last else revision.created_at


def revision_release(
    *,
    actor: User,
    revision: Revision,
    password: str,
    effective_from: datetime.date,
    today: datetime.date | None = None,
) -> Revision:
    """Release an approved revision (signed). It becomes effective on `effective_from`: at once
    when that is today or earlier, otherwise when the daily reminder run reaches that date."""
    today = today or timezone.localdate()
    if effective_from is None:
        raise ValidationError({"effective_from": _("Give the date it takes effect.")})
    verify_password(actor=actor, password=password, revision=revision, meaning="released")
    with transaction.atomic():
        current = (
            Revision.objects.select_for_update(no_key=True)
            .select_related("document")
            .get(pk=revision.pk)
        )
        if not current.can_be_released():
            raise ValidationError(_("Only an approved revision can be released."))
        if current.effective_from is not None:
            raise ValidationError(_("This revision has already been released."))
        sign(actor=actor, revision=current, meaning=Meaning.RELEASED)
        current = model_transition(
            instance=current,
            actor=actor,
            action="documents.revision.released",
            to={"effective_from": effective_from},
        )
        if effective_from <= today:
            _make_effective(actor=actor, revision=current, today=today)
    return current


def make_effective(*, actor: User | None, revision: Revision, today: datetime.date) -> None:
    """Make an approved (or, for an external document, registered) revision the current one."""
    _make_effective(actor=actor, revision=revision, today=today)


def _make_effective(*, actor: User | None, revision: Revision, today: datetime.date) -> None:
    doc = Document.objects.select_for_update(no_key=True).get(pk=revision.document_id)
    previous = doc.revisions.filter(status=RevisionStatus.EFFECTIVE).exclude(pk=revision.pk)
    for old in previous:
        model_transition(
            instance=old,
            actor=actor,
            action="documents.revision.superseded",
            to={"status": RevisionStatus.SUPERSEDED, "ended_on": today},
            record=("status",),
            organization=doc.organization,
            reason=_("Superseded by revision %(label)s") % {"label": revision.label},
        )
    revision.status = RevisionStatus.EFFECTIVE
    revision.save(update_fields=["status"])
    start = revision.effective_from or today
    doc = model_transition(
        instance=doc,
        actor=actor,
        action="documents.revision.effective",
        to={
            "current_revision": revision,
            "status": DocumentStatus.EFFECTIVE,
            "next_review_date": add_months(start, doc.review_interval_months),
            "search_text": revision.text,
        },
        record=("next_review_date",),
        context={"status": [RevisionStatus.APPROVED, RevisionStatus.EFFECTIVE]},
        record_on=revision,
    )
    search.index_document(doc)
    _assign_reading(actor=actor, document=doc, revision=revision)
    hooks.revision_effective(actor=actor, revision=revision, today=today)


def distributed_users(document: Document) -> list[int]:
    rows = list(document.distribution.all())
    if not rows:
        return []
    q = Q()
    for row in rows:
        if row.role:
            q |= Q(roles__icontains=f'"{row.role}"')
        elif row.department_id:
            q |= Q(department_id=row.department_id)
        elif row.user_id:
            q |= Q(user_id=row.user_id)
    return list(
        Membership.objects.current()
        .filter(organization=document.organization)
        .filter(q)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _assign_reading(*, actor: User | None, document: Document, revision: Revision) -> int:
    users = distributed_users(document)
    now = timezone.now()
    Acknowledgement.objects.bulk_create(
        [
            Acknowledgement(
                organization=document.organization, revision=revision, user_id=u, assigned_at=now
            )
            for u in users
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    if users:
        notifications.reading_assigned(revision=revision, user_ids=users)
        trail.record(
            action="documents.acknowledgement.assigned",
            actor=actor,
            organization=document.organization,
            obj=revision,
            changes={"people": [None, len(users)]},
        )
    return len(users)


def activate_due(*, today: datetime.date | None = None) -> int:
    """Make effective every released revision whose date has come (run daily)."""
    today = today or timezone.localdate()
    count = 0
    due = Revision.objects.filter(
        status=RevisionStatus.APPROVED, effective_from__isnull=False, effective_from__lte=today
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            revision = Revision.objects.select_for_update(no_key=True).get(pk=pk)
            if revision.status == RevisionStatus.APPROVED:
                _make_effective(actor=None, revision=revision, today=today)
                count += 1
    return count


def document_review_confirm(
    *,
    actor: User,
    document: Document,
    password: str,
    comment: str = "",
    today: datetime.date | None = None,
) -> Document:
    """The periodic review found nothing to change: signed, and the next review is scheduled."""
    today = today or timezone.localdate()
    revision = document.current_revision
    if revision is None or document.status != DocumentStatus.EFFECTIVE:
        raise ValidationError(_("Only an effective document can be confirmed at review."))
    verify_password(
        actor=actor, password=password, revision=revision, meaning=Meaning.REVIEWED_NO_CHANGE
    )
    with transaction.atomic():
        doc = Document.objects.select_for_update(no_key=True).get(pk=document.pk)
        sign(actor=actor, revision=revision, meaning=Meaning.REVIEWED_NO_CHANGE, comment=comment)
        return model_transition(
            instance=doc,
            actor=actor,
            action="documents.revision.periodic_review",
            to={"next_review_date": add_months(today, doc.review_interval_months)},
            reason=comment,
            record_on=revision,
            always_record=True,  # the signed review counts even when the date stays the same
        )


def document_make_obsolete(
    *, actor: User, document: Document, password: str, reason: str
) -> Document:
    """Withdraw a document: its effective revision becomes obsolete and stays readable."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the document is withdrawn.")})
    revision = document.current_revision or document.latest_revision
    if revision is None:
        raise ValidationError(_("This document has no revision."))
    verify_password(actor=actor, password=password, revision=revision, meaning="obsolete")
    with transaction.atomic():
        doc = model_transition(
            instance=document,
            actor=actor,
            action="documents.document.made_obsolete",
            to={
                "status": DocumentStatus.OBSOLETE,
                "current_revision": None,
                "next_review_date": None,
            },
            record=("status",),
            check=_not_obsolete,
            reason=reason,
        )
        doc.revisions.filter(status=RevisionStatus.EFFECTIVE).update(
            status=RevisionStatus.OBSOLETE, ended_on=timezone.localdate(), version=F("version") + 1
        )
    return doc


def _not_obsolete(doc: Document) -> None:
    if doc.status == DocumentStatus.OBSOLETE:
        raise ValidationError(_("This document is already obsolete."))


def reading_opened(*, actor: User, revision: Revision) -> bool:
    """Record that `actor` opened `revision`, when it is on their reading list and not yet
    opened: what lets them confirm the reading. One query when there is nothing to record."""
    if revision.status != RevisionStatus.EFFECTIVE:
        return False
    with transaction.atomic():
        now = timezone.now()
        opened = Acknowledgement.objects.filter(
            revision=revision, user=actor, opened_at__isnull=True, acknowledged_at__isnull=True
        ).update(opened_at=now)
        if opened:
            trail.record(
                action="documents.acknowledgement.opened",
                actor=actor,
                organization=revision.organization,
                obj=revision,
                changes={"opened_at": [None, now]},
            )
    return bool(opened)


def acknowledgement_confirm(*, actor: User, acknowledgement: Acknowledgement) -> Acknowledgement:
    """Confirm having read a revision. Refused until the member has opened it (see
    `reading_opened`): a confirmation from the list alone says nothing about reading."""
    if acknowledgement.user_id != actor.pk:
        raise ValidationError(_("You can only acknowledge your own reading."))
    with transaction.atomic():
        ack = Acknowledgement.objects.select_for_update(no_key=True).get(pk=acknowledgement.pk)
        if ack.acknowledged_at is not None:
            return ack
        if ack.revision.status != RevisionStatus.EFFECTIVE:
            raise ValidationError(_("This revision is no longer effective."))
        if ack.opened_at is None:
            raise ValidationError(
                _("Open the document and read it first; then confirm that you have read it.")
            )
        ack.acknowledged_at = timezone.now()
        ack.save(update_fields=["acknowledged_at"])
        trail.record(
            action="documents.acknowledgement.acknowledged",
            actor=actor,
            organization=ack.organization,
            obj=ack.revision,
            changes={"acknowledged_at": [None, ack.acknowledged_at]},
        )
    return ack
