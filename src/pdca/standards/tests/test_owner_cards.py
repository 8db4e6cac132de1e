"""Missing mandatory documented information and undecided Annex A controls reach whoever owns
the clause (the gap assessment's owner), not only those who manage the scope: each owner's card
counts their own clauses and opens the gap analysis narrowed to exactly those."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pdca.core.roles import Role
from pdca.core.tests.test_dashboard_cards import _cards_match_lists
from pdca.standards import services
from pdca.standards.dashboard import gap_attention
from pdca.standards.models import Clause
from pdca.standards.selectors.readiness import readiness

pytestmark = pytest.mark.django_db


def _own(world, clauses, owner):
    for clause in clauses:
        assessment = services.assessment_for(world.org, clause)
        services.assessment_update(
            actor=world.mr,
            organization=world.org,
            clause=clause,
            expected_version=assessment.version,
            status=assessment.status,
            owner=owner,
            target_date=None,
            notes="",
        )


def _controls(org_standard, numbers):
    return Clause.objects.filter(edition=org_standard.edition, number__in=numbers)


def _titles(membership):
    return {a.title: a for a in gap_attention(membership)}


def test_the_owner_of_clauses_and_controls_gets_cards_of_their_own(world):
    iso9001, iso27001 = world.extra["iso9001"], world.extra["iso27001"]
    owner = world.memberships[Role.PROCESS_OWNER]
    assert not _titles(owner)  # owns nothing yet, and does not manage the scope

    # Two clauses of ISO 9001 whose mandatory documented information is missing.
    missing_ids = sorted(readiness(world.org, [iso9001], gates=False)[0].missing_clause_ids)
    _own(world, Clause.objects.filter(pk__in=missing_ids[:2]), world.owner)
    # Two undecided controls, and A.5.1, decided in the test world.
    _own(world, _controls(iso27001, ["A.5.2", "A.5.3", "A.5.1"]), world.owner)
    cards = _titles(owner)
    missing = cards["ISO 9001:2015: my clauses missing mandatory documented information"]
    undecided = cards["ISO/IEC 27001:2022: my controls without an applicability decision"]
    assert missing.count == 2 and f"owner={world.owner.pk}" in missing.url
    assert "need=missing" in missing.url
    assert undecided.count == 2 and "need=undecided" in undecided.url
    # Organization-wide cards stay with those who manage the scope.
    assert not any("my" not in title for title in cards)
    mr_titles = set(_titles(world.memberships[Role.MANAGEMENT_REP]))
    assert "ISO 9001:2015: clauses missing mandatory documented information" in mr_titles
    assert not any(": my " in title for title in mr_titles)
    # Each card opens a list of exactly its number.
    assert _cards_match_lists(owner) >= 2


def test_the_owners_cards_cost_the_same_queries_however_many_they_own(world):
    iso27001 = world.extra["iso27001"]
    employee = world.memberships[Role.EMPLOYEE]
    gap_attention(employee)  # the catalogue is cached, as between any two page views
    _own(world, _controls(iso27001, ["A.5.2"]), world.employee)

    def queries() -> int:
        # Each write moves the trail's head: the cards are computed afresh.
        with CaptureQueriesContext(connection) as captured:
            items = gap_attention(employee)
        assert items
        return len(captured)

    few = queries()
    _own(world, _controls(iso27001, ["A.5.3", "A.5.4", "A.5.5", "A.5.6", "A.5.7"]), world.employee)
    many = queries()
    assert many == few
    cards = _titles(employee)
    assert cards["ISO/IEC 27001:2022: my controls without an applicability decision"].count == 6
