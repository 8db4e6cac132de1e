"""The risks API: the register's rules through the API (owner, scales, retention above the
criteria, acceptance by the owner only), permissions, the organization boundary, 409 on a
stale change, no deletion, and the other lists."""

import pytest
from django.urls import reverse

from pdca.core.testing import PASSWORD
from pdca.risks.models import Risk

pytestmark = pytest.mark.django_db


def url(world, name, org=None, **kwargs):
    return reverse(name, kwargs={"org": org or world.org.slug, **kwargs})


def post(client, address, data):
    return client.post(address, data, content_type="application/json")


def test_enter_a_risk_through_the_api_with_its_rules(world, login):
    client = login(world.mr)
    base = {"title": "Flooded yard", "likelihood": 2, "consequence": 4}
    r = post(client, url(world, "api-risks-list"), {**base, "owner": None})
    assert r.status_code == 400 and "owner" in r.json()["errors"]
    r = post(
        client, url(world, "api-risks-list"), {**base, "owner": world.owner.pk, "likelihood": 9}
    )
    assert r.status_code == 400 and "likelihood" in r.json()["errors"]
    r = post(
        client, url(world, "api-risks-list"), {**base, "owner": world.owner.pk, "process": 999999}
    )
    assert r.status_code == 400
    r = post(client, url(world, "api-risks-list"), {**base, "owner": world.owner.pk})
    assert r.status_code == 201
    created = r.json()
    assert created["score"] == 8 and created["method_number"] == world.extra["rk_method"].number
    listed = client.get(url(world, "api-risks-list"), {"min_score": 8}).json()
    titles = (
        [row["title"] for row in listed["results"]]
        if "results" in listed
        else [row["title"] for row in listed]
    )
    assert "Flooded yard" in titles
    assert (
        post(
            login(world.employee), url(world, "api-risks-list"), {**base, "owner": world.owner.pk}
        ).status_code
        == 403
    )


def test_treatment_acceptance_and_no_deletion_through_the_api(world, login):
    risk = world.extra["rk_risk"]
    client = login(world.mr)
    retain = {"treatment": "retain", "residual_likelihood": 3, "residual_consequence": 4}
    r = post(client, url(world, "api-risks-treat", pk=risk.pk), {**retain, "version": risk.version})
    assert r.status_code == 400 and "treatment" in r.json()["errors"]
    assert (
        post(client, url(world, "api-risks-accept", pk=risk.pk), {"password": PASSWORD}).status_code
        == 403
    )
    owner = login(world.owner)
    r = post(owner, url(world, "api-risks-accept", pk=risk.pk), {"password": "wrong"})
    assert r.status_code == 400
    r = post(owner, url(world, "api-risks-accept", pk=risk.pk), {"password": PASSWORD})
    assert r.status_code == 200 and r.json()["accepted_by"] == world.owner.pk
    delete = client.delete(url(world, "api-risks-risk", pk=risk.pk))
    assert delete.status_code == 405 and Risk.objects.filter(pk=risk.pk).exists()
    r = post(client, url(world, "api-risks-close", pk=risk.pk), {"reason": ""})
    assert r.status_code == 400
    r = post(
        client, url(world, "api-risks-close", pk=risk.pk), {"reason": "Second foundry qualified"}
    )
    assert r.status_code == 200 and r.json()["status"] == "closed"


def test_a_stale_change_is_409_and_the_boundary_is_404(world, login):
    risk = world.extra["rk_risk"]
    client = login(world.mr)
    address = url(world, "api-risks-risk", pk=risk.pk)
    ok = client.patch(
        address,
        {"title": "Foundry fails", "version": risk.version},
        content_type="application/json",
    )
    assert ok.status_code == 200
    stale = client.patch(
        address, {"title": "Again", "version": risk.version}, content_type="application/json"
    )
    assert stale.status_code == 409
    outsider = login(world.outsider)
    assert outsider.get(address).status_code == 404
    assert outsider.get(url(world, "api-risks-risk", org="globex", pk=risk.pk)).status_code == 404
    assert (
        post(outsider, url(world, "api-risks-assess", org="globex", pk=risk.pk), {}).status_code
        == 404
    )


def test_actions_assets_runs_and_context_lists(world, login):
    client = login(world.mr)
    risk = world.extra["rk_risk"]
    r = post(
        client,
        url(world, "api-risks-actions", pk=risk.pk),
        {"title": "Audit the foundry", "owner": world.outsider.pk, "due_on": "2030-01-01"},
    )
    assert r.status_code == 400
    action = world.extra["rk_action"]
    r = client.patch(
        url(world, "api-risks-action", pk=action.pk),
        {"status": "done", "notes": "", "version": action.version},
        content_type="application/json",
    )
    assert r.status_code == 400 and "notes" in r.json()["errors"]
    assert client.get(url(world, "api-risks-issues")).status_code == 200
    assert client.get(url(world, "api-risks-parties")).status_code == 200
    r = post(client, url(world, "api-risks-assets"), {"name": "WMS", "kind": "system"})
    assert r.status_code == 201
    r = post(client, url(world, "api-risks-runs"), {"reason": "sometime"})
    assert r.status_code == 400
    r = post(client, url(world, "api-risks-runs"), {"reason": "change"})
    assert r.status_code == 201 and r.json()["risk_count"] == 1
