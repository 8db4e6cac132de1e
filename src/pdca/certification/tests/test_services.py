import datetime

import pytest
from django.core.exceptions import ValidationError

from pdca.certification import services
from pdca.certification.models import (
    Certificate,
    CertificationEvent,
    ExternalAudit,
    ExternalFinding,
)
from pdca.certification.selectors import audit_flags, certificates_with_cycles
from pdca.core.dates import add_months
from pdca.core.models.trail import TrailEntry
from pdca.core.updating import ConflictError
from pdca.improvement.models import Nonconformity
from pdca.improvement.selectors import raised_from
from pdca.standards.models import OrgStandard

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _certificate(world, **values):
    decided = values.pop("decided_on", add_months(TODAY, -2))
    fields = {
        "body": world.extra["cert_body"],
        "number": "QM-9999",
        "standards": [world.extra["iso27001"]],
        "scope": "Software development and hosting",
        "initial_certified_on": decided,
        "decided_on": decided,
        "issued_on": decided,
        "expires_on": add_months(decided, 36),
        **values,
    }
    return services.certificate_create(actor=world.mr, organization=world.org, **fields)


def _stage(world, kind, start, end=None, **values):
    return services.audit_plan(
        actor=world.mr,
        organization=world.org,
        body=world.extra["cert_body"],
        kind=kind,
        standards=values.pop("standards", [world.extra["iso27001"]]),
        starts_on=start,
        ends_on=end or start,
        **values,
    )


def test_a_certificate_plans_its_cycle_by_the_rules_and_certifies_its_standard(world):
    cert = _certificate(world)
    kinds = dict(cert.audits.values_list("kind", "starts_on"))
    assert kinds == {
        "surveillance1": add_months(cert.decided_on, 11),
        "surveillance2": add_months(cert.decided_on, 23),
        "recertification": add_months(cert.expires_on, -3),
    }
    os27 = OrgStandard.objects.get(pk=world.extra["iso27001"].pk)
    assert os27.status == OrgStandard.Status.CERTIFIED
    assert os27.certified_until == cert.expires_on
    assert set(cert.events.values_list("kind", flat=True)) == {"decision", "issue"}
    assert TrailEntry.objects.filter(action="certification.certificate.created").exists()


def test_expiry_more_than_three_years_after_the_decision_is_refused(world):
    decided = add_months(TODAY, -2)
    with pytest.raises(ValidationError) as err:
        _certificate(
            world,
            decided_on=decided,
            expires_on=add_months(decided, 36) + datetime.timedelta(days=1),
        )
    assert "three years" in err.value.message_dict["expires_on"][0]
    # recertified before the old expiry: three years from the old expiry
    old = add_months(TODAY, 1)
    cert = _certificate(
        world, number="QM-R", decided_on=TODAY, previous_expiry=old, expires_on=add_months(old, 36)
    )
    assert cert.expires_on == add_months(old, 36)


def test_issue_before_decision_and_no_standard_are_refused(world):
    with pytest.raises(ValidationError) as err:
        _certificate(world, issued_on=add_months(TODAY, -3), standards=[])
    assert set(err.value.message_dict) == {"issued_on", "standards"}


def test_stage2_before_a_passed_stage1_is_refused(world):
    with pytest.raises(ValidationError) as err:
        _stage(
            world,
            ExternalAudit.Kind.STAGE2,
            TODAY + datetime.timedelta(days=30),
            standards=[world.extra["iso9001"]],
        )
    assert "stage 1" in err.value.message_dict["kind"][0]
    # the world's stage 1 of 27001 passed 20 days ago: stage 2 may follow it, not precede it
    with pytest.raises(ValidationError) as err:
        _stage(world, ExternalAudit.Kind.STAGE2, TODAY - datetime.timedelta(days=25))
    assert "after the last day of stage 1" in err.value.message_dict["starts_on"][0]
    stage2 = _stage(world, ExternalAudit.Kind.STAGE2, TODAY + datetime.timedelta(days=10))
    assert stage2.kind == "stage2"


def test_a_stage1_not_passed_does_not_open_stage2(world):
    s1 = _stage(
        world,
        ExternalAudit.Kind.STAGE1,
        TODAY - datetime.timedelta(days=5),
        standards=[world.extra["iso9001"]],
    )
    services.audit_record_held(actor=world.mr, audit=s1, outcome=ExternalAudit.Outcome.NOT_PASSED)
    with pytest.raises(ValidationError):
        _stage(
            world,
            ExternalAudit.Kind.STAGE2,
            TODAY + datetime.timedelta(days=5),
            standards=[world.extra["iso9001"]],
        )


def test_a_surveillance_without_certificate_is_refused(world):
    with pytest.raises(ValidationError) as err:
        _stage(world, ExternalAudit.Kind.SURVEILLANCE1, TODAY)
    assert "certificate" in err.value.message_dict


def test_first_surveillance_beyond_twelve_months_is_flagged(world):
    cert = world.extra["certificate"]
    surveillance = world.extra["surveillance"]
    assert audit_flags(surveillance, TODAY) == []
    late = services.audit_update(
        actor=world.mr,
        audit=surveillance,
        expected_version=surveillance.version,
        starts_on=add_months(cert.decided_on, 12) + datetime.timedelta(days=1),
        ends_on=add_months(cert.decided_on, 12) + datetime.timedelta(days=2),
    )
    flags = audit_flags(late, TODAY)
    assert len(flags) == 1 and "12 months" in flags[0]


def test_recertification_after_expiry_is_flagged(world):
    cert = world.extra["certificate"]
    recert = cert.audits.get(kind="recertification")
    late = services.audit_update(
        actor=world.mr,
        audit=recert,
        expected_version=recert.version,
        starts_on=cert.expires_on,
        ends_on=cert.expires_on,
    )
    assert "before the certificate expires" in audit_flags(late, TODAY)[0]


def test_the_cycle_shows_a_missed_first_surveillance(world):
    cert = _certificate(world, decided_on=add_months(TODAY, -14))
    cycle = next(c for c in certificates_with_cycles(world.org, TODAY) if c.certificate == cert)
    assert any("12 months" in gap for gap in cycle.gaps)
    states = {s.audit.kind: s.state for s in cycle.steps if s.audit}
    assert states["surveillance1"] == "overdue"


def test_a_nonconformity_needs_the_bodys_deadline_and_raises_one_nc(world):
    audit = world.extra["external_audit"]
    with pytest.raises(ValidationError) as err:
        services.finding_create(actor=world.mr, audit=audit, grade="major", statement="No SoA")
    assert "deadline" in err.value.message_dict["response_due_on"][0]
    # an observation needs none and raises no nonconformity
    obs = services.finding_create(
        actor=world.mr, audit=audit, grade="observation", statement="Backups untested"
    )
    assert raised_from(obs) is None
    finding = world.extra["external_finding"]
    nc = raised_from(finding)
    assert nc is not None and nc.source == "external_audit"
    assert nc.severity == Nonconformity.Severity.MINOR
    assert services.default_deadline(audit, "major") == audit.ends_on + datetime.timedelta(days=30)


def test_a_stage2_major_is_verified_within_six_months_and_before_the_decision(world):
    stage2 = _stage(
        world,
        ExternalAudit.Kind.STAGE2,
        TODAY - datetime.timedelta(days=3),
        TODAY - datetime.timedelta(days=2),
    )
    with pytest.raises(ValidationError) as err:
        services.finding_create(
            actor=world.mr,
            audit=stage2,
            grade="major",
            statement="No internal audit of A.8",
            response_due_on=add_months(stage2.ends_on, 7),
        )
    assert "six months" in err.value.message_dict["response_due_on"][0]
    major = services.finding_create(
        actor=world.mr,
        audit=stage2,
        grade="major",
        statement="No internal audit of A.8",
        response_due_on=stage2.ends_on + datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError) as err:
        services.audit_record_held(actor=world.mr, audit=stage2, outcome="passed", decided_on=TODAY)
    assert "major" in err.value.message_dict["decided_on"][0]
    major = services.finding_answer(
        actor=world.mr, finding=major, step="submit", on=TODAY, response="Audit held, report 12"
    )
    major = services.finding_answer(
        actor=world.mr, finding=major, step="verify", on=TODAY, verification="document_review"
    )
    held = services.audit_record_held(
        actor=world.mr,
        audit=stage2,
        outcome="passed",
        recommendation="recommended",
        decided_on=TODAY,
    )
    assert held.status == "held" and held.decided_on == TODAY


def test_answer_steps_go_in_order(world):
    finding = world.extra["external_finding"]
    with pytest.raises(ValidationError):
        services.finding_answer(actor=world.mr, finding=finding, step="accept", on=TODAY)
    with pytest.raises(ValidationError) as err:
        services.finding_answer(actor=world.mr, finding=finding, step="submit", on=TODAY)
    assert "response" in err.value.message_dict
    f = services.finding_answer(
        actor=world.owner, finding=finding, step="submit", on=TODAY, response="Plan: owners set"
    )
    f = services.finding_answer(actor=world.mr, finding=f, step="accept", on=TODAY)
    assert f.status == ExternalFinding.Status.ACCEPTED and f.accepted_on == TODAY
    with pytest.raises(ValidationError, match="role"):
        services.finding_answer(
            actor=world.employee,
            finding=f,
            step="verify",
            on=TODAY,
            verification="next_surveillance",
        )


def test_the_grade_stays_as_the_body_gave_it(world):
    finding = world.extra["external_finding"]
    with pytest.raises(ValidationError):
        services.finding_update(
            actor=world.mr, finding=finding, expected_version=finding.version, grade="observation"
        )
    with pytest.raises(ConflictError):
        services.finding_update(
            actor=world.mr, finding=finding, expected_version=finding.version + 1, evidence="x"
        )


def test_suspension_has_an_end_within_six_months_and_uncertifies(world):
    cert = world.extra["certificate"]
    with pytest.raises(ValidationError) as err:
        services.certificate_set_status(
            actor=world.mr,
            certificate=cert,
            status="suspended",
            reason="Missed surveillance",
            since=TODAY,
            until=add_months(TODAY, 7),
        )
    assert "six months" in err.value.message_dict["until"][0]
    cert = services.certificate_set_status(
        actor=world.mr,
        certificate=cert,
        status="suspended",
        reason="Missed surveillance",
        since=TODAY,
        until=add_months(TODAY, 3),
    )
    assert OrgStandard.objects.get(pk=world.extra["iso9001"].pk).status == "implementing"
    assert cert.events.filter(kind=CertificationEvent.Kind.SUSPENSION).exists()
    cert = services.certificate_set_status(
        actor=world.mr, certificate=cert, status="active", reason="Surveillance held", since=TODAY
    )
    assert OrgStandard.objects.get(pk=world.extra["iso9001"].pk).status == "certified"
    assert cert.status_until is None


def test_only_keepers_write(world):
    with pytest.raises(ValidationError, match="role"):
        services.body_create(actor=world.employee, organization=world.org, name="X")
    with pytest.raises(ValidationError, match="role"):
        services.audit_cancel(actor=world.owner, audit=world.extra["surveillance"], reason="x")


def test_cancel_needs_a_reason_and_keeps_the_audit(world):
    audit = world.extra["surveillance"]
    with pytest.raises(ValidationError):
        services.audit_cancel(actor=world.mr, audit=audit, reason=" ")
    cancelled = services.audit_cancel(actor=world.mr, audit=audit, reason="Moved by the body")
    assert cancelled.status == "cancelled"
    assert ExternalAudit.objects.filter(pk=audit.pk).exists()
    # planning again adds the missing cycle audit
    assert [
        a.kind for a in services.plan_cycle(actor=world.mr, certificate=cancelled.certificate)
    ] == ["surveillance1"]


def test_another_organizations_body_is_refused(world):
    from pdca.certification.models import CertificationBody

    other = CertificationBody.objects.create(organization=world.other_org, name="Other CB")
    with pytest.raises(ValidationError):
        _certificate(world, body=other)


def test_events_are_append_only_and_not_in_the_future(world):
    cert = world.extra["certificate"]
    with pytest.raises(ValidationError):
        services.event_record(
            actor=world.mr,
            certificate=cert,
            kind="contract",
            occurred_on=TODAY + datetime.timedelta(days=1),
        )
    event = services.event_record(
        actor=world.mr,
        certificate=cert,
        kind="contract",
        occurred_on=TODAY,
        note="Contract for 2026-2029",
    )
    assert event.kind == "contract"
    assert not hasattr(services, "event_delete")
    assert Certificate.objects.filter(pk=cert.pk).exists()
