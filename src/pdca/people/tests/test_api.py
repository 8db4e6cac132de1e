"""The people API: who sees whom, the organization boundary, bad input and stale versions."""

import datetime

import pytest
from rest_framework.test import APIClient

from pdca.core.roles import Role
from pdca.people.models import CompetenceRecord

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
BASE = "/api/v1/o/acme/competence/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_employee_lists_only_themselves_and_management_everyone(world):
    person = world.extra["people_person"]
    mine = api(world.employee).get(BASE + "people/").json()
    assert [p["id"] for p in mine["results"]] == [person.pk]
    records = api(world.employee).get(BASE + "records/").json()["results"]
    assert {r["person"] for r in records} == {person.pk}
    assert api(world.mr).get(BASE + f"people/{person.pk}/").json()["job_roles"] == [
        world.extra["people_job_role"].pk
    ]


def test_another_organization_gets_404(world):
    person = world.extra["people_person"]
    record = world.extra["people_record"]
    outsider = api(world.outsider)
    assert outsider.get(BASE + "people/").status_code == 404
    assert outsider.get(BASE + f"records/{record.pk}/").status_code == 404
    globex = "/api/v1/o/globex/competence/"
    assert outsider.get(globex + f"people/{person.pk}/").status_code == 404
    assert outsider.get(globex + f"records/{record.pk}/").status_code == 404
    response = outsider.post(
        globex + "records/",
        {
            "person": person.pk,
            "competence": world.extra["people_competence"].pk,
            "evidence": "assessment",
            "level": 3,
            "achieved_on": TODAY.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400 and "person" in response.json()["errors"]


def test_recording_through_the_api_refuses_bad_input_with_the_field(world):
    person = world.extra["people_person"]
    body = {
        "person": person.pk,
        "competence": world.extra["people_forklift"].pk,
        "evidence": "qualification",
        "level": 3,
        "achieved_on": TODAY.isoformat(),
        "valid_until": (TODAY + datetime.timedelta(days=365)).isoformat(),
    }
    client = api(world.mr)
    for change, field in (
        ({"level": 8}, "level"),
        ({"achieved_on": (TODAY + datetime.timedelta(days=2)).isoformat()}, "achieved_on"),
        ({"valid_until": (TODAY - datetime.timedelta(days=2)).isoformat()}, "valid_until"),
        ({"evidence": "rumour"}, "evidence"),
        ({"competence": 999999}, "competence"),
    ):
        response = client.post(BASE + "records/", {**body, **change}, format="json")
        assert response.status_code == 400, change
        assert field in response.json()["errors"], (change, response.json())
    assert api(world.employee).post(BASE + "records/", body, format="json").status_code == 403
    response = client.post(BASE + "records/", body, format="json")
    assert response.status_code == 201
    assert CompetenceRecord.objects.filter(pk=response.json()["id"]).exists()


def test_correcting_a_record_needs_its_version_and_a_reason(world):
    record = world.extra["people_record"]
    url = BASE + f"records/{record.pk}/"
    client = api(world.mr)
    stale = client.patch(url, {"version": record.version + 1, "reason": "x", "level": 2})
    assert stale.status_code == 409
    assert client.patch(
        url, {"version": record.version, "reason": " ", "level": 2}
    ).status_code == (400)
    done = client.patch(url, {"version": record.version, "reason": "Typo", "level": 2})
    assert done.status_code == 200 and done.json()["level"] == 2
    assert api(world.employee).patch(url, {"version": 2, "reason": "x"}).status_code == 403


def test_job_roles_and_competences_are_created_and_edited_with_their_version(world):
    client = api(world.mr)
    created = client.post(BASE + "job-roles/", {"name": "Internal auditor"}, format="json")
    assert created.status_code == 201
    role = created.json()
    assert client.post(BASE + "job-roles/", {"name": ""}, format="json").status_code == 400
    assert (
        client.post(BASE + "job-roles/", {"name": "Internal auditor"}, format="json").status_code
        == 400
    )
    url = BASE + f"job-roles/{role['id']}/"
    assert client.patch(url, {"version": role["version"] + 3, "name": "X"}).status_code == 409
    assert client.patch(url, {"name": "X"}).status_code == 400
    assert (
        client.patch(url, {"version": role["version"], "name": "Lead auditor"}).json()["name"]
        == "Lead auditor"
    )
    competence = client.post(
        BASE + "competences/", {"name": "ISO 19011 auditing", "kind": "qualification"}
    )
    assert competence.status_code == 201
    assert client.post(BASE + "competences/", {"name": "X", "kind": "magic"}).status_code == 400
    assert api(world.employee).post(
        BASE + "competences/", {"name": "Y", "kind": "skill"}
    ).status_code == (403)


def test_person_patch(world):
    person = world.extra["people_person"]
    url = BASE + f"people/{person.pk}/"
    client = api(world.mr)
    bad = client.patch(
        url,
        {"version": person.version, "start_date": "2020-05-01", "left_on": "2019-01-01"},
    )
    assert bad.status_code == 400 and "left_on" in bad.json()["errors"]
    ok = client.patch(url, {"version": person.version, "start_date": "2020-05-01"})
    assert ok.status_code == 200 and ok.json()["start_date"] == "2020-05-01"
    assert api(world.owner).patch(url, {"version": 2, "start_date": "2020-01-01"}).status_code == (
        403
    )
    assert api(world.memberships[Role.EMPLOYEE].user).get(url).status_code == 200
