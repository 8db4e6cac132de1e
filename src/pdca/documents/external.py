"""Documents of external origin (ISO 9001 7.5.3.2): standards, customer specifications,
regulations, manufacturers' manuals. They are not authored, reviewed or approved here: they are
registered with their issuer, reference and edition and where they were obtained, distributed
like any document, and checked for a new edition on a date (a due item with its reminders).
Registering a new edition makes it the current revision at once and supersedes the previous one,
which is kept by the document's retention rule for superseded revisions."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core import trail
from pdca.core.dates import add_months
from pdca.core.models import Department, Organization, User
from pdca.core.updating import check_version, model_update
from pdca.core.uploads import check_upload, discard_on_failure, store_checked
from pdca.core.validators import check_single_line
from pdca.documents import services
from pdca.documents.models import DocType, Document, DocumentStatus, Revision, RevisionStatus
from pdca.standards.models import Clause

EXTERNAL_FIELDS = (
    "issuer",
    "external_reference",
    "edition",
    "obtained_from",
    "edition_check_months",
    "next_edition_check",
    "historic_retention_months",
)


def _check_values(
    issuer: str, edition: str, obtained_from: str, next_edition_check: datetime.date | None
) -> None:
    errors: dict[str, str] = {}
    if not issuer.strip():
        errors["issuer"] = _("Name the issuer (the standards body, customer, authority…).")
    if not edition.strip():
        errors["edition"] = _("Give the edition (year, issue or revision of the issuer).")
    if not obtained_from.strip():
        errors["obtained_from"] = _("Say where it was obtained (supplier, portal, customer).")
    if next_edition_check is None:
        errors["next_edition_check"] = _("Set when to check for a new edition.")
    elif next_edition_check <= timezone.localdate():
        errors["next_edition_check"] = _("The next check for a new edition is a future date.")
    if errors:
        raise ValidationError(errors)
    check_single_line(issuer=issuer, edition=edition, obtained_from=obtained_from)


def external_register(
    *,
    actor: User,
    organization: Organization,
    title: str,
    owner: User,
    issuer: str,
    edition: str,
    obtained_from: str,
    next_edition_check: datetime.date | None,
    external_reference: str = "",
    edition_check_months: int = 12,
    historic_retention_months: int = 36,
    number: str = "",
    department: Department | None = None,
    process: Any = None,
    confidentiality: str = "internal",
    allowed_roles: list[str] | None = None,
    clauses: Iterable[Clause] | None = None,
    text: str = "",
    upload: UploadedFile | None = None,
) -> Document:
    """Register a document of external origin: it is current at once (no review or approval
    here), and is distributed and read like any document."""
    _check_values(issuer, edition, obtained_from, next_edition_check)
    with transaction.atomic():
        document = services.document_create(
            actor=actor,
            organization=organization,
            doc_type=DocType.EXTERNAL,
            title=title,
            owner=owner,
            number=number,
            department=department,
            process=process,
            confidentiality=confidentiality,
            allowed_roles=allowed_roles,
            clauses=clauses,
            text=text,
            upload=upload,
            historic_retention_months=historic_retention_months,
            change_reason=_("Registered: edition %(edition)s from %(source)s")
            % {"edition": edition.strip(), "source": obtained_from.strip()},
            external=True,
        )
        document, _changes = model_update(
            instance=document,
            actor=actor,
            fields={
                "issuer": issuer.strip(),
                "external_reference": external_reference.strip(),
                "edition": edition.strip(),
                "obtained_from": obtained_from.strip(),
                "edition_check_months": edition_check_months,
                "next_edition_check": next_edition_check,
            },
            allowed=EXTERNAL_FIELDS,
            expected_version=document.version,
            action="documents.external.registered",
            clean_exclude=("current_revision", "latest_revision"),
        )
        revision = document.latest_revision
        assert revision is not None
        _make_current(actor, revision, edition.strip())
    return Document.objects.get(pk=document.pk)


def _make_current(actor: User, revision: Revision, edition: str) -> None:
    """The registered edition becomes the current revision: external documents have no
    periodic review of their own, the check for a new edition takes its place."""
    today = timezone.localdate()
    revision.label = edition[:20]
    revision.status = RevisionStatus.APPROVED
    revision.effective_from = today
    revision.save(update_fields=["label", "status", "effective_from"])
    services.make_effective(actor=actor, revision=revision, today=today)
    Document.objects.filter(pk=revision.document_id).update(next_review_date=None)


def external_edition_register(
    *,
    actor: User,
    document: Document,
    version: int,
    edition: str,
    obtained_from: str,
    next_edition_check: datetime.date | None,
    change_reason: str = "",
    text: str = "",
    upload: UploadedFile | None = None,
) -> Revision:
    """Register the issuer's new edition: it becomes current and supersedes the previous
    revision (kept by the document's rule for superseded revisions); readers are asked to read
    it, as for any new revision."""
    if not document.is_external:
        raise ValidationError(_("Only a document of external origin has editions of an issuer."))
    _check_values(document.issuer or "-", edition, obtained_from, next_edition_check)
    if not text.strip() and upload is None:
        raise ValidationError({"file": _("Attach the new edition (or its text).")})
    checked = check_upload(upload) if upload else None
    stored: list[str] = []
    with discard_on_failure(stored), transaction.atomic():
        doc = Document.objects.select_for_update(no_key=True).get(pk=document.pk)
        check_version(doc, version)
        if doc.status == DocumentStatus.OBSOLETE:
            raise ValidationError(_("This document is obsolete: register a new one instead."))
        if doc.edition.strip().lower() == edition.strip().lower():
            raise ValidationError({"edition": _("This edition is already registered.")})
        base = doc.latest_revision
        revision = Revision(
            organization=doc.organization,
            document=doc,
            seq=(base.seq if base else 0) + 1,
            label=edition.strip()[:20],
            change_reason=change_reason.strip()
            or _("New edition %(edition)s from %(source)s")
            % {"edition": edition.strip(), "source": obtained_from.strip()},
            author=actor,
            text=text,
        )
        if checked:
            name = store_checked(checked, f"documents/{doc.organization_id}")
            stored.append(name)
            revision.file.name = name
            revision.file_name, revision.file_size = checked.name, checked.size
            revision.file_type = checked.kind
        revision.content_hash = services.content_hash(text, checked.content if checked else None)
        revision.save()
        Document.objects.filter(pk=doc.pk).update(latest_revision=revision)
        doc.refresh_from_db()
        model_update(
            instance=doc,
            actor=actor,
            fields={
                "edition": edition.strip(),
                "obtained_from": obtained_from.strip(),
                "next_edition_check": next_edition_check,
            },
            allowed=EXTERNAL_FIELDS,
            expected_version=doc.version,
            action="documents.external.edition",
            reason=revision.change_reason,
            clean_exclude=("current_revision", "latest_revision"),
        )
        _make_current(actor, revision, edition.strip())
    return revision


def external_details_update(
    *,
    actor: User,
    document: Document,
    version: int,
    clauses: Iterable[Clause] | None = None,
    **values: Any,
) -> Document:
    """Change a document of external origin's details and register entry (issuer, the issuer's
    reference, when to check for a new edition): the edition itself and where it was obtained
    change only by registering a new edition. A stale `version` is refused."""
    if not document.is_external:
        raise ValidationError(_("Only a document of external origin has editions of an issuer."))
    unknown = sorted(set(values) & {"edition", "obtained_from", "doc_type"})
    if unknown:
        raise ValidationError(
            {name: _("Register a new edition to change this.") for name in unknown}
        )
    errors: dict[str, str] = {}
    if "issuer" in values:
        values["issuer"] = values["issuer"].strip()
        if not values["issuer"]:
            errors["issuer"] = _("Name the issuer (the standards body, customer, authority…).")
    if "external_reference" in values:
        values["external_reference"] = values["external_reference"].strip()
    check = values.get("next_edition_check", document.next_edition_check)
    if "next_edition_check" in values and check != document.next_edition_check:
        if check is None:
            errors["next_edition_check"] = _("Set when to check for a new edition.")
        elif check <= timezone.localdate():
            errors["next_edition_check"] = _("The next check for a new edition is a future date.")
    if errors:
        raise ValidationError(errors)
    check_single_line(**{k: values[k] for k in ("issuer", "external_reference") if k in values})
    return services.document_update(
        actor=actor, document=document, version=version, clauses=clauses, **values
    )


def external_edition_checked(
    *,
    actor: User,
    document: Document,
    version: int,
    note: str,
    next_edition_check: datetime.date | None = None,
) -> Document:
    """Record that the issuer was checked and the registered edition is still the current one;
    the next check follows after the document's interval unless a date is given."""
    if not document.is_external:
        raise ValidationError(_("Only a document of external origin has editions of an issuer."))
    if not note.strip():
        raise ValidationError({"note": _("Say how it was checked (the issuer's site, …).")})
    today = timezone.localdate()
    next_edition_check = next_edition_check or add_months(today, document.edition_check_months)
    if next_edition_check <= today:
        raise ValidationError(
            {"next_edition_check": _("The next check for a new edition is a future date.")}
        )
    with transaction.atomic():
        doc, changes = model_update(
            instance=document,
            actor=actor,
            fields={"next_edition_check": next_edition_check},
            allowed=EXTERNAL_FIELDS,
            expected_version=version,
            action="documents.external.checked",
            reason=note.strip(),
            clean_exclude=("current_revision", "latest_revision"),
        )
        if not changes:  # the check was made all the same: it is recorded
            trail.record(
                action="documents.external.checked",
                actor=actor,
                organization=doc.organization,
                obj=doc,
                changes={"edition": [None, doc.edition]},
                reason=note.strip(),
            )
    return doc
