"""Every write to the records register: types, records and their files, holds and disposal.

Files are checked with the shared upload check (pdca.core.uploads) before they reach storage
and deleted again if the transaction fails. Disposal is signed (password again): the record
keeps its metadata and is marked disposed; its files are removed from storage after the commit
only when its type's method destroys them (shredding, secure deletion), never when they are
archived or returned to their owner; the trail says who, when, how and why. A legal hold blocks
disposal.

A record is kept until its retention period has run from its date, or from its type's trigger
event (end of employment, …) once that is entered on it; a change of a type's period or trigger
recomputes its kept records' dates, never shortening one under legal hold.
"""

import datetime
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core import trail
from pdca.core.assignable import check_assignable
from pdca.core.models import Organization, User
from pdca.core.signatures import confirm_password
from pdca.core.updating import model_save, model_transition, model_update
from pdca.core.uploads import check_upload, discard_on_failure, store_checked
from pdca.records.models import KEEPS_FILES, Attachment, Record, RecordStatus, RecordType
from pdca.standards.evidence import clauses_for, evidence_set
from pdca.standards.models import Clause

TYPE_FIELDS = (
    "name",
    "owner",
    "location",
    "retention_months",
    "retention_trigger",
    "disposal_method",
    "confidentiality",
    "allowed_roles",
    "is_active",
)
RECORD_FIELDS = (
    "record_type",
    "title",
    "reference",
    "date",
    "trigger_date",
    "retention_until",
)


def record_type_save(
    *,
    actor: User,
    organization: Organization,
    record_type: RecordType | None = None,
    version: int | None = None,
    clauses: Iterable[Clause] | None = None,
    **values: Any,
) -> RecordType:
    """Create a record type, or change one (its `version` is required; a stale one is refused).

    A new retention period or trigger recomputes the dates of the type's kept records."""
    if "owner" in values:
        check_assignable(organization, values["owner"], "owner")
    with transaction.atomic():
        before = (
            RecordType.objects.filter(pk=record_type.pk)
            .values_list("retention_months", "retention_trigger")
            .first()
            if record_type is not None
            else None
        )
        rtype = model_save(
            model=RecordType,
            instance=record_type,
            organization=organization,
            actor=actor,
            fields=values,
            allowed=TYPE_FIELDS,
            expected_version=version,
            action="records.type",
        )
        if clauses is not None:
            evidence_set(actor=actor, organization=organization, obj=rtype, clauses=clauses)
        if before is not None and before != (rtype.retention_months, rtype.retention_trigger):
            _recompute_retention(actor, rtype)
    return rtype


def _recompute_retention(actor: User, rtype: RecordType) -> int:
    """Move the kept records of `rtype` to its new retention rule, each with its trail entry.

    A record under legal hold is never shortened: it keeps the later of its two dates."""
    changed = 0
    records = Record.objects.select_for_update(no_key=True).filter(
        record_type=rtype, status=RecordStatus.KEPT
    )
    for record in records.order_by("pk"):
        new = _never_shorter_on_hold(record, rtype.retention_date(record.date, record.trigger_date))
        if new == record.retention_until:
            continue
        old = record.retention_until
        Record.objects.filter(pk=record.pk).update(retention_until=new, version=record.version + 1)
        trail.record(
            action="records.record.retention_recomputed",
            actor=actor,
            organization=rtype.organization,
            obj=record,
            changes={"retention_until": [trail.jsonable(old), trail.jsonable(new)]},
            reason=_("The retention rule of %(type)s changed: %(months)s months from %(start)s.")
            % {
                "type": rtype.name,
                "months": rtype.retention_months,
                "start": rtype.get_retention_trigger_display().lower(),
            },
        )
        changed += 1
    return changed


def _store(
    record: Record, uploads: Iterable[UploadedFile], actor: User, stored: list[str]
) -> list[Attachment]:
    checked = [check_upload(u) for u in uploads]
    rows = []
    for item in checked:
        name = store_checked(item, f"records/{record.organization_id}")
        stored.append(name)
        att = Attachment(
            organization_id=record.organization_id,
            record=record,
            file_name=item.name,
            file_size=item.size,
            file_type=item.kind,
            sha256=item.sha256,
            uploaded_by=actor,
        )
        att.file.name = name
        att.save()
        rows.append(att)
    return rows


def record_create(
    *,
    actor: User,
    organization: Organization,
    record_type: RecordType,
    title: str,
    date: datetime.date,
    reference: str = "",
    uploads: Iterable[UploadedFile] = (),
    linked_object: models.Model | None = None,
    trigger_date: datetime.date | None = None,
) -> Record:
    """Keep a record: an entry with files, or a link to the pdca object that is the record.

    It is linked as evidence to the clauses of its type; it is kept until its date plus the
    type's retention period, or, for a type whose period runs from an event (end of
    employment, …), from `trigger_date` once it has happened (no disposal date until then)."""
    uploads = list(uploads)
    if record_type.organization_id != organization.pk:
        raise ValidationError({"record_type": _("Unknown record type.")})
    if not record_type.is_active:
        raise ValidationError({"record_type": _("This record type is no longer in use.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("A record cannot be dated in the future.")})
    trigger_date = _checked_trigger(record_type, date, trigger_date)
    if (
        linked_object is not None
        and getattr(linked_object, "organization_id", organization.pk) != organization.pk
    ):
        raise ValidationError(_("The linked object belongs to another organization."))
    for u in uploads:
        check_upload(u)  # refuse before anything is written
    stored: list[str] = []
    with discard_on_failure(stored), transaction.atomic():
        record = Record(
            organization=organization,
            record_type=record_type,
            title=title,
            reference=reference,
            date=date,
            trigger_date=trigger_date,
            retention_until=record_type.retention_date(date, trigger_date),
            created_by=actor,
        )
        if linked_object is not None:
            record.content_type = ContentType.objects.get_for_model(linked_object)
            record.object_id = linked_object.pk
        record.full_clean()
        record.save()
        _store(record, uploads, actor, stored)
        clauses = clauses_for(organization, record_type)
        if clauses:
            evidence_set(actor=actor, organization=organization, obj=record, clauses=clauses)
        trail.record(
            action="records.record.created",
            actor=actor,
            organization=organization,
            obj=record,
            changes={
                **trail.created_fields(record, RECORD_FIELDS),
                "files": [None, [u.name for u in uploads]],
            },
        )
    return record


def _checked_trigger(
    record_type: RecordType, date: datetime.date, trigger_date: datetime.date | None
) -> datetime.date | None:
    if trigger_date is None or not record_type.has_trigger:
        return None
    if trigger_date > timezone.localdate():
        raise ValidationError(
            {"trigger_date": _("Enter the date once it has happened, not in advance.")}
        )
    if trigger_date < date:
        raise ValidationError(
            {"trigger_date": _("The retention cannot start before the record's date.")}
        )
    return trigger_date


def record_trigger_set(
    *, actor: User, record: Record, expected_version: int, trigger_date: datetime.date
) -> Record:
    """Enter the event the type's retention runs from (the end of employment, …) when it has
    happened: the record gets its disposal date."""
    rtype = record.record_type
    if not rtype.has_trigger:
        raise ValidationError(
            _("The retention of %(type)s runs from the record's date.") % {"type": rtype.name}
        )
    started = _checked_trigger(rtype, record.date, trigger_date)

    def check(current: Record) -> None:
        _still_kept(current)
        new = rtype.retention_date(current.date, started)
        if _never_shorter_on_hold(current, new) != new:
            raise ValidationError(
                _("This record is under legal hold: its retention cannot be shortened.")
            )

    current, _changes = model_update(
        instance=record,
        actor=actor,
        fields={
            "trigger_date": started,
            "retention_until": rtype.retention_date(record.date, started),
        },
        allowed=RECORD_FIELDS,
        expected_version=expected_version,
        action="records.record.retention_started",
        reason=rtype.get_retention_trigger_display(),
        validate=check,
    )
    return current


def record_correct(
    *,
    actor: User,
    record: Record,
    expected_version: int,
    reason: str,
    title: str,
    reference: str,
    date: datetime.date,
) -> Record:
    """Correct a kept record's title, reference or date, saying why: the old values stay in the
    audit trail, as good documentation practice asks. A new date moves the retention date with
    it. A disposed record cannot be changed; a stale edit is refused, never saved over."""
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Say why the record is corrected.")
    if not title.strip():
        errors["title"] = _("Give the record a title.")
    if date > timezone.localdate():
        errors["date"] = _("A record cannot be dated in the future.")
    if errors:
        raise ValidationError(errors)
    current, _changes = model_update(
        instance=record,
        actor=actor,
        fields={
            "title": title.strip(),
            "reference": reference.strip(),
            "date": date,
            "retention_until": _corrected_retention(record, date),
        },
        allowed=RECORD_FIELDS,
        expected_version=expected_version,
        action="records.record.updated",
        reason=reason.strip(),
        validate=_still_kept,
    )
    return current


def _corrected_retention(record: Record, date: datetime.date) -> datetime.date | None:
    return _never_shorter_on_hold(
        record, record.record_type.retention_date(date, record.trigger_date)
    )


def _never_shorter_on_hold(record: Record, new: datetime.date | None) -> datetime.date | None:
    """The new retention date, unless it would shorten a record under legal hold."""
    held = record.retention_until if record.legal_hold else None
    if held is not None and (new is None or new < held):
        return held
    return new


def _still_kept(current: Record) -> None:
    if current.status != RecordStatus.KEPT:
        raise ValidationError(_("A disposed record cannot be changed."))


def attachment_add(*, actor: User, record: Record, upload: UploadedFile) -> Attachment:
    if record.status != RecordStatus.KEPT:
        raise ValidationError(_("This record was disposed of: nothing can be added."))
    check_upload(upload)
    stored: list[str] = []
    with discard_on_failure(stored), transaction.atomic():
        (att,) = _store(record, [upload], actor, stored)
        trail.record(
            action="records.attachment.added",
            actor=actor,
            organization=record.organization,
            obj=record,
            changes={"file": [None, att.file_name], "sha256": [None, att.sha256]},
        )
    return att


def legal_hold_place(*, actor: User, record: Record, reason: str) -> Record:
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the record is held (e.g. the claim or dispute).")}
        )
    return model_transition(
        instance=record,
        actor=actor,
        action="records.hold.placed",
        to={"legal_hold": True, "legal_hold_reason": reason.strip()},
        record=("legal_hold",),
        check=_not_disposed,
        reason=reason,
    )


def _not_disposed(current: Record) -> None:
    if current.status != RecordStatus.KEPT:
        raise ValidationError(_("This record was already disposed of."))


def legal_hold_release(*, actor: User, record: Record, reason: str) -> Record:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the hold is released.")})
    return model_transition(
        instance=record,
        actor=actor,
        action="records.hold.released",
        to={"legal_hold": False, "legal_hold_reason": ""},
        record=("legal_hold",),
        check=_held,
        reason=reason,
    )


def _held(current: Record) -> None:
    if not current.legal_hold:
        raise ValidationError(_("This record is not under legal hold."))


def _disposal_hash(record: Record, actor: User, at: datetime.datetime, reason: str) -> str:
    payload = {
        "record": record.pk,
        "type": record.record_type.name,
        "title": record.title,
        "reference": record.reference,
        "date": record.date.isoformat(),
        "retention_until": record.retention_until.isoformat() if record.retention_until else None,
        "files": [a.sha256 for a in record.attachments.all()],
        "signer": actor.email,
        "signed_at": at.isoformat(),
        "reason": reason,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def record_dispose(
    *,
    actor: User,
    record: Record,
    password: str,
    reason: str,
    today: datetime.date | None = None,
) -> Record:
    """Dispose of a record past its retention date, signed with the password.

    Refused under legal hold, before the retention date or while the retention has not
    started. The metadata stays; the files are deleted from storage once the transaction has
    committed, unless the method archives them or returns them to their owner."""
    today = today or timezone.localdate()
    if not reason.strip():
        raise ValidationError({"reason": _("Say how and why the record is disposed of.")})
    confirm_password(
        actor=actor,
        password=password,
        organization=record.organization,
        obj=record,
        refused_action="records.disposal.refused",
        nothing_done=_("Nothing was disposed of."),
    )
    with transaction.atomic():
        current = (
            Record.objects.select_for_update(no_key=True)
            .select_related("record_type")
            .get(pk=record.pk)
        )
        if current.status != RecordStatus.KEPT:
            raise ValidationError(_("This record was already disposed of."))
        if current.legal_hold:
            raise ValidationError(
                _("This record is under legal hold (%(reason)s): it cannot be disposed of.")
                % {"reason": current.legal_hold_reason}
            )
        if current.retention_until is None:
            raise ValidationError(
                _("Its retention has not started (%(trigger)s not entered): keep it.")
                % {"trigger": current.record_type.get_retention_trigger_display().lower()}
            )
        if current.retention_until >= today:
            raise ValidationError(
                _("This record must be kept until %(date)s: it cannot be disposed of yet.")
                % {"date": current.retention_until}
            )
        at = timezone.now()
        signature = _disposal_hash(current, actor, at, reason)
        # Archiving or returning to the owner hands the files on: they are kept. Only a
        # destroying method (shredding, secure deletion) removes them from storage.
        keeps = current.record_type.disposal_method in KEEPS_FILES
        names = [] if keeps else [str(a.file.name) for a in current.attachments.all() if a.file]
        if not keeps:
            current.attachments.update(file="", removed_at=at)
        current = model_transition(
            instance=current,
            actor=actor,
            action="records.record.disposed",
            to={
                "disposal_hash": signature,
                "status": RecordStatus.DISPOSED,
                "disposed_at": at,
                "disposed_by": actor,
                "disposal_reason": reason,
            },
            record=("status",),
            context={
                "files_removed": [None, len(names)],
                "files_kept": [None, keeps],
                "method": [None, current.record_type.get_disposal_method_display()],
                "signature": [None, signature],
            },
            reason=reason,
        )
        transaction.on_commit(lambda: _delete_files(names))
    return current


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
