"""Auditor independence, complete: nobody audits an audit they are audited in, or clauses only
their processes carry out; the management representative auditing 9.2/10.2 and the consultant
auditing the system they implement need a recorded justification; refusals and overrides are in
the trail; the page and the API apply the same rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pdca.audits import services
from pdca.audits.models import Audit
from pdca.audits.testing import clauses, editions
from pdca.core.models import TrailEntry
from pdca.standards.models import Process

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def plan(world, **extra):
    values = {
        "title": "Independence",
        "planned_start": TODAY,
        "planned_end": TODAY,
        "lead_auditor": world.auditor,
        "programme": world.extra["au_programme"],
    }
    values.update(extra)
    return services.audit_save(actor=world.mr, organization=world.org, **values)


def url(name, **kw):
    return reverse(name, kwargs={"org": "acme", **kw})


def test_lead_auditor_or_team_member_who_is_an_auditee_is_refused(world):
    with pytest.raises(ValidationError) as err:
        plan(world, auditees=[world.auditor])
    assert "cannot audit and be an auditee of the same audit" in str(err.value)
    with pytest.raises(ValidationError) as err:
        plan(world, team=[world.top], auditees=[world.top, world.employee])
    assert f"{world.top} cannot audit and be an auditee" in str(err.value)
    audit = plan(world, team=[world.top], auditees=[world.employee])
    with pytest.raises(ValidationError, match="auditee of the same audit"):
        services.audit_save(
            actor=world.mr,
            organization=world.org,
            audit=audit,
            expected_version=audit.version,
            auditees=[world.employee, world.auditor],
        )


def test_a_scheduled_session_cannot_audit_a_team_member(world):
    audit = plan(world, team=[world.top])
    start = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        services.schedule_add(
            actor=world.mr,
            audit=audit,
            kind="session",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            auditee=world.top,
        )
    assert "auditee" in err.value.message_dict


def test_clauses_whose_processes_the_auditor_owns_are_refused(world):
    # Purchasing (8.4 through the process map) is owned by the process owner.
    purchasing = Process.objects.create(
        organization=world.org, code="P-02", name="Purchasing", owner=world.owner
    )
    purchasing.clauses.add(*clauses(("iso9001",), ("8.4.1",)))
    with pytest.raises(ValidationError) as err:
        plan(world, lead_auditor=world.owner, clauses=clauses(("iso9001",), ("8.4",)))
    assert "cannot audit ISO 9001:2015 8.4" in str(err.value)
    assert "P-02 Purchasing" in str(err.value)
    # Another auditor may; and a clause that others' processes also carry out is not theirs alone.
    plan(world, lead_auditor=world.auditor, clauses=clauses(("iso9001",), ("8.4",)))
    shared = Process.objects.create(
        organization=world.org, code="P-03", name="Receiving", owner=world.top
    )
    shared.clauses.add(*clauses(("iso9001",), ("8.4",)))
    plan(world, lead_auditor=world.owner, clauses=clauses(("iso9001",), ("8.4",)))


def test_a_supplier_audit_is_not_refused_for_the_organizations_own_process_map(world):
    purchasing = Process.objects.create(
        organization=world.org, code="P-02", name="Purchasing", owner=world.owner
    )
    purchasing.clauses.add(*clauses(("iso9001",), ("8.4",)))
    audit = plan(
        world, kind="supplier", lead_auditor=world.owner, clauses=clauses(("iso9001",), ("8.4",))
    )
    assert audit.lead_auditor == world.owner


def test_the_management_representative_auditing_9_2_needs_a_justification(world):
    with pytest.raises(ValidationError) as err:
        plan(world, lead_auditor=world.mr, clauses=clauses(("iso9001",), ("9.2.2",)))
    assert "independence_justification" in err.value.message_dict
    assert "management representative" in str(err.value)
    refused = TrailEntry.objects.filter(action="audits.audit.independence_refused").last()
    assert refused is not None and refused.actor == world.mr
    assert "management representative" in str(refused.changes)
    # The MR may audit other clauses without one.
    plan(world, lead_auditor=world.mr, clauses=clauses(("iso9001",), ("8.5",)))
    # With a justification the plan is saved, and the override is in the trail.
    reason = "Only trained auditor; top management reviews the audit's records."
    audit = plan(
        world,
        lead_auditor=world.mr,
        clauses=clauses(("iso9001", "iso14001"), ("10.2",)),
        independence_justification=reason,
    )
    override = TrailEntry.objects.get(
        action="audits.audit.independence_justified", object_id=str(audit.pk)
    )
    assert override.reason == reason and "management representative" in str(override.changes)
    # Removing the justification later is refused again.
    with pytest.raises(ValidationError):
        services.audit_save(
            actor=world.mr,
            organization=world.org,
            audit=audit,
            expected_version=audit.version,
            independence_justification=" ",
        )
    refusal = TrailEntry.objects.filter(
        action="audits.audit.independence_refused", object_id=str(audit.pk)
    )
    assert refusal.count() == 1


def test_the_consultant_auditing_the_system_they_implement_needs_a_justification(world):
    with pytest.raises(ValidationError) as err:
        plan(world, lead_auditor=world.consultant, clauses=clauses(("iso9001",), ("7.5",)))
    assert "consultant who implements" in str(err.value)
    with pytest.raises(ValidationError, match="consultant"):
        plan(world, team=[world.consultant])
    audit = plan(
        world,
        team=[world.consultant],
        independence_justification="Consultant checks the auditor's first audit only.",
    )
    assert audit.team.get() == world.consultant
    # Auditing a supplier is not auditing their own work.
    plan(world, kind="supplier", lead_auditor=world.consultant)


def test_the_plan_page_refuses_and_accepts_a_justification(world, login):
    client = login(world.mr)
    data = {
        "title": "Consultant audit",
        "kind": "internal",
        "planned_start": TODAY,
        "planned_end": TODAY,
        "lead_auditor": world.consultant.pk,
        "editions": [e.pk for e in editions("iso9001")],
        "clauses": [c.pk for c in clauses(("iso9001",), ("7.5",))],
    }
    r = client.post(url("audits:create"), data)
    assert r.status_code == 200
    assert "consultant who implements this management system" in r.content.decode()
    assert not Audit.objects.filter(title="Consultant audit").exists()
    data["independence_justification"] = "Small organization: the consultant audits 7.5 once."
    r = client.post(url("audits:create"), data)
    assert r.status_code == 302
    audit = Audit.objects.get(title="Consultant audit")
    page = client.get(url("audits:detail", pk=audit.pk)).content.decode()
    assert "Small organization: the consultant audits 7.5 once." in page


def test_the_api_refuses_and_accepts_a_justification(world, login):
    client = login(world.mr)
    body = {
        "title": "API MR audit",
        "planned_start": str(TODAY),
        "planned_end": str(TODAY),
        "lead_auditor": world.mr.pk,
        "clauses": [c.pk for c in clauses(("iso9001",), ("9.2",))],
    }
    r = client.post(url("api-audits-audits"), body, content_type="application/json")
    assert r.status_code == 400
    assert "independence_justification" in r.json()["errors"]
    r = client.post(
        url("api-audits-audits"),
        {**body, "auditees": [world.mr.pk], "independence_justification": "Small firm."},
        content_type="application/json",
    )
    assert r.status_code == 400 and "team" in r.json()["errors"]  # an auditee: never
    r = client.post(
        url("api-audits-audits"),
        {**body, "independence_justification": "Small firm."},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["independence_justification"] == "Small firm."
