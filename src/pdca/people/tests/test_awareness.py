"""Awareness (7.3): items acknowledged by each person they concern, a new revision of the
policy asking everyone again, the matrix's awareness column, the pages and the API."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from pdca.core.models import Notification, TrailEntry
from pdca.core.roles import Role
from pdca.people import selectors, services
from pdca.people.models import Acknowledgement, AwarenessKind
from pdca.people.tests.test_revisions import release
from pdca.people.tests.test_views import add_machinists

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
BASE = "/api/v1/o/acme/competence/"


def url(name, **kw):
    return reverse(f"people:{name}", kwargs={"org": "acme", **kw})


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def policy_item(world, **kw):
    return services.awareness_item_save(
        actor=world.mr,
        organization=world.org,
        title="Quality policy",
        kind=AwarenessKind.POLICY,
        document=world.extra["document"],
        **kw,
    )


def test_each_person_acknowledges_once_per_round_and_a_new_revision_asks_again(
    world, django_capture_on_commit_callbacks
):
    item = policy_item(world)
    employee = world.memberships[Role.EMPLOYEE]
    progress = selectors.awareness_progress(world.org, [item])[0]
    assert progress.acknowledged == 0 and progress.audience >= 5
    services.awareness_acknowledge(actor=world.employee, item=item)
    with pytest.raises(ValidationError, match="already acknowledged"):
        services.awareness_acknowledge(actor=world.employee, item=item)
    person = employee.person
    assert (
        selectors.awareness_of(world.org, [person])[person.pk].pending
        == [world.extra["people_awareness"]]
        or selectors.awareness_of(world.org, [person])[person.pk].done == 2
    )
    assert selectors.awareness_progress(world.org, [item])[0].acknowledged == 1
    # A new revision of the policy document: a new round, everyone is asked again.
    with django_capture_on_commit_callbacks(execute=True):
        release(world, world.extra["draft_revision"])
    item.refresh_from_db()
    assert item.round == 2 and str(world.extra["draft_revision"]) == item.revision
    assert selectors.awareness_progress(world.org, [item])[0].acknowledged == 0
    assert TrailEntry.objects.filter(action="people.awareness.asked_again").exists()
    assert Notification.objects.filter(
        kind="people.awareness_asked", recipient=world.employee
    ).exists()
    services.awareness_acknowledge(actor=world.employee, item=item)
    ack = Acknowledgement.objects.get(item=item, person=person, round=2)
    assert ack.revision == item.revision
    assert Acknowledgement.objects.filter(item=item, person=person).count() == 2  # kept


def test_an_item_for_job_roles_concerns_only_their_holders(world):
    briefing = world.extra["people_awareness"]
    audience = set(selectors.awareness_audience(briefing).values_list("user_id", flat=True))
    assert audience == {world.employee.pk}
    with pytest.raises(ValidationError, match="does not concern"):
        services.awareness_acknowledge(actor=world.owner, item=briefing)
    # The external auditor is no one's audience, and may not acknowledge.
    item = policy_item(world)
    external = world.memberships[Role.EXTERNAL_AUDITOR].user
    assert external.pk not in set(
        selectors.awareness_audience(item).values_list("user_id", flat=True)
    )


def test_bad_input_is_refused_on_its_field(world):
    with pytest.raises(ValidationError) as error:
        services.awareness_item_save(
            actor=world.mr, organization=world.org, title="X", kind="gossip"
        )
    assert "kind" in error.value.error_dict
    item = policy_item(world)
    with pytest.raises(ValidationError) as error:
        services.awareness_item_save(
            actor=world.mr, organization=world.org, title="quality POLICY", kind="policy"
        )
    assert "title" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.awareness_ask_again(actor=world.mr, item=item, reason=" ")
    assert "reason" in error.value.error_dict


def test_only_the_keepers_create_items_and_ask_again(world):
    with pytest.raises(ValidationError, match="does not allow"):
        services.awareness_item_save(
            actor=world.employee, organization=world.org, title="Mine", kind="policy"
        )
    with pytest.raises(ValidationError, match="does not allow"):
        services.awareness_ask_again(
            actor=world.employee, item=world.extra["people_awareness"], reason="again"
        )


def test_the_matrix_shows_awareness_and_the_profile_offers_to_acknowledge(world, login):
    item = policy_item(world)
    content = login(world.mr).get(url("matrix")).content.decode()
    assert "Awareness" in content and "1 of 2 acknowledged" in content
    person = world.extra["people_person"]
    client = login(world.employee)
    profile = client.get(url("person", pk=person.pk)).content.decode()
    ack_url = url("awareness_acknowledge", pk=item.pk)
    assert ack_url in profile
    assert client.get(ack_url).status_code == 200
    response = client.post(ack_url)
    assert response.status_code == 302
    assert response["Location"] == url("awareness", pk=item.pk)
    assert "2 of 2 acknowledged" in login(world.mr).get(url("matrix")).content.decode()
    # Twice: refused with the reason, not an error page.
    again = login(world.employee).post(ack_url)
    assert again.status_code == 400 and "already acknowledged" in again.content.decode()


def test_the_dashboard_asks_for_what_is_still_to_acknowledge(world):
    from pdca.people.selectors import people_attention

    owner = world.memberships[Role.PROCESS_OWNER]
    titles = [c.title for c in people_attention(owner)]
    assert "Awareness items for you to acknowledge" not in titles
    policy_item(world)
    card = next(
        c for c in people_attention(owner) if c.title == "Awareness items for you to acknowledge"
    )
    assert card.count == 1 and "Quality policy" in card.detail


def test_the_awareness_pages(world, login, django_assert_max_num_queries):
    item = policy_item(world)
    client = login(world.mr)
    client.get(url("awareness_list"))
    with django_assert_max_num_queries(40) as few:
        page = client.get(url("awareness_list"))
    assert page.status_code == 200 and "Quality policy" in page.content.decode()
    add_machinists(world, 5)
    for i in range(3):
        services.awareness_item_save(
            actor=world.mr, organization=world.org, title=f"Objective {i}", kind="objectives"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url("awareness_list")).status_code == 200
    detail = client.get(url("awareness", pk=item.pk)).content.decode()
    assert "Still to acknowledge" in detail and "Machinist 004" in detail
    # The form shows the refusal next to the field; asking again needs a reason.
    response = client.post(url("awareness_create"), {"title": "Quality policy", "kind": "policy"})
    assert response.status_code == 400 and "of this title exists" in response.content.decode()
    response = client.post(url("awareness_ask_again", pk=item.pk), {"reason": ""})
    assert response.status_code == 400
    response = client.post(url("awareness_ask_again", pk=item.pk), {"reason": "New objectives"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.round == 2
    # An employee sees the list but may not create items.
    assert login(world.employee).get(url("awareness_create")).status_code == 403


def test_the_awareness_page_in_german(world, login):
    from pdca.core.testing import assert_page_translated

    item = policy_item(world)
    client = login(world.mr)
    assert_page_translated(
        client,
        url("awareness", pk=item.pk),
        ["Still to acknowledge", "Ask everyone again"],
        ["Noch zu bestätigen", "Alle erneut fragen"],
    )
    assert_page_translated(
        client, url("awareness_list"), ["Awareness item", "Everyone"], ["Bewusstseinsthema", "Alle"]
    )


def test_the_api_lists_creates_and_acknowledges(world):
    item = policy_item(world)
    rows = api(world.mr).get(BASE + "awareness/").json()["results"]
    mine = next(r for r in rows if r["id"] == item.pk)
    assert mine["acknowledged"] == 0 and mine["audience"] >= 5
    created = api(world.mr).post(
        BASE + "awareness/",
        {
            "title": "Information security responsibilities",
            "kind": "infosec",
            "job_roles": [world.extra["people_job_role"].pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["audience"] == 1
    bad = api(world.mr).post(BASE + "awareness/", {"title": "X", "kind": "gossip"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]
    bad = api(world.mr).post(
        BASE + "awareness/", {"title": "Y", "kind": "policy", "job_roles": [999999]}, format="json"
    )
    assert bad.status_code == 400 and "job_roles" in bad.json()["errors"]
    assert api(world.employee).post(BASE + "awareness/", {"title": "Z"}).status_code == 403
    ack = api(world.employee).post(BASE + f"awareness/{item.pk}/acknowledge/")
    assert ack.status_code == 201 and ack.json()["round"] == 1
    again = api(world.employee).post(BASE + f"awareness/{item.pk}/acknowledge/")
    assert again.status_code == 400
    acks = api(world.employee).get(BASE + "acknowledgements/", {"item": item.pk}).json()
    assert [a["person"] for a in acks["results"]] == [world.extra["people_person"].pk]
    assert api(world.mr).get(BASE + "acknowledgements/", {"item": "x"}).status_code == 400
    stale = api(world.mr).patch(
        BASE + f"awareness/{item.pk}/", {"version": item.version - 1, "title": "QP"}, format="json"
    )
    assert stale.status_code == 409
    asked = api(world.mr).post(BASE + f"awareness/{item.pk}/ask-again/", {"reason": "Revised"})
    assert asked.status_code == 200 and asked.json()["round"] == 2
    assert api(world.outsider).get(BASE + "awareness/").status_code == 404


def test_acknowledgements_are_evidence_of_awareness(world):
    from pdca.standards.registry import EVIDENCE_KINDS, RECORD_SOURCES

    assert "people.awarenessitem" in EVIDENCE_KINDS["retain"]
    assert RECORD_SOURCES["7.3"](world.org)  # the world's employee acknowledged an item
