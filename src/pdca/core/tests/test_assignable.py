"""Responsibility goes only to current internal members: never to the external auditor, never to
someone whose access has ended; on the pages, in the API and in every service that assigns."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pdca.audits.models import Audit
from pdca.audits.services import audit_save
from pdca.core.assignable import assignable_members
from pdca.documents.services import document_create
from pdca.improvement import services as improvement
from pdca.improvement.models import Nonconformity
from pdca.records.testing import make_record_type
from pdca.standards.services import roadmap_action_create

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def url(name, **kw):
    return reverse(name, kwargs={"org": "acme", **kw})


@pytest.fixture
def expired(world):
    """The external auditor, with access that ended yesterday."""
    membership = world.memberships["external"]
    membership.expires_on = TODAY - datetime.timedelta(days=1)
    membership.save(update_fields=["expires_on"])
    return world.external


@pytest.fixture
def lapsed(world):
    """An internal auditor whose membership was ended."""
    membership = world.memberships["auditor"]
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    return world.auditor


def test_assignable_members_are_current_internal_members(world, lapsed):
    people = set(assignable_members(world.org))
    assert world.owner in people and world.mr in people
    assert world.external not in people
    assert lapsed not in people
    assert world.outsider not in people


def test_api_refuses_the_external_auditor_as_owner_of_a_nonconformity(world, login, expired):
    client = login(world.mr)
    r = client.post(
        url("api-improvement-ncs"),
        {"title": "Gauge out of date", "description": "Bay 4", "owner": expired.pk},
        content_type="application/json",
    )
    assert r.status_code == 400, r.content
    assert "owner" in r.json()["errors"]
    assert not Nonconformity.objects.filter(title="Gauge out of date").exists()


def test_api_refuses_the_external_auditor_as_owner_of_a_corrective_action(world, login):
    client = login(world.mr)
    r = client.post(
        url("api-improvement-actions", pk=world.extra["im_nc"].pk),
        {"title": "Recalibrate", "owner": world.external.pk, "due_on": str(TODAY)},
        content_type="application/json",
    )
    assert r.status_code == 400, r.content
    assert "owner" in r.json()["errors"]


def test_action_page_shows_the_refusal_next_to_the_owner(world, login):
    client = login(world.mr)
    r = client.post(
        url("improvement:action_add", pk=world.extra["im_nc"].pk),
        {"title": "Recalibrate", "owner": world.external.pk, "due_on": str(TODAY)},
    )
    assert r.status_code == 400
    assert b"errorlist" in r.content
    assert not world.extra["im_nc"].actions.filter(title="Recalibrate").exists()


def test_services_refuse_the_external_auditor_everywhere(world):
    nc = world.extra["im_nc"]
    with pytest.raises(ValidationError) as error:
        improvement.nonconformity_raise(
            actor=world.mr,
            organization=world.org,
            title="t",
            description="d",
            owner=world.external,
        )
    assert "owner" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        improvement.action_plan(
            actor=world.mr, nonconformity=nc, title="a", owner=world.external, due_on=TODAY
        )
    assert "owner" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        improvement.check_plan(
            actor=world.mr, nonconformity=nc, planned_on=TODAY, verifier=world.external
        )
    assert "verifier" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        document_create(
            actor=world.mr,
            organization=world.org,
            doc_type="procedure",
            title="Calibration",
            owner=world.external,
        )
    assert "owner" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        document_create(
            actor=world.mr,
            organization=world.org,
            doc_type="procedure",
            title="Calibration",
            owner=world.owner,
            approvers=[world.external],
        )
    assert "approvers" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_record_type(world, "Gauge checks", owner=world.external)
    assert "owner" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        roadmap_action_create(
            actor=world.mr,
            organization=world.org,
            title="Write the calibration procedure",
            owner=world.external,
            due_on=TODAY,
        )
    assert "owner" in error.value.message_dict
    for field in ("team", "auditees"):
        with pytest.raises(ValidationError) as error:
            audit_save(
                actor=world.mr,
                organization=world.org,
                title="Calibration audit",
                lead_auditor=world.auditor,
                planned_start=TODAY,
                planned_end=TODAY,
                **{field: [world.external]},
            )
        assert field in error.value.message_dict


def test_a_member_whose_access_ended_cannot_be_given_an_action(world, lapsed):
    with pytest.raises(ValidationError) as error:
        improvement.action_plan(
            actor=world.mr,
            nonconformity=world.extra["im_nc"],
            title="a",
            owner=lapsed,
            due_on=TODAY,
        )
    assert "owner" in error.value.message_dict


def test_an_internal_member_is_still_assignable(world):
    action = improvement.action_plan(
        actor=world.mr,
        nonconformity=world.extra["im_nc"],
        title="Retrain",
        owner=world.employee,
        due_on=TODAY,
    )
    assert action.owner == world.employee


def _form_choices(world):
    """Every page form that puts a person in charge, with the fields that do it."""
    from pdca.audits.forms import AuditForm
    from pdca.documents.forms import DistributionForm, DocumentForm
    from pdca.improvement.forms import ActionForm, CheckPlanForm, NonconformityForm
    from pdca.records.forms import RecordTypeForm
    from pdca.standards.forms import AssessmentForm, ProcessForm, RoadmapForm

    org = world.org
    return [
        (AuditForm(organization=org), ("lead_auditor", "team", "auditees")),
        (DocumentForm(organization=org), ("owner", "reviewers", "approvers")),
        (DistributionForm(organization=org), ("users",)),
        (NonconformityForm(organization=org), ("owner",)),
        (ActionForm(organization=org), ("owner",)),
        (CheckPlanForm(organization=org), ("verifier",)),
        (RecordTypeForm(organization=org), ("owner",)),
        (AssessmentForm(organization=org), ("owner",)),
        (ProcessForm(organization=org), ("owner",)),
        (RoadmapForm(organization=org), ("owner",)),
    ]


def test_every_page_form_offers_only_current_internal_members(world, lapsed):
    expected = set(assignable_members(world.org))
    for form, names in _form_choices(world):
        for name in names:
            offered = set(form.fields[name].queryset)
            label = f"{type(form).__name__}.{name}"
            assert world.external not in offered, label
            assert lapsed not in offered, label
            assert world.outsider not in offered, label
            assert offered == expected, label


def test_api_refuses_the_external_auditor_as_lead_auditor_or_in_the_team(world, login):
    client = login(world.mr)
    base = {"title": "Calibration audit", "planned_start": str(TODAY), "planned_end": str(TODAY)}
    for extra in ({"lead_auditor": world.external.pk}, {"team": [world.external.pk]}):
        r = client.post(
            url("api-audits-audits"), {**base, **extra}, content_type="application/json"
        )
        assert r.status_code == 400, r.content
        assert next(iter(extra)) in r.json()["errors"]


def test_api_refuses_a_member_whose_access_ended_as_verifier(world, login, lapsed):
    client = login(world.mr)
    r = client.post(
        url("api-improvement-checks", pk=world.extra["im_nc"].pk),
        {"planned_on": str(TODAY), "verifier": lapsed.pk},
        content_type="application/json",
    )
    assert r.status_code == 400, r.content
    assert "verifier" in r.json()["errors"]


def test_api_refuses_someone_of_another_organization_as_owner(world, login):
    client = login(world.mr)
    r = client.post(
        url("api-improvement-ncs"),
        {"title": "Gauge out of date", "description": "Bay 4", "owner": world.outsider.pk},
        content_type="application/json",
    )
    assert r.status_code == 400, r.content
    assert "owner" in r.json()["errors"]


def test_audit_page_refuses_the_external_auditor_in_the_team(world, login):
    client = login(world.mr)
    r = client.post(
        url("audits:create"),
        {
            "title": "Calibration audit",
            "kind": "internal",
            "planned_start": str(TODAY),
            "planned_end": str(TODAY),
            "lead_auditor": world.auditor.pk,
            "team": [world.external.pk],
        },
    )
    assert r.status_code in (200, 400)  # the planning pages answer an invalid form with 200
    assert b'id="id_team_error"' in r.content
    assert not Audit.objects.filter(title="Calibration audit").exists()
