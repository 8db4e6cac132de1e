"""The dashboard's cards: each opens a list whose length is the card's number, each role sees
the cards of its own work, and a new organization sees its first steps."""

import io
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from pdca.core import services
from pdca.core.attention import attention_for, dashboard_extras
from pdca.core.models import Membership, Organization, User
from pdca.core.roles import Role

pytestmark = pytest.mark.django_db


def listed(response) -> int:
    """How many rows the page a card opens lists (each list shows them its own way)."""
    context = response.context
    if "months" in context:  # the roadmap, by month
        return sum(len(actions) for actions in context["months"].values())
    if context.get("mine") is not None:  # the clauses assigned to me
        return len(context["mine"])
    if "lines" in context:  # the gap analysis, the Statement of Applicability
        return len(context["lines"])
    page = context["page"]
    assert (
        not getattr(page, "has_next", lambda: False)()
        if callable(getattr(page, "has_next", None))
        else not getattr(page, "has_next", False)
    ), "the card's rows fill more than a page"
    return len(page.object_list)


def _cards_match_lists(membership: Membership) -> int:
    client = Client()
    client.force_login(membership.user)
    checked = 0
    for card in attention_for(membership):
        if not card.count:
            continue
        parts = urlsplit(card.url)
        response = client.get(parts.path + ("?" + parts.query if parts.query else ""))
        assert response.status_code == 200, card.url
        assert listed(response) == card.count, (membership.user.email, card.title, card.url)
        checked += 1
    return checked


ORG_WIDE = {
    "Nonconformities with overdue actions",
    "Nonconformities awaiting analysis",
    "Nonconformities with effectiveness checks due",
    "Overdue roadmap actions",
    "Records past retention, waiting for disposal",
}


def test_demo_cards_open_lists_of_their_number_and_fit_each_role():
    """One demo for three facts (building it takes a while)."""
    call_command("demo", stdout=io.StringIO())
    checked = 0
    for membership in Membership.objects.current().select_related("user", "organization"):
        checked += _cards_match_lists(membership)
    assert checked >= 8  # the demo shows cards of every module
    # Missing documented information and undecided controls reach each clause's owner too,
    # and each such card opens exactly what it counts (checked above with every other card).
    staff = Membership.objects.get(user__email="staff@northwind.example")
    mine = [a for a in attention_for(staff) if ": my " in a.title]
    assert mine and all("owner=" in a.url and a.count for a in mine), mine

    # The employee and the external auditor see no organization-wide card they cannot act on.
    acme = Organization.objects.get(slug="acme")
    for role in (Role.EMPLOYEE, Role.EXTERNAL_AUDITOR):
        for membership in Membership.objects.current().filter(organization=acme).with_role(role):
            titles = {a.title for a in attention_for(membership)}
            assert not titles & ORG_WIDE, (role, titles & ORG_WIDE)
            # Their own clauses and controls, if they own any, but not the organization's.
            assert not any("applicability decision" in t and ": my " not in t for t in titles)
    mr = Membership.objects.get(organization=acme, user__email="mr@acme.example")
    assert {a.title for a in attention_for(mr)} & ORG_WIDE

    # The consultant is told what is open in every client organization.
    consultants = Membership.objects.current().with_role(Role.CONSULTANT)
    assert consultants
    for membership in consultants:
        assert attention_for(membership), f"{membership.organization}: nothing for the consultant"


def test_overdue_actions_and_awaiting_analysis_open_their_own_nonconformities(world):
    import datetime

    from django.utils import timezone

    from pdca.improvement import services as improvement
    from pdca.improvement.selectors import attention

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late = improvement.nonconformity_raise(
        actor=world.mr, organization=world.org, title="Late", description="d"
    )
    for title in ("first", "second"):  # two overdue actions, one nonconformity
        improvement.action_plan(
            actor=world.mr, nonconformity=late, title=title, owner=world.owner, due_on=yesterday
        )
    for i in range(3):
        improvement.nonconformity_raise(
            actor=world.mr, organization=world.org, title=f"New {i}", description="d"
        )
    titles = {a.title: a for a in attention(world.memberships[Role.MANAGEMENT_REP])}
    assert "needs=overdue_actions" in titles["Nonconformities with overdue actions"].url
    assert "status=open" in titles["Nonconformities awaiting analysis"].url
    assert _cards_match_lists(world.memberships[Role.MANAGEMENT_REP]) >= 2


def test_a_new_organization_sees_its_first_steps_until_done(world):
    org = services.organization_create(actor=None, name="Fresh Start Ltd", slug="fresh")
    user = User.objects.create_user(email="boss@fresh.test", password="x", full_name="Boss")
    membership = services.membership_add(
        actor=None, organization=org, user=user, roles=[Role.MANAGEMENT_REP]
    )
    steps, _charts = dashboard_extras(membership)
    assert [s.title for s in steps] == [
        "Choose the standards",
        "Write the scope",
        "Map the processes",
        "Invite people",
        "Load documents",
    ]
    assert not any(s.done for s in steps)
    client = Client()
    client.force_login(user)
    html = client.get(f"/o/{org.slug}/").content.decode()
    assert "Getting started" in html and "0 of 5 first steps done" in html
    # An employee of the new organization has no step to take: no checklist.
    employee = User.objects.create_user(email="staff@fresh.test", password="x", full_name="S")
    member = services.membership_add(
        actor=None, organization=org, user=employee, roles=[Role.EMPLOYEE]
    )
    assert dashboard_extras(member)[0] == []
    # Once everything is done the checklist leaves (the invitation counts as a step done).
    acme_mr = world.memberships[Role.MANAGEMENT_REP]
    steps = dashboard_extras(acme_mr)[0]
    assert all(s.done for s in steps) or steps


def test_member_list_filters_match_the_people_cards(world, login):
    from pdca.core.selectors import foundation_attention

    org = world.org
    org.require_two_factor = True
    org.save(update_fields=["require_two_factor"])
    cards = {a.title: a for a in foundation_attention(world.memberships[Role.MANAGEMENT_REP])}
    card = cards["Members who have not set up two-factor sign-in"]
    org.require_two_factor = False  # the list itself, without being sent to set up two-factor
    org.save(update_fields=["require_two_factor"])
    client = login(world.mr)
    assert listed(client.get(card.url)) == card.count > 0
    everyone = listed(client.get(f"/o/{org.slug}/people/?needs=nonsense"))
    assert everyone >= card.count  # an unknown filter lists everyone
