import datetime

import pytest

from pdca.certification import services
from pdca.certification.selectors import attention
from pdca.core.dates import add_months
from pdca.core.due import DueFilters, due_items

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _items(world, viewer, scope="everyone", start=None, end=None):
    return due_items(
        organization=world.org,
        viewer=viewer,
        start=start,
        end=end or add_months(TODAY, 40),
        today=TODAY,
        filters=DueFilters(
            scope=scope,
            kinds=["certification.audit", "certification.expiry", "certification.finding"],
        ),
    )


def test_the_next_surveillance_the_expiry_and_the_finding_deadline_fall_due(world):
    items = _items(world, world.memberships["mr"])
    kinds = {(i.kind, i.object_id) for i in items}
    cert = world.extra["certificate"]
    assert ("certification.expiry", cert.pk) in kinds
    assert ("certification.audit", world.extra["surveillance"].pk) in kinds
    assert ("certification.finding", world.extra["external_finding"].pk) in kinds
    # the MR sees them in "mine"; an employee's own list does not hold them
    assert _items(world, world.memberships["mr"], scope="mine")
    assert _items(world, world.memberships["employee"], scope="mine") == []


def test_an_answered_finding_no_longer_falls_due_and_an_overdue_one_is_found(world):
    finding = world.extra["external_finding"]
    services.finding_answer(
        actor=world.mr, finding=finding, step="submit", on=TODAY, response="Plan"
    )
    items = _items(world, None)
    assert finding.pk not in {i.object_id for i in items if i.kind == "certification.finding"}
    # reminder run: start=None reaches back to everything open before `end`
    late = _items(world, None, start=None, end=TODAY + datetime.timedelta(days=400))
    assert any(i.kind == "certification.audit" for i in late)


def test_the_due_query_count_is_fixed(world, django_assert_max_num_queries):
    mr = world.memberships["mr"]
    _items(world, mr)
    with django_assert_max_num_queries(10) as ctx:
        _items(world, mr)
    before = len(ctx.captured_queries)
    audit = world.extra["external_audit"]
    for i in range(5):
        services.finding_create(
            actor=world.mr,
            audit=audit,
            grade="minor",
            statement=f"F{i}",
            response_due_on=TODAY + datetime.timedelta(days=5 + i),
        )
    with django_assert_max_num_queries(before):
        _items(world, mr)


def test_attention_cards_for_management(world):
    finding = world.extra["external_finding"]
    assert attention(world.memberships["employee"]) == []
    titles = [card.title for card in attention(world.memberships["mr"])]
    assert "External audits within 90 days" in titles
    finding.response_due_on = TODAY - datetime.timedelta(days=1)
    finding.save(update_fields=["response_due_on"])
    cards = {card.title: card for card in attention(world.memberships["top"])}
    card = cards["External audits with a response to the body overdue"]
    assert card.count == 1 and card.severity == "danger"


def test_each_card_opens_the_list_of_what_it_counts(world, login):
    finding = world.extra["external_finding"]
    finding.response_due_on = TODAY - datetime.timedelta(days=1)
    finding.save(update_fields=["response_due_on"])
    client = login(world.mr)
    for card in attention(world.memberships["mr"]):
        response = client.get(card.url)
        assert len(response.context["page"].object_list) == card.count, card.title


def test_expiry_warnings_and_overdue_escalation_to_top_management_are_sent_once(world):
    from django_scopes import scopes_disabled

    from pdca.certification.notifications import send
    from pdca.core.models import Notification

    cert = world.extra["certificate"]
    finding = world.extra["external_finding"]
    day = cert.expires_on - datetime.timedelta(days=100)  # within 180 days, not yet 90
    finding.response_due_on = day - datetime.timedelta(days=1)
    finding.save(update_fields=["response_due_on"])
    with scopes_disabled():
        assert send(today=day) > 0
        assert send(today=day) == 0  # once per key
        expiry = Notification.objects.filter(kind="certification.expiry_ahead")
        assert {n.recipient_id for n in expiry} == {world.top.pk, world.mr.pk}
        overdue = Notification.objects.filter(kind="certification.response_overdue")
        assert {n.recipient_id for n in overdue} == {world.top.pk}
        assert send(today=cert.expires_on - datetime.timedelta(days=80)) == 2  # the 90-day one
