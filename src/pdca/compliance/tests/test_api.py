"""The register in the REST API: lists, detail, create, versioned PATCH (409), withdrawal,
evaluations, the status; permissions, the organization boundary and bad input."""

import datetime

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from pdca.compliance.models import Obligation
from pdca.improvement.models import Nonconformity, Source

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def url(name, org="acme", **kw):
    return reverse(name, kwargs={"org": org, **kw})


def _body(world, **values):
    return {
        "title": "REACH Regulation (EC) 1907/2006",
        "discipline": "ohs",
        "kind": "regulation",
        "requirement": "Safety data sheets for every hazardous substance on site.",
        "responsible": world.owner.pk,
        **values,
    }


def test_list_filters_and_create(world, login):
    client = login(world.mr)
    r = client.get(url("api-compliance-obligations"))
    assert r.status_code == 200
    assert any(o["title"] == "Water discharge permit" for o in r.json()["results"])
    r = client.post(
        url("api-compliance-obligations"), _body(world), content_type="application/json"
    )
    assert r.status_code == 201, r.content
    assert r.json()["next_evaluation_on"] == TODAY.isoformat()
    r = client.get(url("api-compliance-obligations"), {"discipline": "ohs"})
    assert [o["title"] for o in r.json()["results"]] == ["REACH Regulation (EC) 1907/2006"]
    assert client.get(url("api-compliance-obligations"), {"kind": "nope"}).status_code == 400


def test_bad_input_is_refused_on_the_field(world, login):
    client = login(world.mr)
    r = client.post(
        url("api-compliance-obligations"),
        _body(world, permit_expires_on=TODAY.isoformat()),
        content_type="application/json",
    )
    assert r.status_code == 400 and "permit_expires_on" in r.json()["errors"]
    r = client.post(
        url("api-compliance-obligations"), _body(world, title=""), content_type="application/json"
    )
    assert r.status_code == 400 and "title" in r.json()["errors"]
    r = client.post(
        url("api-compliance-obligations"),
        _body(world, responsible=world.outsider.pk),
        content_type="application/json",
    )
    assert r.status_code == 400 and "responsible" in r.json()["errors"]


def test_patch_needs_version_and_reason_and_conflicts(world, login):
    ob = world.extra["obligation"]
    client = login(world.mr)
    target = url("api-compliance-obligation", pk=ob.pk)
    r = client.patch(target, {"title": "X", "reason": "r"}, content_type="application/json")
    assert r.status_code == 400
    r = client.patch(target, {"title": "X", "version": ob.version}, content_type="application/json")
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = client.patch(
        target,
        {"permit_number": "WE-2026-031", "version": ob.version, "reason": "Renewed"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["version"] == ob.version + 1
    r = client.patch(
        target,
        {"permit_number": "WE-1", "version": ob.version, "reason": "Stale"},
        content_type="application/json",
    )
    assert r.status_code == 409
    assert client.delete(target).status_code == 405


def test_withdraw_through_the_api(world, login):
    ob = world.extra["obligation"]
    target = url("api-compliance-obligation-withdraw", pk=ob.pk)
    owner = login(world.owner)
    assert owner.post(target, {"version": ob.version, "reason": "x"}).status_code == 403
    client = login(world.mr)
    assert client.post(target, {"version": ob.version, "reason": ""}).status_code == 400
    r = client.post(target, {"version": ob.version, "reason": "Permit surrendered"})
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    with scopes_disabled():
        assert Obligation.objects.filter(pk=ob.pk).exists()


def test_evaluations_create_correct_and_raise_an_nc(world, login):
    ob = world.extra["obligation"]
    client = login(world.mr)
    body = {
        "obligation": ob.pk,
        "evaluated_on": TODAY.isoformat(),
        "method": "measurement",
        "result": "non_compliant",
        "evidence": "",
        "evaluator": world.mr.pk,
    }
    r = client.post(url("api-compliance-evaluations"), body, content_type="application/json")
    assert r.status_code == 400 and "evidence" in r.json()["errors"]
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    r = client.post(
        url("api-compliance-evaluations"),
        {**body, "evidence": "x", "evaluated_on": future},
        content_type="application/json",
    )
    assert r.status_code == 400 and "evaluated_on" in r.json()["errors"]
    r = client.post(
        url("api-compliance-evaluations"),
        {**body, "evidence": "2.8 m3 on 3 May"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    evaluation = r.json()
    with scopes_disabled():
        assert Nonconformity.objects.filter(
            source=Source.COMPLIANCE, source_id=evaluation["id"]
        ).exists()
    target = url("api-compliance-evaluation", pk=evaluation["id"])
    assert client.get(target).json()["result"] == "non_compliant"
    r = client.patch(
        target,
        {"notes": "Meter M-3", "version": evaluation["version"], "reason": "Meter named"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "corrected"
    r = client.patch(
        target,
        {"notes": "again", "version": evaluation["version"], "reason": "Stale"},
        content_type="application/json",
    )
    assert r.status_code == 409
    r = client.get(url("api-compliance-evaluations"), {"result": "non_compliant"})
    assert [e["id"] for e in r.json()["results"]] == [evaluation["id"]]
    r = client.get(url("api-compliance-status"))
    env = next(s for s in r.json() if s["discipline"] == "environment")
    assert env["non_compliant"] == 1


def test_permissions_on_every_method(world, login):
    ob = world.extra["obligation"]
    ev = world.extra["evaluation"]
    worker = login(world.employee)
    assert worker.get(url("api-compliance-obligations")).status_code == 200
    assert worker.get(url("api-compliance-evaluations")).status_code == 200
    assert worker.get(url("api-compliance-status")).status_code == 200
    r = worker.post(
        url("api-compliance-obligations"), _body(world), content_type="application/json"
    )
    assert r.status_code == 403
    r = worker.patch(
        url("api-compliance-obligation", pk=ob.pk),
        {"title": "x", "version": ob.version, "reason": "r"},
        content_type="application/json",
    )
    assert r.status_code == 403
    r = worker.post(url("api-compliance-evaluations"), {}, content_type="application/json")
    assert r.status_code == 403
    r = worker.patch(
        url("api-compliance-evaluation", pk=ev.pk), {}, content_type="application/json"
    )
    assert r.status_code == 403
    auditor = login(world.auditor)
    r = auditor.post(
        url("api-compliance-evaluations"),
        {
            "obligation": ob.pk,
            "evaluated_on": TODAY.isoformat(),
            "method": "document_review",
            "result": "compliant",
            "evidence": "Permit file and meter log read.",
            "evaluator": world.auditor.pk,
        },
        content_type="application/json",
    )
    assert r.status_code == 201


def test_organization_boundary(world, login):
    ob = world.extra["obligation"]
    ev = world.extra["evaluation"]
    outsider = login(world.outsider)
    assert outsider.get(url("api-compliance-obligation", pk=ob.pk)).status_code == 404
    assert outsider.get(url("api-compliance-evaluations")).status_code == 404
    # A member of the other organization cannot reach acme's rows under its own slug
    with scopes_disabled():
        from pdca.core.models import Membership

        other = Membership.objects.filter(organization=world.other_org).first()
    if other is not None:
        client = login(other.user)
        slug = world.other_org.slug
        assert client.get(url("api-compliance-obligation", org=slug, pk=ob.pk)).status_code == 404
        assert client.get(url("api-compliance-evaluation", org=slug, pk=ev.pk)).status_code == 404
        r = client.get(url("api-compliance-obligations", org=slug))
        assert r.status_code == 200 and r.json()["results"] == []
    # Evaluating another organization's obligation from acme is refused
    mr = login(world.mr)
    r = mr.post(
        url("api-compliance-evaluations"),
        {
            "obligation": 10**9,
            "evaluated_on": TODAY.isoformat(),
            "method": "inspection",
            "result": "compliant",
            "evidence": "x",
            "evaluator": world.mr.pk,
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and "obligation" in r.json()["errors"]
