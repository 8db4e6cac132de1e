"""The context (4.1) and the interested parties (4.2): headings of the chosen framework,
climate change decided with a reason, issues retired never deleted, obligations say how they
are addressed; the pages, their errors and their query counts."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pdca.risks import context, services
from pdca.risks.models import ContextIssue, Heading, InterestedParty, Origin

pytestmark = pytest.mark.django_db


def url(world, name, **kwargs):
    return reverse(f"risks:{name}", kwargs={"org": world.org.slug, **kwargs})


def test_issue_headings_follow_the_chosen_framework(world):
    with pytest.raises(ValidationError) as caught:
        context.issue_save(
            actor=world.mr,
            organization=world.org,
            issue=None,
            expected_version=None,
            fields={"title": "New law", "heading": Heading.LEGAL, "origin": Origin.EXTERNAL},
        )
    assert "heading" in caught.value.message_dict
    profile = context.profile_of(world.org)
    context.profile_save(
        actor=world.mr,
        organization=world.org,
        expected_version=profile.version,
        framework="pestle",
        climate_relevant=True,
        climate_reasoning="Flooding",
    )
    issue = context.issue_save(
        actor=world.mr,
        organization=world.org,
        issue=None,
        expected_version=None,
        fields={"title": "New law", "heading": Heading.LEGAL, "origin": Origin.EXTERNAL},
    )
    assert issue.heading == Heading.LEGAL


def test_climate_change_is_decided_with_a_reason(world):
    profile = context.profile_of(world.org)
    for relevant, reason, field in (
        (None, "x", "climate_relevant"),
        (False, " ", "climate_reasoning"),
    ):
        with pytest.raises(ValidationError) as caught:
            context.profile_save(
                actor=world.mr,
                organization=world.org,
                expected_version=profile.version,
                framework="swot",
                climate_relevant=relevant,
                climate_reasoning=reason,
            )
        assert field in caught.value.message_dict


def test_an_issue_is_retired_with_a_reason_and_then_frozen(world):
    issue = world.extra["rk_issue"]
    with pytest.raises(ValidationError):
        context.issue_retire(actor=world.mr, issue=issue, reason="")
    retired = context.issue_retire(actor=world.mr, issue=issue, reason="Fixed-price contract")
    assert retired.status == ContextIssue.Status.RETIRED
    with pytest.raises(ValidationError):
        context.issue_save(
            actor=world.mr,
            organization=world.org,
            issue=retired,
            expected_version=retired.version,
            fields={"title": "Changed", "heading": Heading.THREAT, "origin": Origin.EXTERNAL},
        )
    with pytest.raises(ValidationError):
        context.issue_retire(actor=world.employee, issue=issue, reason="x")


def test_an_obligation_says_how_it_is_addressed_and_parties_are_unique(world):
    party = world.extra["rk_party"]
    with pytest.raises(ValidationError) as caught:
        context.requirement_save(
            actor=world.mr,
            organization=world.org,
            requirement=None,
            expected_version=None,
            fields={"party": party, "need": "Delivery on time", "is_obligation": True},
        )
    assert "addressed_by" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        context.party_save(
            actor=world.mr,
            organization=world.org,
            party=None,
            expected_version=None,
            fields={"name": "key customer", "category": InterestedParty.Category.CUSTOMER},
        )
    assert "name" in caught.value.message_dict


def test_a_risk_names_its_source_in_the_same_organization(world):
    issue = world.extra["rk_issue"]
    risk = services.risk_create(
        actor=world.mr,
        organization=world.org,
        title="Energy costs eat the margin",
        owner=world.top,
        likelihood=4,
        consequence=3,
        source_issue=issue,
        source_requirement=world.extra["rk_need"],
    )
    assert risk.source_issue == issue
    foreign = InterestedParty.objects.create(
        organization=world.other_org, name="Foreign", category="customer"
    )
    with pytest.raises(ValidationError):
        context.requirement_save(
            actor=world.mr,
            organization=world.org,
            requirement=None,
            expected_version=None,
            fields={"party": foreign, "need": "Anything"},
        )


def test_context_pages_errors_and_query_counts(world, login, django_assert_max_num_queries):
    client = login(world.mr)
    assert "Rising energy prices" in client.get(url(world, "context")).content.decode()
    bad = client.post(url(world, "issue_create"), {"title": "", "heading": "threat"})
    assert bad.status_code == 400 and "title" in bad.context["form"].errors
    saved = client.post(
        url(world, "issue_create"),
        {
            "title": "Yard floods after heavy rain",
            "heading": "threat",
            "origin": "external",
            "climate_related": "on",
        },
    )
    assert saved.status_code == 302
    with django_assert_max_num_queries(14) as few:
        client.get(url(world, "parties"))
    for n in range(12):
        party = context.party_save(
            actor=world.mr,
            organization=world.org,
            party=None,
            expected_version=None,
            fields={"name": f"Neighbour {n}", "category": "neighbour"},
        )
        context.requirement_save(
            actor=world.mr,
            organization=world.org,
            requirement=None,
            expected_version=None,
            fields={"party": party, "need": "Quiet nights"},
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url(world, "parties"))
    assert "Quiet nights" in page.content.decode()
    need = client.post(
        url(world, "requirement_add", pk=world.extra["rk_party"].pk),
        {"need": "Certificates of conformity", "is_obligation": "on"},
    )
    assert need.status_code == 400 and "addressed_by" in need.context["form"].errors


def test_context_empty_states(world, login):
    client = login(world.outsider)
    other = {"org": world.other_org.slug}
    assert (
        "No issues recorded yet."
        in client.get(reverse("risks:context", kwargs=other)).content.decode()
    )
    assert (
        "No interested parties recorded yet."
        in client.get(reverse("risks:parties", kwargs=other)).content.decode()
    )
