"""The review's rules through its services: who chairs and signs, the inputs every covered
standard requires, holding only when every input is addressed, the lock after signing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pdca.audits.testing import editions
from pdca.core.models import TrailEntry
from pdca.core.testing import PASSWORD
from pdca.reviews import services
from pdca.reviews.inputs import REVIEW_INPUTS, required_inputs
from pdca.reviews.models import Review, ReviewOutput
from pdca.reviews.selectors import signed_review_editions
from pdca.reviews.tests.helpers import address_all, held

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_every_standard_has_its_required_inputs_and_shared_ones_are_asked_once():
    nine = {k.code for k in required_inputs({"iso9001"})}
    assert {"previous_actions", "customer_satisfaction", "external_providers", "audits"} <= nine
    assert "worker_participation" not in nine
    both = required_inputs({"iso9001", "iso45001"})
    codes = [k.code for k in both]
    assert len(codes) == len(set(codes))
    assert "worker_participation" in codes and "compliance" in codes
    audits = REVIEW_INPUTS["audits"]
    assert (
        audits.clauses_for({"iso9001", "iso45001"}) == "ISO 9001 9.3.2 c) 6); ISO 45001 9.3 d) 4)"
    )
    assert "risk_treatment" in {k.code for k in required_inputs({"iso27001"})}


def test_the_chair_must_be_top_management(world):
    with pytest.raises(ValidationError) as refused:
        services.review_plan(
            actor=world.mr,
            organization=world.org,
            title="Review",
            planned_on=TODAY,
            editions=editions("iso9001"),
            chair=world.mr,
        )
    assert "chair" in refused.value.message_dict
    assert "top management" in refused.value.message_dict["chair"][0]


def test_a_standard_the_organization_does_not_hold_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.review_plan(
            actor=world.mr,
            organization=world.org,
            title="Review",
            planned_on=TODAY,
            editions=editions("iso45001"),
            chair=world.top,
        )
    assert "editions" in refused.value.message_dict


def test_an_employee_cannot_plan_a_review(world):
    with pytest.raises(ValidationError):
        services.review_plan(
            actor=world.employee,
            organization=world.org,
            title="Review",
            planned_on=TODAY,
            editions=editions("iso9001"),
            chair=world.top,
        )


def test_preparing_freezes_live_figures_and_marks_what_pdca_cannot_compile(world):
    review = world.extra["rv_review"]
    inputs = {i.code: i for i in review.inputs.all()}
    assert set(inputs) == {k.code for k in required_inputs({"iso9001"})}
    ncs = inputs["nonconformities"]
    assert ncs.available and ncs.compiled_at is not None
    assert "nonconformities raised" in ncs.shown["text"]
    assert inputs["audits"].available and inputs["previous_actions"].available
    # Compiled by the engagement module from the period's customer feedback.
    assert inputs["customer_satisfaction"].available
    assert not inputs["external_providers"].available
    assert inputs["external_providers"].summary == {}
    # A second compilation keeps what was written.
    services.input_record(
        actor=world.mr,
        review_input=ncs,
        expected_version=ncs.version,
        notes="Two repeat findings",
        conclusion="Training needed",
    )
    services.review_prepare(actor=world.mr, review=review)
    ncs.refresh_from_db()
    assert ncs.conclusion == "Training needed"


def test_holding_is_refused_until_every_required_input_is_addressed(world):
    review = world.extra["rv_review"]
    with pytest.raises(ValidationError) as refused:
        services.review_hold(
            actor=world.mr, review=review, held_on=TODAY, conclusion="Suitable and effective."
        )
    assert "Every required input needs its conclusion" in str(refused.value)
    # A hand-filled input needs its information as well as its conclusion.
    item = review.inputs.get(code="external_providers")
    services.input_record(
        actor=world.mr,
        review_input=item,
        expected_version=item.version,
        notes="",
        conclusion="Satisfied",
    )
    item.refresh_from_db()
    assert not item.is_addressed
    address_all(world, review)
    with pytest.raises(ValidationError) as refused:
        services.review_hold(actor=world.mr, review=review, held_on=TODAY, conclusion=" ")
    assert "conclusion" in refused.value.message_dict
    held_review = services.review_hold(
        actor=world.mr, review=review, held_on=TODAY, conclusion="Suitable and effective."
    )
    assert held_review.status == Review.Status.HELD


def test_holding_a_review_whose_inputs_were_never_compiled_is_refused(world):
    review = services.review_plan(
        actor=world.mr,
        organization=world.org,
        title="Extra review",
        planned_on=TODAY,
        editions=editions("iso9001"),
        chair=world.top,
    )
    with pytest.raises(ValidationError, match="Compile the inputs first"):
        services.review_hold(actor=world.mr, review=review, held_on=TODAY, conclusion="Fine")


def test_an_output_needs_an_owner_and_a_due_date(world):
    review = world.extra["rv_review"]
    with pytest.raises(ValidationError) as refused:
        services.output_add(
            actor=world.mr, review=review, kind="improvement", title="X", owner=None, due_on=None
        )
    assert {"owner", "due_on"} <= set(refused.value.message_dict)


def test_only_top_management_signs_and_a_wrong_password_is_recorded(world):
    review = held(world)
    with pytest.raises(ValidationError, match="top management signs"):
        services.review_sign(actor=world.mr, review=review, password=PASSWORD)
    with pytest.raises(ValidationError) as refused:
        services.review_sign(actor=world.top, review=review, password="wrong")
    assert "password" in refused.value.message_dict
    assert TrailEntry.objects.filter(action="reviews.review.signature_refused").exists()
    review.refresh_from_db()
    assert review.status == Review.Status.HELD


def test_signed_minutes_are_kept_and_the_review_is_locked(world):
    review = held(world)
    signed = services.review_sign(actor=world.top, review=review, password=PASSWORD)
    assert signed.status == Review.Status.SIGNED and signed.signed_by == world.top
    assert len(signed.sha256) == 64 and bytes(signed.pdf).startswith(b"%PDF")
    assert "Second calibration technician" in signed.minutes
    assert "Customer satisfaction" in signed.minutes
    for change in (
        lambda: services.review_update(
            actor=world.mr, review=signed, expected_version=signed.version, title="Changed"
        ),
        lambda: services.review_prepare(actor=world.mr, review=signed),
        lambda: services.output_add(
            actor=world.mr,
            review=signed,
            kind="improvement",
            title="Late idea",
            owner=world.owner,
            due_on=TODAY,
        ),
        lambda: services.input_record(
            actor=world.mr,
            review_input=signed.inputs.first(),
            expected_version=signed.inputs.first().version,
            notes="Changed afterwards",
            conclusion="Changed",
        ),
    ):
        with pytest.raises(ValidationError, match=r"retained record|was held"):
            change()
    # The actions' progress goes on after signing, reported by their owner.
    output = world.extra["rv_output"]
    output.refresh_from_db()
    done = services.output_update(
        actor=world.owner,
        output=output,
        expected_version=output.version,
        status="done",
        notes="Hired in March",
    )
    assert done.status == ReviewOutput.Status.DONE and done.done_on == TODAY
    with pytest.raises(ValidationError, match="retained record"):
        services.output_update(
            actor=world.mr, output=done, expected_version=done.version, title="Other"
        )
    assert signed_review_editions(world.org) == {e.pk for e in editions("iso9001")}


def test_someone_else_cannot_update_an_action_they_do_not_own(world):
    output = world.extra["rv_output"]
    with pytest.raises(ValidationError, match="owner or a manager"):
        services.output_update(
            actor=world.employee, output=output, expected_version=output.version, status="done"
        )


def test_a_stale_edit_is_refused(world):
    from pdca.core.updating import ConflictError

    review = world.extra["rv_review"]
    services.review_update(
        actor=world.mr, review=review, expected_version=review.version, title="First"
    )
    with pytest.raises(ConflictError):
        services.review_update(
            actor=world.mr, review=review, expected_version=review.version, title="Second"
        )


def test_the_next_review_reports_on_the_previous_actions(world):
    signed = services.review_sign(actor=world.top, review=held(world), password=PASSWORD)
    nxt = services.review_plan(
        actor=world.mr,
        organization=world.org,
        title="Next",
        planned_on=TODAY + datetime.timedelta(days=300),
        editions=editions("iso9001"),
        chair=world.top,
    )
    assert nxt.period_start == signed.held_on + datetime.timedelta(days=1)
    nxt = services.review_prepare(actor=world.mr, review=nxt)
    previous = nxt.inputs.get(code="previous_actions")
    assert "0 of 1 actions from earlier reviews are done, 1 still open" in previous.shown["text"]
