"""The management review's inputs compiled from the objectives and their KPIs."""

import datetime

import pytest
from django.utils import timezone

from pdca.objectives import providers, services
from pdca.reviews.inputs import REVIEW_INPUTS, Period

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = Period(TODAY - datetime.timedelta(days=365), TODAY)


def test_objectives_monitoring_and_process_performance_are_compiled_here():
    assert REVIEW_INPUTS["objectives"].provider is providers.objectives_met
    assert REVIEW_INPUTS["monitoring"].provider is providers.monitoring
    assert REVIEW_INPUTS["process_performance"].provider is providers.process_performance


def test_the_figures_follow_the_objectives_and_ratings(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        met = providers.objectives_met(world.org, YEAR)
    # The world's objective is pursued; its KPI's last result (92.5 %) is under the red line.
    assert met.params["on_track"] + met.params["at_risk"] + met.params["off_track"] == 1
    with django_assert_max_num_queries(1):
        kpis = providers.monitoring(world.org, YEAR)
    assert kpis.params["measured"] == 1 and kpis.params["red"] == 1
    with django_assert_max_num_queries(2):
        processes = providers.process_performance(world.org, YEAR)
    assert processes.params["processes"] == 1 and processes.params["red"] == 1
    objective = world.extra["ob_objective"]
    services.objective_update(
        actor=world.mr,
        objective=objective,
        expected_version=objective.version,
        status="off_track",
    )
    assert providers.objectives_met(world.org, YEAR).params["off_track"] == 1
    assert providers.monitoring(world.other_org, YEAR).params["measured"] == 0


def test_a_prepared_review_freezes_the_objectives(world):
    from pdca.reviews import services as reviews

    prepared = reviews.review_prepare(actor=world.mr, review=world.extra["rv_review"])
    item = prepared.inputs.get(code="objectives")
    assert item.available and "Objectives pursued" in item.shown["text"]
