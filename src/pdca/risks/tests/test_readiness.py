"""What the register tells readiness and the calendar: the stage 1 "risks" gate for ISO/IEC
27001, the evidence kinds, the assessment runs as retained records, and the due items."""

import datetime

import pytest
from django.utils import timezone

from pdca.core.due import DueQuery
from pdca.core.testing import PASSWORD
from pdca.risks import isms, services
from pdca.risks.due import risk_actions_due, risk_reviews_due
from pdca.risks.readiness import run_editions
from pdca.standards.gates import FAIL, PASS
from pdca.standards.registry import EVIDENCE_KINDS, RECORD_SOURCES
from pdca.standards.selectors import stage1_checklist

pytestmark = pytest.mark.django_db


def gate(world):
    edition = world.extra["iso27001"].edition
    return {g.code: g for g in stage1_checklist(world.org, edition)}["risks"]


def test_the_gate_passes_when_risks_are_assessed_treated_and_accepted(world):
    assert gate(world).state == PASS
    risk = world.extra["rk_risk"]
    # Retained above the criteria: it needs the owner's acceptance, which it has here...
    risk = services.risk_treat(
        actor=world.owner,
        risk=risk,
        expected_version=risk.version,
        treatment="retain",
        residual_likelihood=3,
        residual_consequence=4,
        password=PASSWORD,
    )
    assert gate(world).state == PASS
    # ...and loses when the plan changes without it.
    services.risk_treat(
        actor=world.mr,
        risk=risk,
        expected_version=risk.version,
        treatment="modify",
        residual_likelihood=3,
        residual_consequence=4,
    )
    result = gate(world)
    assert result.state == FAIL and "not accepted by their owners" in result.detail


def test_the_gate_fails_without_a_treatment_or_with_an_excluded_control(world):
    services.risk_create(
        actor=world.mr,
        organization=world.org,
        title="Laptop stolen",
        owner=world.top,
        likelihood=2,
        consequence=2,
    )
    new = isms.isms_risks(world.org).count()
    assert new == 1  # without a scenario it is not an ISMS risk
    risk = world.extra["rk_risk"]
    services.risk_treat(
        actor=world.mr, risk=risk, expected_version=risk.version, treatment="modify"
    )
    risk.refresh_from_db()
    from pdca.standards import services as standards_services
    from pdca.standards.models import Clause

    control = Clause.objects.get(edition=world.extra["iso27001"].edition, number="A.8.13")
    risk = isms.controls_set(
        actor=world.mr, risk=risk, expected_version=risk.version, controls=[control]
    )
    standards_services.soa_set(
        actor=world.mr,
        org_standard=world.extra["iso27001"],
        clause=control,
        applicable=False,
        justification="No backups",
    )
    result = gate(world)
    assert result.state == FAIL and "excluded in the Statement of Applicability" in result.detail


def test_evidence_kinds_and_runs_as_retained_records(world):
    assert {"risks.riskmethod", "risks.contextissue", "risks.risk"} <= EVIDENCE_KINDS["maintain"]
    assert "risks.assessmentrun" in EVIDENCE_KINDS["retain"]
    assert RECORD_SOURCES["6.1"] is run_editions
    assert run_editions(world.org) == {world.extra["iso27001"].edition_id}
    assert run_editions(world.other_org) == set()


def test_due_items_for_reviews_and_actions(world, django_assert_max_num_queries):
    today = timezone.localdate()
    risk = world.extra["rk_risk"]
    services.risk_update(
        actor=world.mr,
        risk=risk,
        expected_version=risk.version,
        fields={"review_on": today + datetime.timedelta(days=10)},
    )
    query = DueQuery(
        organization=world.org,
        viewer=None,
        start=None,
        end=today + datetime.timedelta(days=60),
        today=today,
    )
    with django_assert_max_num_queries(2):
        reviews = risk_reviews_due(query)
    assert [(i.object_id, i.owner_id) for i in reviews] == [(risk.pk, world.owner.pk)]
    with django_assert_max_num_queries(2):
        actions = risk_actions_due(query)
    assert [i.owner_id for i in actions] == [world.employee.pk]
    services.risk_close(actor=world.mr, risk=risk, reason="Supplier replaced")
    assert risk_reviews_due(query) == [] and risk_actions_due(query) == []
