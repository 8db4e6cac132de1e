"""Documents of external origin: registered (not authored and approved) with issuer, reference,
edition and source, checked for a new edition on a date with a reminder; superseded editions
are kept by a retention rule."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pdca.core.dates import add_months
from pdca.core.due import due_items
from pdca.core.models import Notification, TrailEntry
from pdca.core.reminders import send_reminders
from pdca.documents import external, services
from pdca.documents.models import Document, DocumentStatus, RevisionStatus

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n%ext\n"


def url(name, **kw):
    return reverse(f"documents:{name}", kwargs={"org": "acme", **kw})


def register(world, **values):
    data = {
        "title": "ISO 2768-1 General tolerances",
        "owner": world.owner,
        "issuer": "ISO",
        "external_reference": "ISO 2768-1",
        "edition": "1989",
        "obtained_from": "Beuth webshop",
        "next_edition_check": TODAY + datetime.timedelta(days=10),
        "upload": SimpleUploadedFile("iso2768.pdf", PDF),
    }
    data.update(values)
    return external.external_register(actor=world.mr, organization=world.org, **data)


def test_registered_is_current_at_once_without_approval(world):
    doc = register(world)
    assert doc.status == DocumentStatus.EFFECTIVE and doc.is_external
    assert doc.current_revision.label == "1989"
    assert not doc.current_revision.signatures.exists()
    assert (doc.issuer, doc.external_reference, doc.obtained_from) == (
        "ISO",
        "ISO 2768-1",
        "Beuth webshop",
    )
    assert doc.next_review_date is None  # the check for a new edition replaces the review
    assert TrailEntry.objects.for_object(doc).filter(action="documents.external.registered")


def test_registration_needs_issuer_edition_source_and_a_future_check(world):
    with pytest.raises(ValidationError) as err:
        register(world, issuer=" ", edition="", obtained_from="", next_edition_check=TODAY)
    assert {"issuer", "edition", "obtained_from", "next_edition_check"} <= set(
        err.value.message_dict
    )


def test_not_authored_or_approved_like_internal_documents(world):
    with pytest.raises(ValidationError, match="registered"):
        services.document_create(
            actor=world.mr,
            organization=world.org,
            doc_type="external",
            title="Supplier manual",
            owner=world.owner,
            text="x",
        )
    doc = register(world)
    with pytest.raises(ValidationError, match="new edition"):
        services.revision_start(actor=world.mr, document=doc, change_reason="Edit")


def test_a_new_edition_supersedes_the_old_one_kept_by_the_retention_rule(world):
    doc = register(world, historic_retention_months=24)
    first = doc.current_revision
    with pytest.raises(ValidationError, match="already registered"):
        external.external_edition_register(
            actor=world.mr,
            document=doc,
            version=doc.version,
            edition="1989",
            obtained_from="Beuth webshop",
            next_edition_check=TODAY + datetime.timedelta(days=300),
            upload=SimpleUploadedFile("new.pdf", PDF),
        )
    new = external.external_edition_register(
        actor=world.mr,
        document=doc,
        version=doc.version,
        edition="2024",
        obtained_from="Beuth webshop",
        next_edition_check=TODAY + datetime.timedelta(days=300),
        upload=SimpleUploadedFile("new.pdf", PDF),
    )
    doc.refresh_from_db()
    first.refresh_from_db()
    assert doc.current_revision == new and doc.edition == "2024"
    assert first.status == RevisionStatus.SUPERSEDED
    assert first.keep_until == add_months(first.ended_on, 24)
    assert new.keep_until is None


def test_the_check_for_a_new_edition_is_a_due_item_with_a_reminder(world):
    doc = register(world, next_edition_check=TODAY + datetime.timedelta(days=7))
    items = due_items(
        organization=world.org,
        viewer=world.memberships["mr"],
        start=TODAY,
        end=TODAY + datetime.timedelta(days=30),
        today=TODAY,
    )
    mine = [i for i in items if i.kind == "documents.edition_check" and i.object_id == doc.pk]
    assert len(mine) == 1 and mine[0].owner_id == world.owner.pk
    send_reminders(world.org, TODAY)
    assert Notification.objects.filter(
        kind="documents.edition_check.due", recipient=world.owner
    ).exists()
    checked = external.external_edition_checked(
        actor=world.owner, document=doc, version=doc.version, note="ISO catalogue: current"
    )
    assert checked.next_edition_check == add_months(TODAY, checked.edition_check_months)
    assert TrailEntry.objects.for_object(doc).filter(action="documents.external.checked")


def test_pages_register_check_and_refuse_internal_documents(world, login):
    client = login(world.mr)
    r = client.post(
        url("external_register"),
        {
            "title": "Boreham DS-500",
            "issuer": "Boreham Hydraulics",
            "edition": "A",
            "obtained_from": "Customer portal",
            "next_edition_check": (TODAY + datetime.timedelta(days=30)).isoformat(),
            "edition_check_months": 12,
            "owner": world.owner.pk,
            "confidentiality": "internal",
            "historic_retention_months": 36,
            "text": "On the portal",
        },
    )
    assert r.status_code == 302, r.content
    doc = Document.objects.get(organization=world.org, title="Boreham DS-500")
    page = client.get(url("detail", pk=doc.pk)).content.decode()
    assert "Boreham Hydraulics" in page and "Register a new edition" in page
    r = client.post(
        url("external_check", pk=doc.pk), {"note": "Portal: still A", "version": doc.version}
    )
    assert r.status_code == 302
    internal = world.extra["document"]
    assert client.get(url("external_edition", pk=internal.pk)).status_code == 404
    assert b'<option value="external"' not in client.get(url("create")).content
    assert client.post(url("external_register"), {"title": ""}).status_code == 400
    assert login(world.employee).get(url("external_edition", pk=doc.pk)).status_code == 403


def test_an_obsolete_revision_is_kept_by_the_documents_rule(world, login):
    from pdca.core.testing import PASSWORD
    from pdca.documents.testing import make_effective_document

    doc = make_effective_document(world, title="Old tooling list")
    doc = services.document_update(
        actor=world.mr, document=doc, version=doc.version, historic_retention_months=60
    )
    rev = doc.current_revision
    assert rev.keep_until is None  # the current revision is not historic
    services.document_make_obsolete(
        actor=world.mr, document=doc, password=PASSWORD, reason="Tooling retired"
    )
    rev.refresh_from_db()
    assert rev.status == RevisionStatus.OBSOLETE and rev.ended_on == TODAY
    assert rev.keep_until == add_months(TODAY, 60)
    page = login(world.mr).get(url("detail", pk=doc.pk)).content.decode()
    assert "kept until" in page  # beside the obsolete revision in the revision list
