"""What reviews bring to readiness (the stage 1 gate, the 9.3 retained record), the due items
and the dashboard cards."""

import datetime

import pytest
from django.utils import timezone

from pdca.audits.testing import editions
from pdca.core.due import DueQuery
from pdca.core.testing import PASSWORD
from pdca.reviews import services
from pdca.reviews.due import planned_reviews_due, review_outputs_due
from pdca.reviews.models import Review
from pdca.reviews.selectors import attention, signed_review_editions
from pdca.reviews.tests.helpers import held
from pdca.standards.gates import GATES
from pdca.standards.models import OrgStandard
from pdca.standards.registry import RECORD_SOURCES
from pdca.standards.selectors import stage1_checklist

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _gate(world, code):
    os = OrgStandard.objects.get(organization=world.org, edition__standard__code=code)
    return {g.code: g for g in stage1_checklist(world.org, os.edition)}["management_review"]


def test_the_gate_and_the_record_source_are_the_reviews(world):
    assert GATES["management_review"].check.__module__ == "pdca.reviews.gates"
    assert RECORD_SOURCES["9.3"] is signed_review_editions
    assert _gate(world, "iso9001").state == "fail"
    services.review_sign(actor=world.top, review=held(world), password=PASSWORD)
    gate = _gate(world, "iso9001")
    assert gate.state == "pass" and "MR-001" in gate.detail
    # The review covered ISO 9001 only: ISO 14001 still needs its own.
    assert _gate(world, "iso14001").state == "fail"
    assert signed_review_editions(world.org) == {e.pk for e in editions("iso9001")}


def test_an_old_review_no_longer_passes_the_gate(world):
    review = services.review_sign(actor=world.top, review=held(world), password=PASSWORD)
    Review.objects.filter(pk=review.pk).update(held_on=TODAY - datetime.timedelta(days=400))
    gate = _gate(world, "iso9001")
    assert gate.state == "fail" and "older than its interval" in gate.detail


def _query(world, **kw):
    return DueQuery(
        organization=world.org,
        viewer=None,
        start=None,
        end=TODAY + datetime.timedelta(days=365),
        today=TODAY,
        **kw,
    )


def test_planned_reviews_and_open_actions_fall_due(world):
    reviews = planned_reviews_due(_query(world))
    assert [i.object_id for i in reviews] == [world.extra["rv_review"].pk]
    assert reviews[0].owner_id == world.top.pk and reviews[0].standards == ("iso9001",)
    actions = review_outputs_due(_query(world, owners=[world.owner.pk]))
    assert [i.object_id for i in actions] == [world.extra["rv_output"].pk]
    assert review_outputs_due(_query(world, owners=[world.mr.pk])) == []
    # A signed review no longer falls due; its open actions still do.
    services.review_sign(actor=world.top, review=held(world), password=PASSWORD)
    assert planned_reviews_due(_query(world)) == []
    assert len(review_outputs_due(_query(world))) == 1


def test_due_sources_keep_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for i in range(5):
        services.output_add(
            actor=world.mr,
            review=world.extra["rv_review"],
            kind="improvement",
            title=f"Action {i}",
            owner=world.owner,
            due_on=TODAY + datetime.timedelta(days=i),
        )
    with django_assert_max_num_queries(2):
        assert len(review_outputs_due(_query(world))) == 6
    with django_assert_max_num_queries(2):
        planned_reviews_due(_query(world))


def test_an_overdue_review_is_an_attention_item_for_management(world):
    Review.objects.filter(pk=world.extra["rv_review"].pk).update(
        planned_on=TODAY - datetime.timedelta(days=3)
    )
    titles = [a.title for a in attention(world.memberships["top"])]
    assert "Management review overdue" in titles
    assert "Management review overdue" not in [
        a.title for a in attention(world.memberships["employee"])
    ]
