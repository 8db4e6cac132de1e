"""Incidents: the short report from a phone with a photo, refused bad input, the investigation
with a worker representative, the corrective action as a nonconformity (source: incident),
closing, the confidentiality of health details on pages, the export and the API, permissions,
the organization boundary, the list's query count and the investigation's due item."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from pdca.ehs.models import Incident, IncidentStatus
from pdca.ehs.services import incidents as services
from pdca.ehs.testing import PNG, make_incident

pytestmark = pytest.mark.django_db


def url(name, org="acme", **kw):
    return reverse(name, kwargs={"org": org, **kw})


def test_a_report_is_numbered_due_for_investigation_and_keeps_its_photo(world):
    incident = world.extra["incident"]
    assert incident.reference == "INC-0001" and incident.status == IncidentStatus.REPORTED
    assert incident.reported_by == world.employee
    assert incident.investigate_by == timezone.localdate() + datetime.timedelta(days=7)
    assert incident.photos.count() == 1
    second = make_incident(world, place="Saw")
    assert second.number == 3  # the world has two


def test_bad_reports_are_refused_on_their_fields(world):
    with pytest.raises(ValidationError) as err:
        make_incident(world, occurred_at=timezone.now() + datetime.timedelta(days=1), place="")
    assert {"occurred_at", "place"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError):
        services.incident_report(
            actor=world.employee,
            organization=world.org,
            occurred_at=timezone.now(),
            place="Saw",
            kind="near_miss",
            description="x",
            photo=SimpleUploadedFile("x.png", b"nope"),
        )
    with pytest.raises(ValidationError):
        make_incident(world, actor=world.external)


def _investigate(world, incident, **values):
    fields = {
        "lead": world.owner,
        "worker_representative": world.employee,
        "team": "Production manager, safety representative",
        "root_cause": "No interlock on the chuck guard.",
        **values,
    }
    return services.incident_investigate(
        actor=world.owner, incident=incident, version=incident.version, **fields
    )


def test_investigation_needs_a_worker_representative_and_a_report_date_after_it(world):
    incident = world.extra["incident"]
    with pytest.raises(ValidationError) as err:
        _investigate(world, incident, worker_representative=None)
    assert "worker_representative" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        _investigate(world, incident, worker_representative=world.owner)
    assert "worker_representative" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        _investigate(world, incident, reportable=True)
    assert "report_due_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        _investigate(
            world, incident, report_due_on=timezone.localdate() - datetime.timedelta(days=3)
        )
    assert "report_due_on" in err.value.message_dict
    done = _investigate(world, incident, hazards=[world.extra["hazard"]])
    assert done.status == IncidentStatus.INVESTIGATING
    assert list(done.hazards.all()) == [world.extra["hazard"]]


def test_the_corrective_action_is_a_nonconformity_and_closing_needs_the_workers_told(world):
    from pdca.improvement.models import Nonconformity, Source

    incident = world.extra["incident"]
    with pytest.raises(ValidationError):
        services.incident_raise_action(actor=world.owner, incident=incident)
    incident = _investigate(world, incident)
    nc = services.incident_raise_action(actor=world.owner, incident=incident)
    assert nc.source == Source.INCIDENT and nc.source_id == incident.pk and nc.owner == world.owner
    assert services.incident_raise_action(actor=world.owner, incident=incident).pk == nc.pk
    with scopes_disabled():
        assert Nonconformity.objects.filter(source=Source.INCIDENT).count() == 1
    with pytest.raises(ValidationError):
        services.incident_close(actor=world.owner, incident=incident, reason="Done")
    incident = services.incident_investigate(
        actor=world.owner,
        incident=incident,
        version=incident.version,
        communicated="Toolbox talk, shift A and B",
    )
    closed = services.incident_close(actor=world.owner, incident=incident, reason="Interlock")
    assert closed.status == IncidentStatus.CLOSED
    with scopes_disabled():
        assert Incident.objects.filter(pk=incident.pk).exists()


def test_health_details_are_seen_only_by_the_named_roles_and_the_reporter(world, login):
    incident = world.extra["incident"]
    page = url("ehs:incident", pk=incident.pk)
    # The reporter and the management representative see them; the auditor and the process
    # owner do not, on the page, in the export or in the API.
    assert b"Bruised shin" in login(world.employee).get(page).content
    assert b"Bruised shin" in login(world.mr).get(page).content
    for person in (world.auditor, world.owner):
        client = login(person)
        r = client.get(page)
        assert r.status_code == 200 and b"Bruised shin" not in r.content
        assert b"Cold pack" not in r.content
        sheet = load_workbook(io.BytesIO(client.get(url("ehs:incident_export")).content))
        cells = [c for row in sheet.active.iter_rows(values_only=True) for c in row]
        assert "Lathe bay 2" in cells and "Bruised shin" not in cells
        body = client.get(url("api-ehs-incident", pk=incident.pk)).json()
        assert body["injury_details"] is None and body["first_aid"] is None
        listed = client.get(url("api-ehs-incidents")).json()["results"]
        assert all(row["injury_details"] is None for row in listed)
        r = client.get(url("ehs:incident_investigate", pk=incident.pk))
        assert b"Bruised shin" not in r.content
    sheet = load_workbook(io.BytesIO(login(world.mr).get(url("ehs:incident_export")).content))
    assert "Bruised shin" in [c for row in sheet.active.iter_rows(values_only=True) for c in row]
    assert (
        login(world.mr).get(url("api-ehs-incident", pk=incident.pk)).json()["injury_details"]
        == "Bruised shin"
    )
    # The organization names the process owner too.
    services.settings_save(
        actor=world.mr, organization=world.org, health_roles=["mr", "owner"], investigate_days=5
    )
    assert b"Bruised shin" in login(world.owner).get(page).content
    assert b"Bruised shin" not in login(world.top).get(page).content
    # The history names which health details changed, never their values.
    _investigate(world, incident, injury_details="Fractured toe")
    assert b"Fractured toe" not in login(world.auditor).get(page).content


def test_who_may_not_see_health_details_may_not_change_them(world):
    incident = world.extra["incident"]
    # The process owner investigates but is not among the roles that see health details.
    with pytest.raises(ValidationError) as err:
        _investigate(world, incident, injury_details="Nothing", days_lost=0)
    assert set(err.value.message_dict) == {"injury_details", "days_lost"}
    incident.refresh_from_db()
    assert incident.injury_details == "Bruised shin" and incident.status == "reported"
    # The investigation without them goes ahead; the management representative may change them.
    incident = _investigate(world, incident)
    changed = services.incident_investigate(
        actor=world.mr, incident=incident, version=incident.version, days_lost=2
    )
    assert changed.days_lost == 2


def test_report_from_a_phone_with_a_photo_then_investigate_on_the_pages(world, login):
    client = login(world.employee)
    form = client.get(url("ehs:incident_report"))
    assert form.status_code == 200 and b'capture="environment"' in form.content
    r = client.post(
        url("ehs:incident_report"),
        {"kind": "near_miss", "occurred_at": "", "place": "Saw", "description": "Blade"},
    )
    assert r.status_code == 400 and "occurred_at" in r.context["form"].errors
    r = client.post(
        url("ehs:incident_report"),
        {
            "kind": "near_miss",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "place": "Band saw",
            "description": "Offcut thrown towards the operator.",
            "photo": SimpleUploadedFile("saw.png", PNG, content_type="image/png"),
        },
    )
    assert r.status_code == 302
    with scopes_disabled():
        reported = Incident.objects.get(place="Band saw")
        photo = reported.photos.get()
    assert login(world.auditor).get(url("ehs:incident_photo", pk=photo.pk)).content == PNG
    r = client.post(
        url("ehs:incident_report"),
        {
            "kind": "near_miss",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "place": "Band saw",
            "description": "x",
            "photo": SimpleUploadedFile("saw.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        },
    )
    assert r.status_code == 400 and "photo" in r.context["form"].errors
    assert client.get(url("ehs:incident_investigate", pk=reported.pk)).status_code == 403
    manager = login(world.owner)
    r = manager.post(
        url("ehs:incident_investigate", pk=reported.pk),
        {"lead": world.owner.pk, "version": reported.version, "root_cause": "x"},
    )
    assert r.status_code == 400 and "worker_representative" in r.context["form"].errors
    r = manager.post(
        url("ehs:incident_investigate", pk=reported.pk),
        {
            "lead": world.owner.pk,
            "worker_representative": world.employee.pk,
            "root_cause": "Missing riving knife",
            "version": reported.version,
        },
    )
    assert r.status_code == 302
    r = manager.post(url("ehs:incident_raise", pk=reported.pk), {})
    assert r.status_code == 302 and "/improvement/" in r["Location"]
    reported.refresh_from_db()
    r = manager.post(
        url("ehs:incident_close", pk=reported.pk), {"reason": "x", "version": reported.version}
    )
    assert r.status_code == 400  # the workers were not told yet


def test_settings_permissions_and_boundary(world, login):
    incident = world.extra["incident"]
    assert login(world.owner).get(url("ehs:incident_settings")).status_code == 403
    mr = login(world.mr)
    r = mr.post(url("ehs:incident_settings"), {"health_roles": ["nope"], "investigate_days": 0})
    assert r.status_code == 400
    r = mr.post(url("ehs:incident_settings"), {"health_roles": ["mr"], "investigate_days": 3})
    assert r.status_code == 302
    outsider = login(world.outsider)
    assert outsider.get(url("ehs:incident", pk=incident.pk)).status_code == 404
    photo = world.extra["incident_photo"]
    assert outsider.get(url("ehs:incident_photo", pk=photo.pk)).status_code == 404
    assert login(world.external).get(url("ehs:incident_report")).status_code == 403


def test_list_filters_empty_state_and_query_count(world, login, django_assert_max_num_queries):
    client = login(world.mr)
    r = client.get(url("ehs:incidents"), {"kind": "property_damage"})
    assert b"No incident matches these filters." in r.content
    with django_assert_max_num_queries(12) as few:
        client.get(url("ehs:incidents"))
    for i in range(15):
        make_incident(world, place=f"Cell {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert b"Cell 0" in client.get(url("ehs:incidents")).content
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        client.get(url("ehs:incident_export"))


def test_investigations_fall_due_for_their_lead(world):
    from pdca.core.due import DueQuery
    from pdca.ehs.due import investigations_due

    today = timezone.localdate()
    query = DueQuery(
        organization=world.org,
        viewer=None,
        start=None,
        end=today + datetime.timedelta(days=30),
        today=today,
    )
    incident = world.extra["incident"]
    due = {i.object_id: i for i in investigations_due(query)}
    assert incident.pk in due and due[incident.pk].owner_id is None
    incident = _investigate(world, incident, communicated="Briefing")
    due = {i.object_id: i for i in investigations_due(query)}
    assert due[incident.pk].owner_id == world.owner.pk
    services.incident_close(actor=world.owner, incident=incident, reason="Done")
    assert incident.pk not in {i.object_id for i in investigations_due(query)}


def test_settings_left_out_keep_the_roles_named_before(world):
    saved = services.settings_save(
        actor=world.mr, organization=world.org, health_roles=["mr", "owner"], investigate_days=5
    )
    # Changing only the days to investigate does not take the health roles away.
    saved = services.settings_save(
        actor=world.mr, organization=world.org, version=saved.version, investigate_days=7
    )
    assert saved.health_roles == ["mr", "owner"] and saved.investigate_days == 7
    with pytest.raises(ValidationError) as error:
        services.settings_save(
            actor=world.mr,
            organization=world.org,
            version=saved.version,
            health_roles=["external_auditor"],
        )
    assert "health_roles" in error.value.message_dict
