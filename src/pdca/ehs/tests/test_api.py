"""The aspects, hazards and incidents in the REST API: lists, create, versioned PATCH (409),
bad input on the field, permissions and the organization boundary."""

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def url(name, org="acme", **kw):
    return reverse(name, kwargs={"org": org, **kw})


def test_aspects_list_create_and_reassess(world, login):
    client = login(world.mr)
    r = client.get(url("api-ehs-aspects"))
    assert r.status_code == 200 and r.json()["results"][0]["aspect"] == "Coolant mist to air"
    body = {
        "activity": "Parts washing",
        "aspect": "Solvent vapour",
        "impact_on": "air",
        "impact": "VOC",
        "severity": 9,
        "frequency": 2,
        "stakeholder_concern": 1,
        "owner": world.owner.pk,
    }
    r = client.post(url("api-ehs-aspects"), body, content_type="application/json")
    assert r.status_code == 400 and "severity" in r.json()["errors"]
    r = client.post(
        url("api-ehs-aspects"), {**body, "severity": 5}, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["score"] == 11
    aspect = world.extra["aspect"]
    detail = url("api-ehs-aspect", pk=aspect.pk)
    r = client.patch(
        detail,
        {"version": aspect.version + 5, "reason": "x", "severity": 1},
        content_type="application/json",
    )
    assert r.status_code == 409
    r = client.patch(
        detail,
        {"version": aspect.version, "reason": "New hood", "severity": 1},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["score"] == 6
    assert client.get(url("api-ehs-aspects"), {"impact_on": "nope"}).status_code == 400


def test_hazards_list_create_and_reassess(world, login):
    client = login(world.mr)
    r = client.get(url("api-ehs-hazards"), {"flag": "ppe_only"})
    assert [h["hazard"] for h in r.json()["results"]] == ["Sharp swarf"]
    body = {
        "location_or_task": "Forklift route",
        "hazard_type": "physical",
        "hazard": "Struck by forklift",
        "people_exposed": ["workers", "visitors"],
        "likelihood": 2,
        "consequence": 5,
        "owner": world.owner.pk,
    }
    r = client.post(
        url("api-ehs-hazards"), {**body, "consequence": 7}, content_type="application/json"
    )
    assert r.status_code == 400 and "consequence" in r.json()["errors"]
    r = client.post(url("api-ehs-hazards"), body, content_type="application/json")
    assert r.status_code == 201 and r.json()["score"] == 10 and r.json()["high"]
    hazard = world.extra["hazard"]
    hazard.refresh_from_db()
    r = client.patch(
        url("api-ehs-hazard", pk=hazard.pk),
        {"version": hazard.version, "reason": "Guard", "likelihood": 1},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["score"] == 4 and not r.json()["ppe_only"]
    worker = login(world.employee)
    assert (
        worker.post(url("api-ehs-hazards"), body, content_type="application/json").status_code
        == 403
    )
    assert login(world.outsider).get(url("api-ehs-hazard", pk=hazard.pk)).status_code == 404


def test_incidents_report_and_investigate(world, login):
    worker = login(world.employee)
    body = {
        "occurred_at": timezone.now().isoformat(),
        "place": "Goods in",
        "kind": "near_miss",
        "description": "Pallet slipped from the forks.",
        "injury_details": "None",
    }
    r = worker.post(url("api-ehs-incidents"), body, content_type="application/json")
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["reference"].startswith("INC-") and created["injury_details"] == "None"
    future = {**body, "occurred_at": (timezone.now() + timezone.timedelta(days=2)).isoformat()}
    r = worker.post(url("api-ehs-incidents"), future, content_type="application/json")
    assert r.status_code == 400 and "occurred_at" in r.json()["errors"]
    detail = url("api-ehs-incident", pk=created["id"])
    assert worker.patch(detail, {"version": 1}, content_type="application/json").status_code == 403
    manager = login(world.owner)
    r = manager.patch(
        detail,
        {
            "version": created["version"],
            "lead": world.owner.pk,
            "worker_representative": world.owner.pk,
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and "worker_representative" in r.json()["errors"]
    r = manager.patch(
        detail,
        {
            "version": created["version"],
            "lead": world.owner.pk,
            "worker_representative": world.employee.pk,
            "hazards": [world.extra["hazard"].pk],
        },
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "investigating"
    assert r.json()["injury_details"] is None  # the process owner does not see health details
    assert login(world.outsider).get(detail).status_code == 404
