"""Announcements to chosen audiences, with an optional acknowledgement and the share who
acknowledged; pages and API with their permissions, the boundary and bad input."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pdca.core.roles import Role
from pdca.engagement import selectors, services
from pdca.engagement.models import Acknowledgement, Announcement

pytestmark = pytest.mark.django_db


def url(name, org="acme", **kw):
    return reverse(name, kwargs={"org": org, **kw})


def _publish(world, **values):
    fields = {"title": "Safety week", "body": "Toolbox talks every morning.", **values}
    return services.announcement_publish(actor=world.mr, organization=world.org, **fields)


def test_the_audience_is_everyone_or_the_roles_departments_and_sites_named(world):
    everyone = _publish(world)
    assert len(selectors.audience_of(everyone)) == len(world.memberships)
    auditors = _publish(world, roles=[Role.INTERNAL_AUDITOR])
    assert [m.user_id for m in selectors.audience_of(auditors)] == [world.auditor.pk]
    production = _publish(world, departments=[world.department])
    assert {m.user_id for m in selectors.audience_of(production)} == {
        world.owner.pk,
        world.employee.pk,
    }
    site = _publish(world, sites=[world.site])
    assert {m.user_id for m in selectors.audience_of(site)} == {world.owner.pk, world.employee.pk}


def test_bad_announcements_are_refused(world):
    from pdca.core.models import Department

    with pytest.raises(ValidationError):
        _publish(world, roles=["king"])
    theirs = Department.objects.create(organization=world.other_org, name="Sales")
    with pytest.raises(ValidationError):
        _publish(world, departments=[theirs])
    with pytest.raises(ValidationError):
        _publish(world, title="")
    with pytest.raises(ValidationError):
        services.announcement_publish(
            actor=world.employee, organization=world.org, title="x", body="y"
        )


def test_acknowledging_once_and_the_share(world):
    a = _publish(world, requires_ack=True)
    services.announcement_acknowledge(actor=world.employee, announcement=a)
    services.announcement_acknowledge(actor=world.employee, announcement=a)
    assert Acknowledgement.objects.filter(announcement=a).count() == 1
    services.announcement_acknowledge(actor=world.owner, announcement=a)
    [shown] = selectors.with_reach(
        list(
            selectors.announcement_list(world.memberships[Role.MANAGEMENT_REP], {}).filter(pk=a.pk)
        ),
        world.memberships[Role.MANAGEMENT_REP],
    )
    assert shown.acknowledged == 2 and shown.audience == len(world.memberships)
    assert shown.share == round(200 / len(world.memberships))


def test_only_the_audience_acknowledges_and_only_when_asked(world):
    auditors = _publish(world, roles=[Role.INTERNAL_AUDITOR], requires_ack=True)
    with pytest.raises(ValidationError):
        services.announcement_acknowledge(actor=world.employee, announcement=auditors)
    services.announcement_acknowledge(actor=world.auditor, announcement=auditors)
    plain = _publish(world)
    with pytest.raises(ValidationError):
        services.announcement_acknowledge(actor=world.employee, announcement=plain)
    with pytest.raises(ValidationError):
        services.announcement_acknowledge(actor=world.external, announcement=auditors)


def test_the_dashboard_asks_for_the_acknowledgement(world):
    item = [
        a
        for a in selectors.attention(world.memberships[Role.EMPLOYEE])
        if a.title == "Announcements to acknowledge"
    ]
    assert item and item[0].count == 1


def test_pages_publish_list_and_acknowledge(world, login):
    client = login(world.top)
    r = client.post(url("engagement:announce"), {"title": "", "body": ""})
    assert r.status_code == 400
    r = client.post(
        url("engagement:announce"),
        {"title": "Audit next week", "body": "Be ready.", "roles": ["owner"], "requires_ack": "on"},
    )
    assert r.status_code == 302
    a = Announcement.objects.get(title="Audit next week")
    r = client.get(url("engagement:announcements"))
    assert r.status_code == 200 and b"Audit next week" in r.content
    client = login(world.owner)
    r = client.get(url("engagement:announcement", pk=a.pk))
    assert r.status_code == 200 and b"Acknowledge" in r.content
    r = client.post(url("engagement:acknowledge", pk=a.pk), {})
    assert r.status_code == 302
    r = client.get(url("engagement:announcement", pk=a.pk))
    assert b"you acknowledged it" in r.content
    client = login(world.employee)
    r = client.post(url("engagement:acknowledge", pk=a.pk), {})
    assert r.status_code == 400
    assert client.get(url("engagement:announce")).status_code == 403


def test_another_organization_sees_no_announcement(world, login):
    a = world.extra["en_announcement"]
    client = login(world.outsider)
    assert client.get(url("engagement:announcement", pk=a.pk)).status_code == 404
    assert client.get(url("engagement:announcement", org="globex", pk=a.pk)).status_code == 404
    r = client.post(url("api-engagement-acknowledge", org="globex", pk=a.pk))
    assert r.status_code == 404


def test_the_list_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    client = login(world.employee)
    with django_assert_max_num_queries(16) as before:
        client.get(url("engagement:announcements"))
    for i in range(8):
        _publish(world, title=f"News {i}", requires_ack=bool(i % 2), departments=[world.department])
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url("engagement:announcements"))


def test_api_publishes_lists_and_acknowledges(world, login):
    client = login(world.mr)
    r = client.post(
        url("api-engagement-announcements"),
        {
            "title": "Stock take",
            "body": "Friday.",
            "departments": [world.department.pk],
            "requires_ack": True,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["audience"] == 2 and created["share"] == 0
    r = client.post(
        url("api-engagement-announcements"),
        {"title": "x", "body": "y", "sites": [999999]},
        content_type="application/json",
    )
    assert r.status_code == 400
    r = client.post(
        url("api-engagement-announcements"),
        {"title": "x", "body": "y", "roles": ["king"]},
        content_type="application/json",
    )
    assert r.status_code == 400
    client = login(world.employee)
    r = client.post(url("api-engagement-acknowledge", pk=created["id"]))
    assert r.status_code == 200 and r.json()["acknowledged"] == 1 and r.json()["share"] == 50
    r = client.get(url("api-engagement-announcements"))
    assert r.status_code == 200
    assert any(a["id"] == created["id"] and a["share"] == 50 for a in r.json()["results"])
    r = client.post(
        url("api-engagement-announcements"),
        {"title": "x", "body": "y"},
        content_type="application/json",
    )
    assert r.status_code == 403
