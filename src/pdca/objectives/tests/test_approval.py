"""Top management's signed approval of a year's set of objectives: who signs, with the password,
what a changed set means, readiness, the pages and the API."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from pdca.core.models import TrailEntry
from pdca.core.testing import PASSWORD
from pdca.objectives import services
from pdca.objectives.models import SetApproval
from pdca.standards.models import EvidenceLink

pytestmark = pytest.mark.django_db


def url(name: str, org: str = "acme", **kwargs) -> str:
    return reverse(f"objectives:{name}", kwargs={"org": org, **kwargs})


def year_of(world) -> int:
    return world.extra["ob_objective"].deadline.year


def test_the_world_set_is_approved_signed_and_evidence_for_6_2(world):
    approval = world.extra["ob_approval"]
    assert approval.is_current and approval.signed_by == world.top
    assert world.extra["ob_objective"] in approval.objectives.all()
    assert "Deliver on time" in approval.text and len(approval.sha256) == 64
    link = EvidenceLink.objects.get(object_id=approval.pk, content_type__model="setapproval")
    assert link.clause.number == "6.2.1"
    assert TrailEntry.objects.filter(action="objectives.approval.signed").exists()


def test_only_top_management_signs_and_with_the_right_password(world):
    year = year_of(world)
    for person in (world.mr, world.consultant, world.owner):
        with pytest.raises(ValidationError, match="top management"):
            services.set_approve(actor=person, organization=world.org, year=year, password=PASSWORD)
    services.objective_update(
        actor=world.mr,
        objective=world.extra["ob_objective"],
        expected_version=world.extra["ob_objective"].version,
        target="≥ 98 % on time",
    )
    with pytest.raises(ValidationError) as error:
        services.set_approve(actor=world.top, organization=world.org, year=year, password="wrong")
    assert "password" in error.value.message_dict
    assert TrailEntry.objects.filter(action="objectives.approval.signature_refused").exists()


def test_an_unchanged_set_is_not_signed_twice_and_an_empty_year_has_no_set(world):
    with pytest.raises(ValidationError) as error:
        services.set_approve(
            actor=world.top, organization=world.org, year=year_of(world), password=PASSWORD
        )
    assert "year" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.set_approve(actor=world.top, organization=world.org, year=2001, password=PASSWORD)
    assert "no set" in str(error.value)


def test_a_changed_set_needs_a_new_approval(world):
    approval = world.extra["ob_approval"]
    objective = world.extra["ob_objective"]
    # A change of progress (status) is not a change of the set.
    saved = services.objective_update(
        actor=world.mr, objective=objective, expected_version=objective.version, status="at_risk"
    )
    approval.refresh_from_db()
    assert approval.is_current
    # A new objective of the year changes it.
    services.objective_create(
        actor=world.mr,
        organization=world.org,
        title="Less scrap",
        owner=world.owner,
        target="≤ 1.5 %",
        deadline=saved.deadline,
    )
    approval.refresh_from_db()
    assert not approval.is_current
    assert TrailEntry.objects.filter(action="objectives.approval.outdated").exists()
    valid = EvidenceLink.objects.filter(object_id=approval.pk, content_type__model="setapproval")
    assert valid.exists()  # the link stays; the readiness validity rule no longer counts it
    assert not SetApproval.objects.filter(pk=approval.pk, outdated_at__isnull=True).exists()
    again = services.set_approve(
        actor=world.top, organization=world.org, year=saved.deadline.year, password=PASSWORD
    )
    assert again.is_current and again.objectives.count() == 2
    # Withdrawing one changes the set again.
    services.objective_withdraw(actor=world.mr, objective=saved, reason="Merged")
    again.refresh_from_db()
    assert not again.is_current


def test_moving_an_objective_to_another_year_changes_both_sets(world):
    objective = world.extra["ob_objective"]
    approval = world.extra["ob_approval"]
    services.objective_update(
        actor=world.mr,
        objective=objective,
        expected_version=objective.version,
        deadline=datetime.date(objective.deadline.year + 1, 6, 30),
    )
    approval.refresh_from_db()
    assert not approval.is_current


def test_pages_list_show_and_sign(world, login, django_assert_max_num_queries):
    approval = world.extra["ob_approval"]
    client = login(world.employee)
    page = client.get(url("approvals"))
    assert page.status_code == 200 and str(approval.year).encode() in page.content
    assert b"approvals/approve/" not in page.content
    assert client.get(url("approval", pk=approval.pk)).status_code == 200
    assert client.get(url("approve")).status_code == 403
    top = login(world.top)
    year = year_of(world)
    with django_assert_max_num_queries(25):
        page = top.get(url("approve") + f"?year={year}")
    assert page.status_code == 200 and b"Deliver on time" in page.content
    refused = top.post(url("approve"), {"year": year, "password": PASSWORD})
    assert refused.status_code == 400 and b"approved already" in refused.content
    objective = world.extra["ob_objective"]
    services.objective_update(
        actor=world.mr, objective=objective, expected_version=objective.version, title="On time"
    )
    wrong = top.post(url("approve"), {"year": year, "password": "nope"})
    assert wrong.status_code == 400 and b"password is not correct" in wrong.content
    bad = top.post(url("approve"), {"year": "soon", "password": PASSWORD})
    assert bad.status_code == 400
    done = top.post(url("approve"), {"year": year, "password": PASSWORD})
    assert done.status_code == 302
    new = SetApproval.objects.get(organization=world.org, year=year, outdated_at__isnull=True)
    assert done["Location"] == url("approval", pk=new.pk)


def test_approval_list_queries_do_not_grow(world, login, django_assert_max_num_queries):
    client = login(world.mr)
    client.get(url("approvals"))
    with django_assert_max_num_queries(20):
        assert client.get(url("approvals")).status_code == 200


def test_api_lists_reads_and_signs(world):
    approval = world.extra["ob_approval"]
    client = APIClient()
    client.force_authenticate(world.employee)
    listed = client.get(reverse("api-objectives-approvals", kwargs={"org": "acme"}))
    assert listed.status_code == 200 and listed.json()["results"][0]["id"] == approval.pk
    one = client.get(reverse("api-objectives-approval", kwargs={"org": "acme", "pk": approval.pk}))
    assert one.status_code == 200 and one.json()["is_current"] is True
    body = {"year": approval.year, "password": PASSWORD}
    endpoint = reverse("api-objectives-approvals", kwargs={"org": "acme"})
    assert client.post(endpoint, body, format="json").status_code == 403
    client.force_authenticate(world.top)
    assert client.post(endpoint, body, format="json").status_code == 400
    assert client.post(endpoint, {"year": "x"}, format="json").status_code == 400
    other = reverse("api-objectives-approval", kwargs={"org": "globex", "pk": approval.pk})
    assert client.get(other).status_code in (403, 404)
