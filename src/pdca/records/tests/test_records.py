import datetime
import os

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pdca.core.models import TrailEntry
from pdca.core.testing import PASSWORD
from pdca.records import services
from pdca.records.models import Attachment, Record, RecordStatus
from pdca.records.testing import make_record_type

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%x\n"


def url(name, **kw):
    return reverse(f"records:{name}", kwargs={"org": "acme", **kw})


def _files() -> set[str]:
    out = set()
    for root, _d, files in os.walk(settings.MEDIA_ROOT):
        out |= {os.path.join(root, f) for f in files}
    return out


def test_retention_until_is_date_plus_retention(world):
    record = world.extra["record"]
    rtype = world.extra["record_type"]
    assert rtype.retention_months == 36
    d = record.date
    assert record.retention_until.year == d.year + 3


def test_record_past_retention_is_in_the_disposal_queue(world, login):
    content = login(world.mr).get(url("list"), {"queue": "disposal"}).content.decode()
    assert "Micrometer M-12" in content


def test_disposal_is_signed_removes_files_and_keeps_metadata(
    world, django_capture_on_commit_callbacks
):
    record = world.extra["record"]
    att = record.attachments.get()
    name = att.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        record = services.record_dispose(
            actor=world.mr, record=record, password=PASSWORD, reason="Shredded"
        )
    assert record.status == RecordStatus.DISPOSED
    assert record.disposed_by == world.mr and len(record.disposal_hash) == 64
    att.refresh_from_db()
    assert not att.file and att.removed_at is not None and att.sha256
    assert not default_storage.exists(name)
    assert Record.objects.filter(pk=record.pk).exists()
    assert TrailEntry.objects.filter(
        action="records.record.disposed", object_id=str(record.pk)
    ).exists()


def test_disposal_with_wrong_password_is_refused_and_recorded(world):
    record = world.extra["record"]
    with pytest.raises(ValidationError, match="password"):
        services.record_dispose(actor=world.mr, record=record, password="nope", reason="x")
    record.refresh_from_db()
    assert record.status == RecordStatus.KEPT
    assert TrailEntry.objects.filter(action="records.disposal.refused").exists()


def test_legal_hold_blocks_disposal(world, login):
    record = world.extra["record"]
    with pytest.raises(ValidationError):
        services.legal_hold_place(actor=world.mr, record=record, reason="")
    services.legal_hold_place(actor=world.mr, record=record, reason="Customer claim 2024-17")
    with pytest.raises(ValidationError, match="legal hold"):
        services.record_dispose(actor=world.mr, record=record, password=PASSWORD, reason="x")
    content = login(world.mr).get(url("list"), {"queue": "disposal"}).content.decode()
    assert "Micrometer" not in content
    response = login(world.mr).post(
        url("dispose", pk=record.pk), {"password": PASSWORD, "reason": "x"}
    )
    assert response.status_code == 400 and "legal hold" in response.content.decode()
    services.legal_hold_release(actor=world.mr, record=record, reason="Claim settled")
    services.record_dispose(actor=world.mr, record=record, password=PASSWORD, reason="Shredded")


def test_record_within_retention_cannot_be_disposed(world):
    rtype = world.extra["record_type"]
    rec = services.record_create(
        actor=world.owner,
        organization=world.org,
        record_type=rtype,
        title="New",
        date=datetime.date.today(),
    )
    with pytest.raises(ValidationError, match="must be kept until"):
        services.record_dispose(actor=world.mr, record=rec, password=PASSWORD, reason="x")


def test_record_upload_reuses_the_document_check_and_leaves_no_file(world):
    rtype = world.extra["record_type"]
    before = _files()
    with pytest.raises(ValidationError, match="does not match"):
        services.record_create(
            actor=world.owner,
            organization=world.org,
            record_type=rtype,
            title="Bad",
            date=datetime.date.today(),
            uploads=[SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.png", PDF)],
        )
    assert _files() == before
    assert not Record.objects.filter(title="Bad").exists()


def test_future_dated_record_is_refused(world):
    with pytest.raises(ValidationError):
        services.record_create(
            actor=world.owner,
            organization=world.org,
            record_type=world.extra["record_type"],
            title="x",
            date=datetime.date.today() + datetime.timedelta(days=1),
        )


def test_record_can_be_a_link_to_a_pdca_object(world, login):
    doc = world.extra["document"]
    rec = services.record_create(
        actor=world.mr,
        organization=world.org,
        record_type=world.extra["record_type"],
        title="Approved procedure",
        date=datetime.date.today(),
        linked_object=doc,
    )
    assert rec.object_id == doc.pk
    assert doc.title in login(world.mr).get(url("detail", pk=rec.pk)).content.decode()


def test_records_link_to_the_clauses_of_their_type(world):
    from pdca.standards.evidence import clauses_for
    from pdca.standards.models import Clause

    clause = Clause.objects.filter(number="7.1.5").first()
    rtype = make_record_type(world, "Calibration 2", retention_months=12, clauses=[clause])
    rec = services.record_create(
        actor=world.mr,
        organization=world.org,
        record_type=rtype,
        title="t",
        date=datetime.date.today(),
    )
    assert clauses_for(world.org, rec) == [clause]


def test_record_is_registered_as_retained_information():
    from pdca.standards.registry import EVIDENCE_KINDS

    assert "records.record" in EVIDENCE_KINDS["retain"]


def test_confidential_records_follow_role_policy(world, login):
    rtype = services.record_type_save(
        actor=world.mr,
        organization=world.org,
        name="HR files",
        owner=world.mr,
        location="HR",
        retention_months=12,
        disposal_method="shred",
        confidentiality="confidential",
    )
    rec = services.record_create(
        actor=world.mr,
        organization=world.org,
        record_type=rtype,
        title="Appraisal",
        date=datetime.date.today(),
    )
    # Not there for whoever may not see it (404, as for another organization's record).
    assert login(world.employee).get(url("detail", pk=rec.pk)).status_code == 404
    assert "Appraisal" not in login(world.employee).get(url("list")).content.decode()
    assert login(world.auditor).get(url("detail", pk=rec.pk)).status_code == 200
    restricted = services.record_type_save(
        actor=world.mr,
        organization=world.org,
        name="Security incidents",
        owner=world.mr,
        location="SIEM",
        retention_months=12,
        disposal_method="delete",
        confidentiality="restricted",
        allowed_roles=["owner"],
    )
    rec2 = services.record_create(
        actor=world.mr,
        organization=world.org,
        record_type=restricted,
        title="Incident 7",
        date=datetime.date.today(),
    )
    assert login(world.owner).get(url("detail", pk=rec2.pk)).status_code == 200
    assert login(world.auditor).get(url("detail", pk=rec2.pk)).status_code == 404


def test_keep_a_record_page_and_bad_input(world, login):
    client = login(world.owner)
    rtype = world.extra["record_type"]
    response = client.post(
        url("create"),
        {
            "record_type": rtype.pk,
            "title": "Gauge 7",
            "date": "2024-01-01",
            "uploads": [SimpleUploadedFile("c.pdf", PDF)],
        },
    )
    assert response.status_code == 302
    assert Attachment.objects.filter(record__title="Gauge 7").count() == 1
    response = client.post(url("create"), {"record_type": rtype.pk, "title": "", "date": "nope"})
    assert response.status_code == 400
    response = client.post(
        url("create"),
        {
            "record_type": rtype.pk,
            "title": "Empty",
            "date": "2024-01-01",
            "uploads": [SimpleUploadedFile("c.pdf", b"")],
        },
    )
    assert response.status_code == 400


def test_dispose_page(world, login):
    record = world.extra["record"]
    client = login(world.mr)
    assert (
        client.post(url("dispose", pk=record.pk), {"password": "bad", "reason": "x"}).status_code
        == 400
    )
    assert (
        client.post(
            url("dispose", pk=record.pk), {"password": PASSWORD, "reason": "Shredded"}
        ).status_code
        == 302
    )
    content = client.get(url("detail", pk=record.pk)).content.decode()
    assert "Disposed of" in content
    att = world.extra["attachment"]
    assert client.get(url("attachment", pk=att.pk)).status_code == 404


def test_employee_cannot_dispose(world, login):
    record = world.extra["record"]
    assert (
        login(world.employee)
        .post(url("dispose", pk=record.pk), {"password": PASSWORD, "reason": "x"})
        .status_code
        == 403
    )


def test_record_type_pages(world, login):
    client = login(world.mr)
    response = client.post(
        url("type_create"),
        {
            "name": "Training records",
            "owner": world.mr.pk,
            "location": "HR",
            "retention_months": 60,
            "disposal_method": "shred",
            "confidentiality": "internal",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert client.post(url("type_create"), {"name": "", "retention_months": 0}).status_code == 400
    rtype = world.extra["record_type"]
    stale = {
        "name": rtype.name,
        "owner": world.mr.pk,
        "location": "x",
        "retention_months": 12,
        "disposal_method": "shred",
        "confidentiality": "internal",
        "version": rtype.version + 9,
    }
    response = client.post(url("type_edit", pk=rtype.pk), stale)
    assert response.status_code == 400 and "Someone else changed" in response.content.decode()


def test_org_boundary(world, login):
    record = world.extra["record"]
    assert login(world.outsider).get(url("detail", pk=record.pk)).status_code == 404


def test_records_list_query_count(world, login, django_assert_max_num_queries):
    rtype = world.extra["record_type"]
    for i in range(30):
        services.record_create(
            actor=world.mr,
            organization=world.org,
            record_type=rtype,
            title=f"R{i}",
            date=datetime.date.today(),
        )
    client = login(world.mr)
    with django_assert_max_num_queries(12):
        assert client.get(url("list")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(url("detail", pk=world.extra["record"].pk)).status_code == 200


def test_api_records(world, login):
    client = login(world.mr)
    base = "/api/v1/o/acme/records/"
    data = client.get(base).json()
    assert data["results"][0]["title"]
    record = world.extra["record"]
    response = client.post(
        f"{base}{record.pk}/dispose/",
        {"password": "bad", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "password" in response.json()["errors"]
    response = client.post(
        f"{base}{record.pk}/hold/",
        {"hold": True, "reason": "Claim"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["legal_hold"] is True
    response = client.post(
        f"{base}{record.pk}/dispose/",
        {"password": PASSWORD, "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert client.delete(f"{base}{record.pk}/").status_code == 405
    response = client.post(
        base,
        {"record_type": 999999, "title": "x", "date": "2024-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    response = client.post(
        base,
        {"record_type": world.extra["record_type"].pk, "title": "API record", "date": "2024-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert client.get(base, {"queue": "bogus"}).status_code == 400
    emp = login(world.employee)
    assert (
        emp.post(
            f"{base}{record.pk}/dispose/",
            {"password": PASSWORD, "reason": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_correcting_a_record_moves_its_retention_and_keeps_the_old_values(world, login):
    record = world.extra["record"]
    new_date = record.date + datetime.timedelta(days=400)
    client = login(world.owner)
    form = client.get(url("correct", pk=record.pk)).content.decode()
    assert 'value="Micrometer M-12 calibration"' in form
    response = client.post(
        url("correct", pk=record.pk),
        {
            "title": "Micrometer M-12 calibration certificate",
            "reference": "CAL-2021-012",
            "date": new_date.isoformat(),
            "reason": "Date typed from the wrong certificate",
            "version": record.version,
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.title == "Micrometer M-12 calibration certificate" and record.date == new_date
    assert record.retention_until == new_date.replace(year=new_date.year + 3)
    entry = TrailEntry.objects.filter(action="records.record.updated", object_id=record.pk).get()
    assert entry.reason == "Date typed from the wrong certificate"
    assert entry.changes["title"] == ["Micrometer M-12 calibration", record.title]
    assert set(entry.changes) == {"title", "date", "retention_until"}


def test_a_stale_or_bad_correction_is_refused_and_a_disposed_record_cannot_be_corrected(
    world, login
):
    record = world.extra["record"]
    client = login(world.owner)
    good = {
        "title": "Renamed",
        "reference": "",
        "date": record.date.isoformat(),
        "reason": "Typo",
        "version": record.version,
    }
    stale = client.post(url("correct", pk=record.pk), {**good, "version": record.version - 1})
    assert stale.status_code == 409 and "Someone else changed" in stale.content.decode()
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    no_reason = client.post(url("correct", pk=record.pk), {**good, "reason": " "})
    html = no_reason.content.decode()
    assert no_reason.status_code == 400 and "required" in html and 'value="Renamed"' in html
    future_date = client.post(url("correct", pk=record.pk), {**good, "date": future})
    assert future_date.status_code == 400 and "in the future" in future_date.content.decode()
    record.refresh_from_db()
    assert record.title == "Micrometer M-12 calibration"  # nothing was saved
    services.record_dispose(actor=world.mr, record=record, password=PASSWORD, reason="Shredded")
    with pytest.raises(ValidationError, match="disposed"):
        services.record_correct(
            actor=world.mr,
            record=record,
            expected_version=Record.objects.get(pk=record.pk).version,
            reason="Late fix",
            title="x",
            reference="",
            date=record.date,
        )
    assert login(world.employee).get(url("correct", pk=record.pk)).status_code == 403


def test_api_corrects_a_record_with_its_version(world, login):
    record = world.extra["record"]
    endpoint = f"/api/v1/o/acme/records/{record.pk}/"
    body = {
        "version": record.version,
        "reason": "Reference was missing a digit",
        "title": record.title,
        "reference": "CAL-2021-0120",
        "date": record.date.isoformat(),
    }
    client = login(world.owner)
    response = client.patch(endpoint, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["reference"] == "CAL-2021-0120"
    again = client.patch(endpoint, body, content_type="application/json")  # the old version
    assert again.status_code == 409 and "Someone else changed" in again.json()["detail"]
    missing = client.patch(endpoint, {"version": 1}, content_type="application/json")
    assert missing.status_code == 400 and "reason" in missing.json()["errors"]
    employee = login(world.employee)
    assert employee.patch(endpoint, body, content_type="application/json").status_code == 403
    outsider = login(world.outsider)
    assert outsider.patch(endpoint, body, content_type="application/json").status_code in (403, 404)
