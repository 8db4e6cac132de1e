"""The register's pages: list and filters, an obligation with its versions, the forms and
their errors, withdrawal, permissions, the organization boundary and the query counts."""

import datetime

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from pdca.compliance.models import Obligation, ObligationStatus
from pdca.compliance.testing import make_obligation
from pdca.core.roles import Role

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def url(name, org="acme", **kw):
    return reverse(name, kwargs={"org": org, **kw})


def _form(world, **values):
    data = {
        "title": "Waste act (KrWG)",
        "discipline": "environment",
        "kind": "law",
        "jurisdiction": "Germany",
        "citation": "KrWG § 7",
        "requirement": "Separate and recover waste before disposal.",
        "responsible": world.mr.pk,
        "next_check_on": (TODAY + datetime.timedelta(days=90)).isoformat(),
        "evaluation_months": 12,
    }
    data.update(values)
    return data


def test_list_shows_the_register_and_filters(world, login):
    make_obligation(
        world,
        title="Machinery directive",
        discipline="ohs",
        kind="regulation",
        permit_number="",
        permit_expires_on=None,
        next_check_on=TODAY - datetime.timedelta(days=3),
        responsible=world.owner,
    )
    client = login(world.employee)
    r = client.get(url("compliance:list"))
    assert r.status_code == 200
    assert b"Water discharge permit" in r.content and b"Machinery directive" in r.content
    r = client.get(url("compliance:list"), {"discipline": "ohs"})
    assert b"Machinery directive" in r.content and b"Water discharge permit" not in r.content
    r = client.get(url("compliance:list"), {"kind": "permit"})
    assert b"Water discharge permit" in r.content and b"Machinery directive" not in r.content
    r = client.get(url("compliance:list"), {"next_check": "overdue"})
    assert b"Machinery directive" in r.content and b"Water discharge permit" not in r.content
    r = client.get(url("compliance:list"), {"responsible": world.owner.pk})
    assert b"Machinery directive" in r.content and b"Water discharge permit" not in r.content
    # The filter offers the people responsible for an obligation, not every member.
    choices = r.context["form"].fields["responsible"].queryset
    assert set(choices) == {world.mr, world.owner}
    r = client.get(url("compliance:list"), {"q": "nothing like it"})
    assert b"No obligation matches these filters." in r.content
    # htmx gets the rows alone
    r = client.get(url("compliance:list"), {"q": "Machinery"}, HTTP_HX_REQUEST="true")
    assert b"Machinery directive" in r.content and b"<html" not in r.content


def test_empty_register_tells_what_to_do_first(world, login):
    with scopes_disabled():
        Obligation.objects.filter(organization=world.org).update(status="withdrawn")
    r = login(world.mr).get(url("compliance:list"))
    assert b"No obligations in the register yet." in r.content


def test_list_query_count_does_not_grow_with_rows(world, login, django_assert_max_num_queries):
    client = login(world.mr)
    client.get(url("compliance:list"))  # warm the session and caches
    with django_assert_max_num_queries(12) as few:
        client.get(url("compliance:list"))
    for i in range(25):
        make_obligation(world, title=f"Permit {i:02}", responsible=world.owner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = client.get(url("compliance:list"))
    assert b"Permit 00" in r.content


def test_detail_shows_versions_and_history(world, login):
    ob = world.extra["obligation"]
    client = login(world.mr)
    r = client.get(url("compliance:detail", pk=ob.pk))
    assert r.status_code == 200 and b"No earlier versions" in r.content
    data = _form(
        world,
        title="Water discharge permit",
        kind="permit",
        permit_number="WE-2026-031",
        permit_expires_on=(TODAY + datetime.timedelta(days=900)).isoformat(),
        reason="Permit renewed for five years",
        version=ob.version,
    )
    r = client.post(url("compliance:edit", pk=ob.pk), data)
    assert r.status_code == 302, r.content
    r = client.get(url("compliance:detail", pk=ob.pk))
    assert b"Permit renewed for five years" in r.content and b"WE-2024-117" in r.content


def test_create_shows_errors_next_to_the_fields(world, login):
    client = login(world.mr)
    r = client.post(url("compliance:create"), _form(world, title="", requirement=""))
    assert r.status_code == 400 and b"errorlist" in r.content
    # the model's rule (expiry only on a permit or licence), next to its field
    r = client.post(
        url("compliance:create"),
        _form(world, permit_expires_on=(TODAY + datetime.timedelta(days=10)).isoformat()),
    )
    assert r.status_code == 400
    assert "permit_expires_on" in r.context["form"].errors
    r = client.post(url("compliance:create"), _form(world))
    assert r.status_code == 302
    assert Obligation.objects.filter(title="Waste act (KrWG)").exists()


def test_edit_needs_a_reason_and_the_current_version(world, login):
    ob = world.extra["obligation"]
    client = login(world.mr)
    base = _form(world, kind="permit", title=ob.title, version=ob.version)
    r = client.post(url("compliance:edit", pk=ob.pk), {**base, "reason": ""})
    assert r.status_code == 400 and "reason" in r.context["form"].errors
    r = client.post(
        url("compliance:edit", pk=ob.pk), {**base, "reason": "x", "version": ob.version + 3}
    )
    assert r.status_code == 409


def test_withdraw_keeps_the_obligation(world, login):
    ob = world.extra["obligation"]
    client = login(world.mr)
    r = client.post(url("compliance:withdraw", pk=ob.pk), {"reason": "", "version": ob.version})
    assert r.status_code == 400 and "reason" in r.context["form"].errors
    r = client.post(
        url("compliance:withdraw", pk=ob.pk),
        {"reason": "Permit surrendered", "version": ob.version},
    )
    assert r.status_code == 302
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.WITHDRAWN
    r = client.get(url("compliance:list"), {"status": "withdrawn"})
    assert b"Water discharge permit" in r.content
    page = client.get(url("compliance:detail", pk=ob.pk)).content
    assert b"Permit surrendered" in page
    assert url("compliance:withdraw", pk=ob.pk).encode() not in page


def test_permissions_per_role(world, login):
    ob = world.extra["obligation"]
    worker = login(world.employee)
    assert worker.get(url("compliance:detail", pk=ob.pk)).status_code == 200
    assert worker.get(url("compliance:create")).status_code == 403
    assert worker.post(url("compliance:create"), _form(world)).status_code == 403
    assert worker.get(url("compliance:edit", pk=ob.pk)).status_code == 403
    owner = login(world.users[Role.PROCESS_OWNER])
    assert owner.get(url("compliance:edit", pk=ob.pk)).status_code == 200
    assert (
        owner.post(
            url("compliance:withdraw", pk=ob.pk), {"reason": "x", "version": ob.version}
        ).status_code
        == 403
    )


def test_other_organization_sees_nothing(world, login):
    ob = world.extra["obligation"]
    client = login(world.outsider)
    assert client.get(url("compliance:detail", pk=ob.pk)).status_code == 404
    assert client.get(url("compliance:list")).status_code == 404
    # A member of acme asking for acme's obligation under the other organization's slug
    mr = login(world.mr)
    r = mr.get(url("compliance:detail", org=world.other_org.slug, pk=ob.pk))
    assert r.status_code == 404
