"""Every API endpoint loads its object through the shared loader, which applies the policy's
object rule: an endpoint cannot forget it (the audits and nonconformity endpoints once did)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def url(name, **kw):
    return reverse(name, kwargs={"org": "acme", **kw})


def test_checklist_is_refused_to_a_planner_outside_the_audit_team(world, login):
    client = login(world.top)
    r = client.get(url("api-audits-checklist", pk=world.extra["au_audit"].pk))
    assert r.status_code == 403 and "audit team" in r.json()["detail"]


def test_findings_are_recorded_only_by_the_audit_team(world, login):
    client = login(world.top)
    r = client.post(
        url("api-audits-findings", pk=world.extra["au_audit"].pk),
        {"grade": "observation", "statement": "x"},
        content_type="application/json",
    )
    assert r.status_code == 403 and "audit team" in r.json()["detail"]


def test_an_action_is_updated_only_by_its_owner_or_a_manager(world, login):
    client = login(world.employee)
    r = client.patch(
        url("api-improvement-action", pk=world.extra["im_action"].pk),
        {"status": "in_progress"},
        content_type="application/json",
    )
    assert r.status_code == 403 and "owner" in r.json()["detail"]


def test_the_owner_updates_the_action(world, login):
    client = login(world.owner)
    r = client.patch(
        url("api-improvement-action", pk=world.extra["im_action"].pk),
        {"status": "in_progress"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.json()


def test_another_organizations_object_is_not_found(world, login):
    client = login(world.outsider)
    r = client.get(url("api-improvement-action", pk=world.extra["im_action"].pk))
    assert r.status_code == 404
