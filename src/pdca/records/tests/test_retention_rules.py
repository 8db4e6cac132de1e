"""Retention follows its rule: a changed period recomputes the kept records (never shortening
one under legal hold), a period may run from an event entered when it happens, and only a
destroying disposal deletes the files."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pdca.core.dates import add_months
from pdca.core.models import TrailEntry
from pdca.core.testing import PASSWORD
from pdca.records import services
from pdca.records.models import RecordStatus
from pdca.records.testing import make_record_type

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n%x\n"


def url(name, **kw):
    return reverse(f"records:{name}", kwargs={"org": "acme", **kw})


def keep(world, rtype, days_ago=100, **extra):
    return services.record_create(
        actor=world.owner,
        organization=world.org,
        record_type=rtype,
        title=extra.pop("title", "A record"),
        date=TODAY - datetime.timedelta(days=days_ago),
        **extra,
    )


def change_type(world, rtype, **values):
    rtype.refresh_from_db()
    fields = {f: getattr(rtype, f) for f in services.TYPE_FIELDS}
    fields.update(values)
    return services.record_type_save(
        actor=world.mr,
        organization=world.org,
        record_type=rtype,
        version=rtype.version,
        **fields,
    )


def test_a_longer_period_recomputes_kept_records_with_a_trail_entry(world):
    rtype = world.extra["record_type"]
    record = world.extra["record"]  # five years old, kept 36 months: due
    change_type(world, rtype, retention_months=120)
    record.refresh_from_db()
    assert record.retention_until == add_months(record.date, 120)
    assert not record.is_due_for_disposal(TODAY)
    entry = TrailEntry.objects.for_object(record).get(action="records.record.retention_recomputed")
    assert "120" in entry.reason


def test_a_shorter_period_never_shortens_a_record_under_legal_hold(world):
    rtype = make_record_type(world, "Contracts", retention_months=120)
    held = keep(world, rtype, title="Held")
    free = keep(world, rtype, title="Free")
    services.legal_hold_place(actor=world.mr, record=held, reason="Claim 2026-3")
    before = held.retention_until
    change_type(world, rtype, retention_months=12)
    held.refresh_from_db()
    free.refresh_from_db()
    assert held.retention_until == before
    assert free.retention_until == add_months(free.date, 12)


def test_a_period_from_an_event_has_no_disposal_date_until_it_is_entered(world, login):
    rtype = make_record_type(
        world, "Personnel files", retention_months=60, retention_trigger="end_of_employment"
    )
    record = keep(world, rtype, days_ago=2000, title="File of J. Doe")
    assert record.retention_until is None and not record.is_due_for_disposal(TODAY)
    client = login(world.mr)
    page = client.get(url("detail", pk=record.pk)).content.decode()
    assert "No disposal date yet" in page and "end of employment" in page
    with pytest.raises(ValidationError, match="not in advance"):
        services.record_trigger_set(
            actor=world.mr,
            record=record,
            expected_version=record.version,
            trigger_date=TODAY + datetime.timedelta(days=3),
        )
    with pytest.raises(ValidationError, match="keep it"):
        services.record_dispose(actor=world.mr, record=record, password=PASSWORD, reason="x")
    left = TODAY - datetime.timedelta(days=30)
    r = client.post(
        url("trigger", pk=record.pk), {"trigger_date": left.isoformat(), "version": record.version}
    )
    assert r.status_code == 302, r.content
    record.refresh_from_db()
    assert (record.trigger_date, record.retention_until) == (left, add_months(left, 60))
    assert TrailEntry.objects.for_object(record).filter(action="records.record.retention_started")
    assert login(world.employee).get(url("trigger", pk=record.pk)).status_code in (403, 404)


def test_an_event_type_created_from_a_record_date_type_recomputes_to_no_date(world):
    rtype = make_record_type(world, "Equipment history", retention_months=24)
    record = keep(world, rtype)
    change_type(world, rtype, retention_trigger="end_of_equipment_life")
    record.refresh_from_db()
    assert record.retention_until is None


@pytest.mark.parametrize("method", ["archive", "return"])
def test_archive_and_return_keep_the_files(world, method, django_capture_on_commit_callbacks):
    rtype = make_record_type(world, f"Customer drawings {method}", disposal_method=method)
    record = keep(world, rtype, days_ago=5 * 365, uploads=[SimpleUploadedFile("drawing.pdf", PDF)])
    att = record.attachments.get()
    with django_capture_on_commit_callbacks(execute=True):
        record = services.record_dispose(
            actor=world.mr, record=record, password=PASSWORD, reason="Handed over"
        )
    assert record.status == RecordStatus.DISPOSED
    att.refresh_from_db()
    assert att.file and att.removed_at is None and default_storage.exists(att.file.name)


def test_the_api_keeps_a_record_with_its_trigger_date(world, login):
    rtype = make_record_type(
        world, "Supplier contracts", retention_months=24, retention_trigger="end_of_contract"
    )
    ended = TODAY - datetime.timedelta(days=10)
    r = login(world.mr).post(
        reverse("api-records-list", kwargs={"org": "acme"}),
        {
            "record_type": rtype.pk,
            "title": "Contract 77",
            "date": (TODAY - datetime.timedelta(days=400)).isoformat(),
            "trigger_date": ended.isoformat(),
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["trigger_date"] == ended.isoformat()
    assert r.json()["retention_until"] == add_months(ended, 24).isoformat()


# --- The event's date entered through the API ----------------------------------------------


def api_url(name, org="acme", **kw):
    return reverse(name, kwargs={"org": org, **kw})


@pytest.fixture
def personnel_file(world):
    rtype = make_record_type(
        world, "Personnel files", retention_months=60, retention_trigger="end_of_employment"
    )
    return keep(world, rtype, days_ago=2000, title="File of J. Doe")


def start(client, record, body):
    return client.post(
        api_url("api-records-retention-start", pk=record.pk), body, content_type="application/json"
    )


def test_the_api_enters_the_event_the_retention_runs_from(world, login, personnel_file):
    left = TODAY - datetime.timedelta(days=30)
    r = start(
        login(world.mr), personnel_file, {"version": personnel_file.version, "trigger_date": left}
    )
    assert r.status_code == 200, r.content
    assert r.json()["trigger_date"] == left.isoformat()
    assert r.json()["retention_until"] == add_months(left, 60).isoformat()
    entry = TrailEntry.objects.for_object(personnel_file).get(
        action="records.record.retention_started"
    )
    assert entry.actor == world.mr


def test_the_api_refuses_a_bad_or_stale_event_date(world, login, personnel_file):
    client = login(world.mr)
    v = personnel_file.version
    future = TODAY + datetime.timedelta(days=3)
    before = personnel_file.date - datetime.timedelta(days=1)
    for body in (
        {"version": v},
        {"version": v, "trigger_date": "someday"},
        {"version": v, "trigger_date": future},
        {"version": v, "trigger_date": before},
    ):
        r = start(client, personnel_file, body)
        assert r.status_code == 400 and "trigger_date" in r.json()["errors"], body
    r = start(client, personnel_file, {"trigger_date": TODAY})
    assert r.status_code == 400 and "version" in r.json()["errors"]
    assert (
        start(client, personnel_file, {"version": v - 1, "trigger_date": TODAY}).status_code == 409
    )
    # A type whose retention runs from the record's date has no event to enter.
    record = world.extra["record"]
    r = start(client, record, {"version": record.version, "trigger_date": TODAY})
    assert r.status_code == 400 and "runs from the record's date" in r.json()["detail"]
    personnel_file.refresh_from_db()
    assert personnel_file.trigger_date is None and personnel_file.retention_until is None


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("mr", 200),
        ("owner", 200),
        ("auditor", 200),  # audit records are theirs to keep
        ("employee", 403),
        ("external", 403),
    ],
)
def test_entering_the_event_is_for_those_who_keep_records(
    world, login, personnel_file, role, status
):
    r = start(
        login(getattr(world, role)),
        personnel_file,
        {"version": personnel_file.version, "trigger_date": TODAY},
    )
    assert r.status_code == status, r.content


def test_another_organizations_record_is_not_found(world, login, personnel_file):
    assert (
        start(
            login(world.outsider), personnel_file, {"version": 1, "trigger_date": TODAY}
        ).status_code
        == 404
    )
    rtype = services.record_type_save(
        actor=world.outsider,
        organization=world.other_org,
        name="Globex personnel files",
        owner=world.outsider,
        location="HR",
        retention_months=60,
        retention_trigger="end_of_employment",
        disposal_method="shred",
        confidentiality="internal",
    )
    theirs = services.record_create(
        actor=world.outsider,
        organization=world.other_org,
        record_type=rtype,
        title="Globex file",
        date=TODAY - datetime.timedelta(days=100),
    )
    r = start(login(world.mr), theirs, {"version": theirs.version, "trigger_date": TODAY})
    assert r.status_code == 404
