"""The ehs API's actions beyond the registers' lists and details: the controls on a hazard,
withdrawing aspects and hazards, raising an incident's corrective action and closing it, the
significance criteria and the incident settings. Each one: it works, a role the policy refuses
gets 403, another organization's object is not found, bad input is refused on its field, and a
stale version is a 409."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pdca.ehs.models import EntryStatus, IncidentStatus
from pdca.ehs.testing import make_control, make_hazard, make_incident

pytestmark = pytest.mark.django_db

JSON = "application/json"


def url(name, org="acme", **kw):
    return reverse(name, kwargs={"org": org, **kw})


def assert_not_found_elsewhere(login, world, method, name, body=None, **kw):
    """The outsider (a management representative of globex) reaches nothing of acme's: not
    under acme's address (not a member), nor with acme's id under globex's own."""
    client = login(world.outsider)
    for org in ("acme", world.other_org.slug):
        response = getattr(client, method)(url(name, org=org, **kw), body, content_type=JSON)
        assert response.status_code == 404, (org, response.content)


def due_on(days=14):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# Controls on hazards -------------------------------------------------------------------------


def test_hazard_lists_and_plans_its_controls(world, login):
    hazard = world.extra["hazard"]
    controls = url("api-ehs-hazard-controls", pk=hazard.pk)
    r = login(world.employee).get(controls)
    assert r.status_code == 200
    assert [(c["level"], c["title"]) for c in r.json()] == [("ppe", "Cut-resistant gloves")]
    client = login(world.mr)
    body = {
        "level": "engineering",
        "title": "Swarf hook and chip guard",
        "owner": world.owner.pk,
        "due_on": due_on(),
    }
    r = client.post(controls, body, content_type=JSON)
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["hazard"] == hazard.pk and created["status"] == "open"
    assert created["owner"] == world.owner.pk and created["version"] == 1
    # The hazard is no longer controlled by PPE alone: the service's flag, seen in the API.
    r = client.get(url("api-ehs-hazard", pk=hazard.pk))
    assert r.json()["ppe_only"] is False
    assert [c["id"] for c in r.json()["controls"]] == [
        world.extra["hazard_control"].pk,
        created["id"],
    ]
    assert set(r.json()["controls"][1]) == {"id", "level", "title", "owner", "due_on", "status"}


def test_planning_a_control_is_refused_to_whom_the_policy_refuses(world, login):
    hazard = world.extra["hazard"]
    body = {"level": "ppe", "title": "Gloves", "owner": world.owner.pk, "due_on": due_on()}
    r = login(world.employee).post(
        url("api-ehs-hazard-controls", pk=hazard.pk), body, content_type=JSON
    )
    assert r.status_code == 403
    assert hazard.controls.count() == 1
    assert_not_found_elsewhere(login, world, "get", "api-ehs-hazard-controls", pk=hazard.pk)
    assert_not_found_elsewhere(login, world, "post", "api-ehs-hazard-controls", body, pk=hazard.pk)


def test_planning_a_control_refuses_bad_input_on_its_field(world, login):
    hazard = world.extra["hazard"]
    controls = url("api-ehs-hazard-controls", pk=hazard.pk)
    client = login(world.mr)
    body = {"level": "ppe", "title": "Gloves", "owner": world.owner.pk, "due_on": due_on()}
    r = client.post(controls, {**body, "level": "prayer"}, content_type=JSON)
    assert r.status_code == 400 and "level" in r.json()["errors"]
    r = client.post(controls, {**body, "owner": world.outsider.pk}, content_type=JSON)
    assert r.status_code == 400 and "owner" in r.json()["errors"]
    r = client.post(controls, {**body, "title": "Gloves\nand goggles"}, content_type=JSON)
    assert r.status_code == 400 and "title" in r.json()["errors"]
    r = client.post(controls, {k: v for k, v in body.items() if k != "due_on"}, content_type=JSON)
    assert r.status_code == 400 and "due_on" in r.json()["errors"]
    assert hazard.controls.count() == 1


def test_a_withdrawn_hazard_gets_no_new_control(world, login):
    hazard = world.extra["hazard"]
    hazard.refresh_from_db()  # its control's flag moved its version on
    client = login(world.mr)
    r = client.post(
        url("api-ehs-hazard-withdraw", pk=hazard.pk),
        {"version": hazard.version, "reason": "Lathe sold"},
        content_type=JSON,
    )
    assert r.status_code == 200
    body = {"level": "ppe", "title": "Gloves", "owner": world.owner.pk, "due_on": due_on()}
    r = client.post(url("api-ehs-hazard-controls", pk=hazard.pk), body, content_type=JSON)
    assert r.status_code == 400 and "withdrawn" in r.json()["detail"]


def test_control_owner_reports_progress(world, login):
    control = world.extra["hazard_control"]
    detail = url("api-ehs-control", pk=control.pk)
    owner = login(world.owner)
    r = owner.get(detail)
    assert r.status_code == 200 and r.json()["title"] == "Cut-resistant gloves"
    version = r.json()["version"]
    r = owner.patch(
        detail,
        {"version": version, "status": "in_progress", "notes": "Ordered"},
        content_type=JSON,
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "in_progress" and r.json()["notes"] == "Ordered"
    # What the body leaves out stays: the notes are kept when only the status changes.
    r = owner.patch(detail, {"version": version + 1, "status": "done"}, content_type=JSON)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "done" and r.json()["notes"] == "Ordered"
    assert r.json()["done_on"] == timezone.localdate().isoformat()


def test_control_update_is_refused_to_others_than_its_owner_and_the_keepers(world, login):
    control = world.extra["hazard_control"]
    detail = url("api-ehs-control", pk=control.pk)
    body = {"version": control.version, "status": "in_progress"}
    # The employee may update controls, but not one someone else owns (the object rule).
    r = login(world.employee).patch(detail, body, content_type=JSON)
    assert r.status_code == 403 and "owner" in r.json()["detail"]
    assert login(world.external).patch(detail, body, content_type=JSON).status_code == 403
    control.refresh_from_db()
    assert control.status == "open"
    assert_not_found_elsewhere(login, world, "get", "api-ehs-control", pk=control.pk)
    assert_not_found_elsewhere(login, world, "patch", "api-ehs-control", body, pk=control.pk)


def test_control_update_refuses_bad_input_and_a_stale_version(world, login):
    control = world.extra["hazard_control"]
    detail = url("api-ehs-control", pk=control.pk)
    client = login(world.mr)
    r = client.patch(detail, {"version": control.version, "status": "done"}, content_type=JSON)
    assert r.status_code == 400 and "notes" in r.json()["errors"]
    r = client.patch(detail, {"version": control.version, "status": "late"}, content_type=JSON)
    assert r.status_code == 400 and "status" in r.json()["errors"]
    r = client.patch(detail, {"status": "in_progress"}, content_type=JSON)
    assert r.status_code == 400 and "version" in r.json()["errors"]
    r = client.patch(
        detail, {"version": control.version + 5, "status": "in_progress"}, content_type=JSON
    )
    assert r.status_code == 409
    control.refresh_from_db()
    assert control.status == "open"


def test_hazard_list_reads_the_controls_in_a_fixed_number_of_queries(world, login):
    client = login(world.mr)
    hazards = url("api-ehs-hazards")
    client.get(hazards)  # the session and the caches, once
    with CaptureQueriesContext(connection) as one:
        r = client.get(hazards)
    assert [len(h["controls"]) for h in r.json()["results"]] == [1]
    for n in range(3):
        more = make_hazard(world, hazard=f"Hot chips {n}")
        make_control(world, more, level="engineering", title="Chip guard")
        make_control(world, more, level="administrative", title="Safe working procedure")
    with CaptureQueriesContext(connection) as four:
        r = client.get(hazards)
    assert sorted(len(h["controls"]) for h in r.json()["results"]) == [1, 2, 2, 2]
    assert len(four) == len(one)


# Withdrawing aspects and hazards -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "example"),
    [("api-ehs-aspect-withdraw", "aspect"), ("api-ehs-hazard-withdraw", "hazard")],
)
def test_withdrawal_keeps_the_entry_with_its_reason(world, login, name, example):
    entry = world.extra[example]
    entry.refresh_from_db()
    client = login(world.mr)
    withdraw = url(name, pk=entry.pk)
    r = client.post(withdraw, {"version": entry.version, "reason": "Process stopped"}, JSON)
    assert r.status_code == 200, r.content
    assert r.json()["status"] == EntryStatus.WITHDRAWN
    assert r.json()["withdrawn_reason"] == "Process stopped"
    assert r.json()["version"] == entry.version + 1
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN
    # Twice is refused by the service, on the entry, not silently repeated.
    r = client.post(withdraw, {"version": entry.version, "reason": "Again"}, JSON)
    assert r.status_code == 400 and "already withdrawn" in r.json()["detail"]


@pytest.mark.parametrize(
    ("name", "example"),
    [("api-ehs-aspect-withdraw", "aspect"), ("api-ehs-hazard-withdraw", "hazard")],
)
def test_withdrawal_refusals(world, login, name, example):
    entry = world.extra[example]
    entry.refresh_from_db()
    withdraw = url(name, pk=entry.pk)
    body = {"version": entry.version, "reason": "Process stopped"}
    assert login(world.employee).post(withdraw, body, JSON).status_code == 403
    assert_not_found_elsewhere(login, world, "post", name, body, pk=entry.pk)
    client = login(world.mr)
    r = client.post(withdraw, {"version": entry.version, "reason": "  "}, JSON)
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = client.post(withdraw, {"reason": "Process stopped"}, JSON)
    assert r.status_code == 400 and "version" in r.json()["errors"]
    r = client.post(withdraw, {**body, "version": entry.version + 5}, JSON)
    assert r.status_code == 409
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ACTIVE


# Incidents: the corrective action and closing ------------------------------------------------


def test_raising_the_corrective_action_twice_gives_the_same_nonconformity(world, login):
    incident = world.extra["incident_investigated"]
    action = url("api-ehs-incident-action", pk=incident.pk)
    client = login(world.owner)
    r = client.post(action, {}, JSON)
    assert r.status_code == 201, r.content
    first = r.json()
    assert first["reference"].startswith("NC-")
    r = client.post(action, {}, JSON)
    assert r.status_code == 200 and r.json() == first
    from pdca.improvement.models import Nonconformity

    nc = Nonconformity.objects.get(pk=first["id"])
    assert nc.source == "incident" and nc.owner == world.owner


def test_raising_the_corrective_action_refusals(world, login):
    incident = world.extra["incident_investigated"]
    action = url("api-ehs-incident-action", pk=incident.pk)
    assert login(world.employee).post(action, {}, JSON).status_code == 403
    assert_not_found_elsewhere(login, world, "post", "api-ehs-incident-action", pk=incident.pk)
    # Not investigated yet: no worker representative, no root cause.
    reported = world.extra["incident"]
    r = login(world.owner).post(url("api-ehs-incident-action", pk=reported.pk), {}, JSON)
    assert r.status_code == 400
    assert "worker representative" in r.json()["detail"]
    from pdca.improvement.selectors import raised_from

    assert raised_from(incident) is None and raised_from(reported) is None


def test_closing_an_investigated_incident_keeps_its_health_details_hidden(world, login):
    incident = world.extra["incident_investigated"]
    client = login(world.owner)  # a process owner: not among the roles that see health details
    r = client.post(
        url("api-ehs-incident-close", pk=incident.pk),
        {"version": incident.version, "reason": "Edges deburred; checked at every shift."},
        JSON,
    )
    assert r.status_code == 200, r.content
    closed = r.json()
    assert closed["status"] == IncidentStatus.CLOSED
    assert closed["close_reason"] == "Edges deburred; checked at every shift."
    assert closed["injury_details"] is None and closed["first_aid"] is None
    # The management representative sees them, in the same answer of the detail.
    r = login(world.mr).get(url("api-ehs-incident", pk=incident.pk))
    assert r.json()["status"] == IncidentStatus.CLOSED and r.json()["injury_details"]


def test_closing_an_incident_refusals(world, login):
    incident = world.extra["incident_investigated"]
    close = url("api-ehs-incident-close", pk=incident.pk)
    body = {"version": incident.version, "reason": "Done"}
    assert login(world.employee).post(close, body, JSON).status_code == 403
    assert_not_found_elsewhere(login, world, "post", "api-ehs-incident-close", body, pk=incident.pk)
    client = login(world.owner)
    r = client.post(close, {"version": incident.version}, JSON)
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = client.post(close, {**body, "version": incident.version + 5}, JSON)
    assert r.status_code == 409
    # One not investigated is refused by the service with what is missing.
    reported = world.extra["incident"]
    r = client.post(
        url("api-ehs-incident-close", pk=reported.pk),
        {"version": reported.version, "reason": "Done"},
        JSON,
    )
    assert r.status_code == 400 and "root cause" in r.json()["detail"]
    incident.refresh_from_db()
    reported.refresh_from_db()
    assert incident.status != IncidentStatus.CLOSED and reported.status != IncidentStatus.CLOSED


# The significance criteria -------------------------------------------------------------------


CRITERIA = {
    "scale": 5,
    "threshold": 12,
    "legal_points": 5,
    "legal_makes_significant": True,
    "notes": "Rated by the environment team each spring.",
}


def test_criteria_are_read_by_members_and_set_by_management(world, login):
    criteria = url("api-ehs-criteria")
    r = login(world.employee).get(criteria)
    assert r.status_code == 200
    assert r.json()["threshold"] == 15 and r.json()["version"] == 0  # the defaults
    client = login(world.mr)
    r = client.put(criteria, {**CRITERIA, "version": 0}, JSON)
    assert r.status_code == 200, r.content
    assert r.json() == {**CRITERIA, "version": 1}
    # The coolant mist (score 14) is significant from 12: judged again by the service.
    aspect = world.extra["aspect"]
    aspect.refresh_from_db()
    assert aspect.significant is True
    r = client.put(criteria, {**CRITERIA, "threshold": 20, "version": 1}, JSON)
    assert r.status_code == 200 and r.json()["version"] == 2
    aspect.refresh_from_db()
    assert aspect.significant is False


def test_criteria_refusals(world, login):
    criteria = url("api-ehs-criteria")
    body = {**CRITERIA, "version": 0}
    r = login(world.owner).put(criteria, body, JSON)  # a keeper of the register, not management
    assert r.status_code == 403
    client = login(world.mr)
    # The coolant mist is rated up to 4: the scale is not narrowed under it.
    r = client.put(criteria, {**body, "scale": 3}, JSON)
    assert r.status_code == 400 and "scale" in r.json()["errors"]
    r = client.put(criteria, {**body, "scale": 11}, JSON)
    assert r.status_code == 400 and "scale" in r.json()["errors"]
    r = client.put(criteria, {k: v for k, v in body.items() if k != "threshold"}, JSON)
    assert r.status_code == 400 and "threshold" in r.json()["errors"]
    assert client.get(criteria).json()["version"] == 0  # nothing was saved
    assert client.put(criteria, body, JSON).status_code == 200
    r = client.put(criteria, {**body, "threshold": 9}, JSON)  # version 0, saved since
    assert r.status_code == 409
    assert client.get(criteria).json()["threshold"] == 12
    # Another organization has its own criteria (the defaults), and cannot reach acme's.
    outsider = login(world.outsider)
    assert outsider.get(criteria).status_code == 404
    assert outsider.put(criteria, {**body, "version": 1}, JSON).status_code == 404
    r = outsider.get(url("api-ehs-criteria", org=world.other_org.slug))
    assert r.status_code == 200 and r.json()["threshold"] == 15 and r.json()["version"] == 0


# The incident settings -----------------------------------------------------------------------


def test_incident_settings_name_who_sees_health_details(world, login):
    settings = url("api-ehs-incident-settings")
    client = login(world.mr)
    r = client.get(settings)
    assert r.status_code == 200
    assert r.json() == {"health_roles": ["top", "mr"], "investigate_days": 7, "version": 0}
    incident = url("api-ehs-incident", pk=world.extra["incident"].pk)
    owner = login(world.owner)
    assert owner.get(incident).json()["injury_details"] is None
    r = login(world.mr).put(
        settings,
        {"version": 0, "health_roles": ["top", "mr", "owner"], "investigate_days": 10},
        JSON,
    )
    assert r.status_code == 200, r.content
    saved = {"health_roles": ["top", "mr", "owner"], "investigate_days": 10, "version": 1}
    assert r.json() == saved
    assert login(world.owner).get(incident).json()["injury_details"] == "Bruised shin"
    # A new report is to be investigated within the new number of days.
    reported = make_incident(world)
    occurred = timezone.localtime(reported.occurred_at).date()
    assert reported.investigate_by == occurred + datetime.timedelta(days=10)


def test_incident_settings_refusals(world, login):
    settings = url("api-ehs-incident-settings")
    body = {"version": 0, "health_roles": ["top", "mr"], "investigate_days": 5}
    assert login(world.owner).get(settings).status_code == 403  # management only, as the page
    assert login(world.owner).put(settings, body, JSON).status_code == 403
    client = login(world.mr)
    r = client.put(settings, {**body, "health_roles": ["external_auditor"]}, JSON)
    assert r.status_code == 400 and "health_roles" in r.json()["errors"]
    r = client.put(settings, {**body, "health_roles": ["nobody"]}, JSON)
    assert r.status_code == 400 and "health_roles" in r.json()["errors"]
    r = client.put(settings, {**body, "investigate_days": 0}, JSON)
    assert r.status_code == 400 and "investigate_days" in r.json()["errors"]
    assert client.get(settings).json()["version"] == 0  # nothing was saved
    assert client.put(settings, body, JSON).status_code == 200
    r = client.put(settings, {**body, "investigate_days": 9}, JSON)  # version 0, saved since
    assert r.status_code == 409
    assert client.get(settings).json()["investigate_days"] == 5
    outsider = login(world.outsider)
    assert outsider.get(settings).status_code == 404
    assert outsider.put(settings, {**body, "version": 1}, JSON).status_code == 404
    r = outsider.get(url("api-ehs-incident-settings", org=world.other_org.slug))
    assert r.status_code == 200 and r.json()["investigate_days"] == 7
