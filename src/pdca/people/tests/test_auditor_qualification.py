"""Leading an internal audit needs a valid internal auditor qualification (ISO 19011 clause 7):
planning warns without one, and refuses an expired one as lead unless a reason is given, which
the trail records. The audits app asks through `audits.qualification`; the people module
answers from the competences marked as the qualification."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pdca.audits import services as audits
from pdca.audits.services.planning import qualification_warnings
from pdca.core.models import TrailEntry
from pdca.core.roles import Role
from pdca.people import services
from pdca.people.models import CompetenceKind, Evidence, Level

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def plan(world, **extra):
    values = {
        "title": "Production audit",
        "planned_start": TODAY + datetime.timedelta(days=7),
        "planned_end": TODAY + datetime.timedelta(days=7),
        "lead_auditor": world.auditor,
        "programme": world.extra["au_programme"],
    }
    values.update(extra)
    return audits.audit_save(actor=world.mr, organization=world.org, **values)


def qualification(world, *, valid_until=None, achieved_days_ago=400):
    competence = services.competence_save(
        actor=world.mr,
        organization=world.org,
        name="Internal auditor (ISO 19011)",
        kind=CompetenceKind.QUALIFICATION,
        is_auditor_qualification=True,
    )
    if valid_until is not False:
        services.competence_record_create(
            actor=world.mr,
            membership=world.memberships[Role.INTERNAL_AUDITOR],
            competence=competence,
            evidence=Evidence.QUALIFICATION,
            level=Level.COMPETENT,
            achieved_on=TODAY - datetime.timedelta(days=achieved_days_ago),
            valid_until=valid_until,
        )
    return competence


def test_without_a_marked_competence_nothing_is_said(world):
    audit = plan(world)
    assert qualification_warnings(audit) == []


def test_planning_warns_about_an_auditor_without_the_qualification(world):
    qualification(world, valid_until=False)
    audit = plan(world, team=[world.top])
    warnings = qualification_warnings(audit)
    assert any(f"{world.auditor} holds no internal auditor qualification" in w for w in warnings)
    assert any(str(world.top) in w for w in warnings)


def test_a_valid_qualification_leads_without_a_word(world):
    qualification(world, valid_until=TODAY + datetime.timedelta(days=365))
    assert qualification_warnings(plan(world)) == []


def test_an_expired_qualification_refuses_the_lead_unless_a_reason_is_given(world):
    qualification(world, valid_until=TODAY - datetime.timedelta(days=10))
    with pytest.raises(ValidationError) as error:
        plan(world)
    assert "has expired" in str(error.value.message_dict["qualification_override"])
    audit = plan(world, qualification_override="Renewal course booked; no other auditor free.")
    entry = TrailEntry.objects.get(action="audits.audit.qualification_overridden")
    assert entry.reason.startswith("Renewal course booked") and entry.object_id == str(audit.pk)
    # Editing the plan without changing lead or start does not ask again.
    audits.audit_save(
        actor=world.mr,
        organization=world.org,
        audit=audit,
        expected_version=audit.version,
        objectives="Check the set-up sheets.",
    )
    # A supplier audit is not an internal audit: the qualification is not asked.
    plan(world, title="Supplier visit", kind="supplier")


def test_the_page_and_the_api_refuse_an_expired_lead(world, login):
    qualification(world, valid_until=TODAY - datetime.timedelta(days=10))
    client = login(world.mr)
    start = str(TODAY + datetime.timedelta(days=7))
    data = {
        "title": "Production audit",
        "kind": "internal",
        "planned_start": start,
        "planned_end": start,
        "lead_auditor": world.auditor.pk,
    }
    page = client.post(reverse("audits:create", kwargs={"org": "acme"}), data)
    assert "has expired" in page.content.decode() and "qualification_override" in (
        page.content.decode()
    )
    api = reverse("api-audits-audits", kwargs={"org": "acme"})
    refused = client.post(api, data, content_type="application/json")
    assert refused.status_code == 400 and "qualification_override" in refused.json()["errors"]
    accepted = client.post(
        api, {**data, "qualification_override": "Renewal booked"}, content_type="application/json"
    )
    assert accepted.status_code == 201, accepted.content
