"""The register of risks and opportunities: its rules (owner, scales, retention above the
acceptance criteria, the owner's signed acceptance, never rescored silently, closed not
deleted, concurrent edits) through the services."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pdca.core.models import TrailEntry
from pdca.core.testing import PASSWORD
from pdca.core.updating import ConflictError
from pdca.risks import method, services
from pdca.risks.models import Kind, Risk, RiskAction, Treatment

pytestmark = pytest.mark.django_db
LEVELS = ["Rare", "Possible", "Likely", "Almost certain"]
IMPACT = ["Minor", "Moderate", "Major", "Severe"]


def approved_method(world, threshold=4):
    draft = method.method_create(
        actor=world.mr,
        organization=world.org,
        title="Risk method",
        likelihood_levels=LEVELS,
        consequence_levels=IMPACT,
        acceptance_threshold=threshold,
        owner=world.mr,
    )
    return method.method_approve(actor=world.mr, method=draft)


def enter(world, **extra):
    values = {
        "actor": world.mr,
        "organization": world.org,
        "title": "Key customer tightens its quality requirements",
        "owner": world.owner,
        "likelihood": 3,
        "consequence": 3,
    }
    values.update(extra)
    return services.risk_create(**values)


def errors(caught):
    return caught.value.message_dict if hasattr(caught.value, "error_dict") else {}


def test_a_risk_is_scored_under_the_method_in_force(world):
    v1 = approved_method(world)
    risk = enter(world, kind=Kind.OPPORTUNITY)
    assert (risk.score, risk.method_id) == (9, v1.pk)
    assert risk.reference == f"O-{risk.number:04d}"
    assert risk.above_acceptance()
    assert TrailEntry.objects.filter(action="risks.risk.created", object_id=risk.pk).exists()
    assert enter(world).number == risk.number + 1


def test_no_method_in_force_is_refused(world):
    with pytest.raises(ValidationError, match="Approve a risk method first"):
        enter(world, actor=world.outsider, organization=world.other_org, owner=world.outsider)


def test_a_risk_without_an_owner_is_refused(world):
    approved_method(world)
    with pytest.raises(ValidationError) as caught:
        enter(world, owner=None)
    assert "needs an owner" in errors(caught)["owner"][0]
    with pytest.raises(ValidationError) as caught:
        enter(world, owner=world.external)
    assert "owner" in errors(caught)


@pytest.mark.parametrize(
    "likelihood,consequence,field",
    [(5, 1, "likelihood"), (1, 0, "consequence"), ("x", 2, "likelihood")],
)
def test_a_score_outside_the_scales_is_refused(world, likelihood, consequence, field):
    approved_method(world)
    before = Risk.objects.count()
    with pytest.raises(ValidationError) as caught:
        enter(world, likelihood=likelihood, consequence=consequence)
    assert "scale" in errors(caught)[field][0]
    assert Risk.objects.count() == before


def test_only_managers_keep_the_register(world):
    approved_method(world)
    with pytest.raises(ValidationError):
        enter(world, actor=world.employee)
    with pytest.raises(ValidationError):
        enter(world, actor=world.outsider)


def test_retain_above_acceptance_needs_the_owners_signed_acceptance(world):
    approved_method(world)
    risk = enter(world)
    with pytest.raises(ValidationError) as caught:
        services.risk_treat(
            actor=world.mr, risk=risk, expected_version=risk.version, treatment=Treatment.RETAIN
        )
    assert "signed acceptance" in errors(caught)["treatment"][0]
    with pytest.raises(ValidationError) as caught:
        services.risk_treat(
            actor=world.owner,
            risk=risk,
            expected_version=risk.version,
            treatment=Treatment.RETAIN,
            password="wrong",
        )
    assert "password" in errors(caught)
    assert TrailEntry.objects.filter(action="risks.risk.acceptance_refused").exists()
    risk.refresh_from_db()
    assert risk.treatment == "" and not risk.is_accepted
    retained = services.risk_treat(
        actor=world.owner,
        risk=risk,
        expected_version=risk.version,
        treatment=Treatment.RETAIN,
        password=PASSWORD,
    )
    assert retained.treatment == Treatment.RETAIN and retained.accepted_by == world.owner


def test_retain_within_acceptance_needs_no_signature(world):
    approved_method(world, threshold=9)
    risk = enter(world)
    kept = services.risk_treat(
        actor=world.mr, risk=risk, expected_version=risk.version, treatment=Treatment.RETAIN
    )
    assert kept.treatment == Treatment.RETAIN and not kept.is_accepted


def test_acceptance_by_someone_who_is_not_the_owner_is_refused(world):
    approved_method(world)
    risk = enter(world)
    risk = services.risk_treat(
        actor=world.mr,
        risk=risk,
        expected_version=risk.version,
        treatment=Treatment.MODIFY,
        residual_likelihood=1,
        residual_consequence=3,
    )
    assert risk.residual_score == 3
    with pytest.raises(ValidationError, match="Only the risk owner"):
        services.risk_accept(actor=world.mr, risk=risk, password=PASSWORD)
    with pytest.raises(ValidationError, match="password"):
        services.risk_accept(actor=world.owner, risk=risk, password="wrong")
    accepted = services.risk_accept(actor=world.owner, risk=risk, password=PASSWORD)
    assert accepted.accepted_by == world.owner and accepted.accepted_at is not None
    with pytest.raises(ValidationError, match="already accepted"):
        services.risk_accept(actor=world.owner, risk=accepted, password=PASSWORD)


def test_a_residual_risk_above_the_risk_is_refused(world):
    approved_method(world)
    risk = enter(world, likelihood=1, consequence=2)
    with pytest.raises(ValidationError) as caught:
        services.risk_treat(
            actor=world.mr,
            risk=risk,
            expected_version=risk.version,
            treatment=Treatment.MODIFY,
            residual_likelihood=4,
            residual_consequence=4,
        )
    assert "residual_likelihood" in errors(caught)
    with pytest.raises(ValidationError) as caught:
        services.risk_treat(
            actor=world.mr,
            risk=risk,
            expected_version=risk.version,
            treatment=Treatment.MODIFY,
            residual_likelihood=9,
            residual_consequence=1,
        )
    assert "scale" in errors(caught)["residual_likelihood"][0]


def test_a_new_method_version_never_rescores_silently(world):
    v1 = approved_method(world)
    risk = enter(world)
    risk = services.risk_treat(
        actor=world.mr,
        risk=risk,
        expected_version=risk.version,
        treatment=Treatment.MODIFY,
        residual_likelihood=1,
        residual_consequence=2,
    )
    risk = services.risk_accept(actor=world.owner, risk=risk, password=PASSWORD)
    v2 = approved_method(world, threshold=6)
    risk.refresh_from_db()
    assert risk.method_id == v1.pk and risk.score == 9
    assert not risk.scored_under_current(v2)
    reassessed = services.risk_assess(
        actor=world.mr, risk=risk, expected_version=risk.version, likelihood=2, consequence=3
    )
    assert reassessed.method_id == v2.pk and reassessed.score == 6
    assert reassessed.scored_under_current(method.current(world.org))
    # The residual level of v1 is not comparable, and a new score is accepted again.
    assert reassessed.residual_score is None and not reassessed.is_accepted


def test_concurrent_edits_are_refused(world):
    approved_method(world)
    risk = enter(world)
    services.risk_update(
        actor=world.mr, risk=risk, expected_version=risk.version, fields={"title": "Changed"}
    )
    with pytest.raises(ConflictError):
        services.risk_update(
            actor=world.owner, risk=risk, expected_version=risk.version, fields={"title": "Stale"}
        )


def test_a_risk_is_closed_with_a_reason_never_deleted(world):
    approved_method(world)
    risk = enter(world)
    with pytest.raises(ValidationError) as caught:
        services.risk_close(actor=world.mr, risk=risk, reason=" ")
    assert "reason" in errors(caught)
    closed = services.risk_close(actor=world.mr, risk=risk, reason="The customer left")
    assert closed.status == Risk.Status.CLOSED
    with pytest.raises(ValidationError, match="closed"):
        services.risk_update(
            actor=world.mr, risk=closed, expected_version=closed.version, fields={"title": "X"}
        )


def test_actions_and_the_evaluation_of_their_effectiveness(world):
    approved_method(world)
    risk = enter(world)
    due = timezone.localdate() + datetime.timedelta(days=30)
    with pytest.raises(ValidationError) as caught:
        services.action_add(actor=world.mr, risk=risk, title="Audit", owner=None, due_on=due)
    assert "owner" in errors(caught)
    action = services.action_add(
        actor=world.mr,
        risk=risk,
        title="Agree the new specification",
        owner=world.employee,
        due_on=due,
    )
    assert isinstance(action, RiskAction) and action.is_open
    with pytest.raises(ValidationError):
        services.action_update(
            actor=world.auditor, action=action, expected_version=action.version, status="done"
        )
    with pytest.raises(ValidationError) as caught:
        services.action_update(
            actor=world.employee, action=action, expected_version=action.version, status="done"
        )
    assert "notes" in errors(caught)
    done = services.action_update(
        actor=world.employee,
        action=action,
        expected_version=action.version,
        status="done",
        notes="Signed off with the customer",
    )
    assert done.done_on == timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        services.risk_evaluate(
            actor=world.mr, risk=risk, expected_version=risk.version, effectiveness="", notes="x"
        )
    assert "effectiveness" in errors(caught)
    evaluated = services.risk_evaluate(
        actor=world.mr,
        risk=risk,
        expected_version=risk.version,
        effectiveness="effective",
        notes="No complaint since",
    )
    assert evaluated.effectiveness_evaluated_on == timezone.localdate()


def test_the_register_refuses_another_organizations_process(world):
    from pdca.standards.models import Process

    approved_method(world)
    foreign = Process.objects.create(organization=world.other_org, name="Foreign")
    with pytest.raises(ValidationError):
        enter(world, process=foreign)
