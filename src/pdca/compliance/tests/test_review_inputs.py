"""The management review's inputs compiled from the register of compliance obligations."""

import datetime

import pytest
from django.utils import timezone

from pdca.compliance import providers, services
from pdca.compliance.testing import make_obligation
from pdca.reviews.inputs import REVIEW_INPUTS, Period

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = Period(TODAY - datetime.timedelta(days=365), TODAY)


def test_changes_and_fulfilment_are_compiled_here():
    assert REVIEW_INPUTS["obligations"].provider is providers.obligation_changes
    assert REVIEW_INPUTS["compliance"].provider is providers.fulfilment


def test_the_figures_follow_the_register(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        changes = providers.obligation_changes(world.org, YEAR)
    assert changes.params["in_force"] == 1 and changes.params["added"] == 1
    with django_assert_max_num_queries(2):
        before = providers.fulfilment(world.org, YEAR)
    # The world's permit was evaluated compliant a month ago.
    assert before.params["evaluations"] == 1 and before.params["compliant"] == 1
    noise = make_obligation(world, title="Noise limits at night", permit_number="N-7")
    services.evaluation_record(
        actor=world.mr,
        obligation=noise,
        evaluated_on=TODAY,
        method="measurement",
        result="non_compliant",
        evidence="52 dB(A) at the fence at 23:00, the limit is 45.",
        evaluator=world.mr,
    )
    after = providers.fulfilment(world.org, YEAR)
    assert after.params["non_compliant"] == 1 and after.params["now_non_compliant"] == 1
    # An evaluation outside the period is not counted.
    old = Period(TODAY - datetime.timedelta(days=900), TODAY - datetime.timedelta(days=800))
    assert providers.fulfilment(world.org, old).params["evaluations"] == 0
    assert providers.obligation_changes(world.other_org, YEAR).params["in_force"] == 0
