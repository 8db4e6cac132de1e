"""The management review's input on the significant environmental aspects."""

import datetime

import pytest
from django.utils import timezone

from pdca.ehs import providers
from pdca.ehs.models import Aspect
from pdca.ehs.testing import make_aspect
from pdca.reviews.inputs import REVIEW_INPUTS, Period

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = Period(TODAY - datetime.timedelta(days=365), TODAY)


def test_the_significant_aspects_are_summarized(world, django_assert_max_num_queries):
    assert REVIEW_INPUTS["aspects"].provider is providers.significant_aspects
    before = providers.significant_aspects(world.org, YEAR).params
    assert before["current"] == Aspect.objects.filter(organization=world.org).count()
    # Severity 5 × frequency 5 + concern 5 = 30: significant under the default criteria.
    make_aspect(
        world,
        aspect="Solvent spill to soil",
        severity=5,
        frequency=5,
        stakeholder_concern=5,
        impact_on="land",
    )
    with django_assert_max_num_queries(1):
        after = providers.significant_aspects(world.org, YEAR).params
    assert after["current"] == before["current"] + 1
    assert after["significant_count"] == before["significant_count"] + 1
    assert after["added"] == before["added"] + 1
    assert providers.significant_aspects(world.other_org, YEAR).params["current"] == 0
