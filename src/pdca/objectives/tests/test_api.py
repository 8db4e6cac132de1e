"""The objectives API: the same rules as the pages, permissions, the organization boundary,
bad input and stale versions (409)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from pdca.objectives.models import Correction, Indicator, Measurement, Objective, period_start

pytestmark = pytest.mark.django_db
THIS_MONTH = period_start(timezone.localdate(), "monthly")


def api(name: str, org: str = "acme", **kwargs) -> str:
    return reverse(name, kwargs={"org": org, **kwargs})


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_objective_create_patch_and_never_delete(world):
    client = client_for(world.mr)
    body = {"title": "Less scrap", "owner": world.owner.pk, "target": "≤ 1.5 %"}
    response = client.post(api("api-objectives-objectives"), body, format="json")
    assert response.status_code == 400 and "deadline" in response.json()["errors"]
    body["deadline"] = "2027-12-31"
    body["editions"] = [world.extra["iso9001"].edition_id]
    response = client.post(api("api-objectives-objectives"), body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    url = api("api-objectives-objective", pk=data["id"])
    response = client.patch(url, {"status": "at_risk", "version": data["version"]}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "at_risk"
    stale = client.patch(url, {"title": "X", "version": data["version"]}, format="json")
    assert stale.status_code == 409
    missing = client.patch(url, {"title": "X"}, format="json")
    assert missing.status_code == 400
    assert client.delete(url).status_code == 405
    assert Objective.objects.filter(pk=data["id"]).exists()
    response = client.post(
        api("api-objectives-withdraw", pk=data["id"]), {"reason": ""}, format="json"
    )
    assert response.status_code == 400
    response = client.post(
        api("api-objectives-withdraw", pk=data["id"]), {"reason": "Merged"}, format="json"
    )
    assert response.json()["status"] == "withdrawn"


def test_only_managers_set_objectives(world):
    body = {"title": "Mine", "owner": world.employee.pk}
    response = client_for(world.employee).post(api("api-objectives-objectives"), body)
    assert response.status_code == 403


def test_kpi_bad_input_is_refused_with_the_field(world):
    client = client_for(world.mr)
    body = {
        "name": "Scrap rate",
        "definition": "Scrapped / made",
        "value_type": "percent",
        "direction": "lower",
        "target": "1.5",
        "red_threshold": "1",
        "owner": world.owner.pk,
    }
    response = client.post(api("api-objectives-kpis"), body, format="json")
    assert response.status_code == 400 and "red_threshold" in response.json()["errors"]
    body["red_threshold"] = "2.5"
    body["objective"] = 999999
    response = client.post(api("api-objectives-kpis"), body, format="json")
    assert response.status_code == 400 and "objective" in response.json()["errors"]
    body.pop("objective")
    response = client.post(api("api-objectives-kpis"), body, format="json")
    assert response.status_code == 201
    assert Indicator.objects.get(pk=response.json()["id"]).owner == world.owner


def test_measurements_entered_listed_and_corrected(world):
    kpi = world.extra["ob_kpi"]
    client = client_for(world.owner)
    url = api("api-objectives-measurements", pk=kpi.pk)
    bad = client.post(url, {"period": THIS_MONTH.replace(day=2).isoformat(), "value": "98"})
    assert bad.status_code == 400 and "period" in bad.json()["errors"]
    wrong = client.post(url, {"period": THIS_MONTH.isoformat(), "value": "180"})
    assert wrong.status_code == 400 and "value" in wrong.json()["errors"]
    response = client.post(url, {"period": THIS_MONTH.isoformat(), "value": "98"})
    assert response.status_code == 201 and response.json()["rating"] == "green"
    again = client.post(url, {"period": THIS_MONTH.isoformat(), "value": "97"})
    assert again.status_code == 400
    listed = client.get(url).json()
    assert listed["results"][0]["period"] == THIS_MONTH.isoformat()
    m = Measurement.objects.get(pk=response.json()["id"])
    detail = api("api-objectives-measurement", pk=m.pk)
    no_reason = client.patch(detail, {"value": "96", "version": m.version}, format="json")
    assert no_reason.status_code == 400
    fixed = client.patch(
        detail, {"value": "96", "reason": "Late returns", "version": m.version}, format="json"
    )
    assert fixed.status_code == 200 and fixed.json()["value"] == "96.0000"
    assert Correction.objects.filter(measurement=m, old_value=98).exists()
    stale = client.patch(
        detail, {"value": "95", "reason": "Again", "version": m.version}, format="json"
    )
    assert stale.status_code == 409


def test_employee_cannot_enter_results_of_someone_elses_kpi(world):
    kpi = world.extra["ob_kpi"]
    response = client_for(world.employee).post(
        api("api-objectives-measurements", pk=kpi.pk),
        {"period": THIS_MONTH.isoformat(), "value": "98"},
    )
    assert response.status_code == 403


def test_another_organization_sees_none_of_it(world):
    client = client_for(world.outsider)
    other = world.other_org.slug
    kpi = world.extra["ob_kpi"]
    for name, pk in (
        ("api-objectives-objective", world.extra["ob_objective"].pk),
        ("api-objectives-kpi", kpi.pk),
        ("api-objectives-measurements", kpi.pk),
        ("api-objectives-measurement", world.extra["ob_measurement"].pk),
        ("api-objectives-action", world.extra["ob_action"].pk),
    ):
        assert client.get(api(name, org=other, pk=pk)).status_code == 404, name
    assert client.get(api("api-objectives-objective", pk=kpi.pk)).status_code == 404


def test_action_planned_and_updated(world):
    objective = world.extra["ob_objective"]
    client = client_for(world.mr)
    url = api("api-objectives-actions", pk=objective.pk)
    bad = client.post(url, {"title": "Train", "owner": world.outsider.pk, "due_on": "2027-01-31"})
    assert bad.status_code == 400
    made = client.post(url, {"title": "Train", "owner": world.owner.pk, "due_on": "2027-01-31"})
    assert made.status_code == 201
    action = made.json()
    detail = api("api-objectives-action", pk=action["id"])
    response = client_for(world.owner).patch(
        detail, {"status": "done", "notes": "Done", "version": action["version"]}, format="json"
    )
    assert response.status_code == 200 and response.json()["done_on"]
