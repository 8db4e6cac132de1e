"""The management review's inputs compiled from the context and the risk register."""

import datetime

import pytest
from django.utils import timezone

from pdca.reviews.inputs import REVIEW_INPUTS, Period
from pdca.risks import providers, services
from pdca.risks.models import ContextIssue, Risk

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = Period(TODAY - datetime.timedelta(days=365), TODAY)


def test_the_four_inputs_are_compiled_by_this_module():
    assert REVIEW_INPUTS["issues"].provider is providers.context_issues
    assert REVIEW_INPUTS["interested_parties"].provider is providers.interested_parties
    assert REVIEW_INPUTS["risks"].provider is providers.risks_and_opportunities
    assert REVIEW_INPUTS["risk_treatment"].provider is providers.risk_treatment


def test_the_register_figures_follow_the_data_in_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    before = dict(providers.risks_and_opportunities(world.org, YEAR).figures)
    open_risks = Risk.objects.filter(organization=world.org, status="open", kind="risk").count()
    assert before["Open risks"] == str(open_risks)
    services.risk_create(
        actor=world.mr,
        organization=world.org,
        title="Fire in the paint shop",
        owner=world.owner,
        likelihood=4,
        consequence=4,
    )
    with django_assert_max_num_queries(2):
        after = providers.risks_and_opportunities(world.org, YEAR)
    figures = dict(after.figures)
    assert figures["Open risks"] == str(open_risks + 1)
    # 16 is above the method's threshold of 6 and nothing treats it yet.
    assert (
        int(figures["Above the acceptance criteria"])
        == int(before["Above the acceptance criteria"]) + 1
    )
    assert after.params["added"] >= 1 and "%(above)s" in after.text
    # A period before anything was entered counts nothing as added.
    old = Period(TODAY - datetime.timedelta(days=900), TODAY - datetime.timedelta(days=800))
    assert providers.risks_and_opportunities(world.org, old).params["added"] == 0


def test_context_parties_and_treatment_summaries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        issues = providers.context_issues(world.org, YEAR)
    current = ContextIssue.objects.filter(organization=world.org, status="active").count()
    assert issues.params["current"] == current and current >= 1
    with django_assert_max_num_queries(2):
        parties = providers.interested_parties(world.org, YEAR)
    assert parties.params["relevant"] >= 1 and parties.params["needs"] >= 1
    with django_assert_max_num_queries(4):
        treatment = providers.risk_treatment(world.org, YEAR)
    # The world keeps one assessment run today.
    assert treatment.params["runs"] == 1 and treatment.params["last_run"] == TODAY.isoformat()
    # Another organization's register is not counted.
    assert providers.risks_and_opportunities(world.other_org, YEAR).params["risks"] == 0


def test_a_prepared_review_freezes_the_register_figures(world):
    from pdca.reviews import services as reviews

    # The shared world's review covers ISO 9001, whose 9.3.2 e) asks for the risks.
    prepared = reviews.review_prepare(actor=world.mr, review=world.extra["rv_review"])
    item = prepared.inputs.get(code="risks")
    assert item.available and "open risks" in item.shown["text"]
