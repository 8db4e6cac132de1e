"""The calendar pages, the iCalendar feeds and the reminder settings page."""

import datetime

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pdca.core.feeds import calendar_feed_create
from pdca.core.models import CalendarFeed, ReminderSetting, TrailEntry
from pdca.core.roles import Role
from pdca.core.testing import assert_page_translated
from pdca.documents.models import Document
from pdca.improvement import services as improvement
from pdca.improvement.models import CorrectiveAction

TODAY = timezone.localdate()


def url(world, name=""):
    return f"/o/{world.org.slug}/calendar/{name}"


def _feed(world, role=Role.PROCESS_OWNER, scope="personal"):
    return calendar_feed_create(
        actor=world.users[role], membership=world.memberships[role], scope=scope
    )


def _events(client, raw):
    response = client.get(f"/calendar/{raw}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


@pytest.mark.django_db
def test_month_view_shows_the_items_of_the_month_with_links_and_overdue_marked(world, client):
    doc = world.extra["document"]
    Document.objects.filter(pk=doc.pk).update(next_review_date=TODAY - datetime.timedelta(days=1))
    client.force_login(world.owner)
    response = client.get(url(world), {"scope": "mine"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"/o/{world.org.slug}/documents/{doc.pk}/" in html
    assert "Overdue" in html
    if TODAY.day == 1:  # yesterday was in the month before
        return
    month = TODAY.strftime("%Y-%m")
    assert "Control of documents" in client.get(url(world), {"month": month}).content.decode()


@pytest.mark.django_db
def test_month_view_for_another_month_and_the_empty_state(world, client):
    client.force_login(world.employee)
    response = client.get(url(world), {"month": "2001-02", "scope": "everyone"})
    assert response.status_code == 200
    assert "Nothing falls due this month." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"month": "2026-13"},
        {"month": "garbage"},
        {"month": "99999-01"},
        {"scope": "somebody"},
        {"kind": "nothing.such"},
        {"standard": "iso0000"},
        {"page": "x"},
        {"page": "999999999999999999"},
    ],
)
def test_bad_filters_are_shown_not_a_server_error(world, client, params):
    client.force_login(world.mr)
    for name in ("", "agenda/"):
        response = client.get(url(world, name), params)
        assert response.status_code == 200, (name, params)


@pytest.mark.django_db
def test_filters_choose_whose_which_kind_and_standard(world, client):
    client.force_login(world.mr)
    audit = world.extra["au_audit"]
    agenda = url(world, "agenda/")
    link = f"/o/{world.org.slug}/audits/{audit.pk}/"  # not a certification audit's page
    everyone = client.get(agenda, {"scope": "everyone"}).content.decode()
    assert link in everyone and "Add a first-off check" in everyone
    only_actions = client.get(agenda, {"scope": "everyone", "kind": "improvement.action"})
    assert link not in only_actions.content.decode()
    assert "Add a first-off check" in only_actions.content.decode()
    by_standard = client.get(agenda, {"scope": "everyone", "standard": "iso27001"}).content
    assert link not in by_standard.decode()
    by_standard = client.get(agenda, {"scope": "everyone", "standard": "iso9001"}).content
    assert link in by_standard.decode()
    mine = client.get(agenda, {"scope": "mine"}).content.decode()
    assert link not in mine  # the auditor leads it


@pytest.mark.django_db
def test_agenda_is_paginated(world, client):
    action = world.extra["im_action"]
    CorrectiveAction.objects.bulk_create(
        CorrectiveAction(
            organization=world.org,
            nonconformity_id=action.nonconformity_id,
            title=f"Bulk action {i:03d}",
            owner=world.owner,
            due_on=TODAY + datetime.timedelta(days=i % 30),
        )
        for i in range(60)
    )
    client.force_login(world.owner)
    first = client.get(url(world, "agenda/"), {"kind": "improvement.action"}).content.decode()
    second = client.get(url(world, "agenda/"), {"kind": "improvement.action", "page": 2})
    second_html = second.content.decode()
    assert "page=2" in first and "page=3" not in second_html
    assert first.count("<tr") - 1 == 50  # the world's own action is among them
    assert first.count("Bulk action") + second_html.count("Bulk action") == 60


def _count(client, address):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_month_agenda_and_feed_queries_do_not_grow_with_rows(world, client):
    action = world.extra["im_action"]
    raw = _feed(world)
    client.force_login(world.owner)
    pages = [url(world) + "?scope=everyone", url(world, "agenda/"), f"/calendar/{raw}.ics"]
    for page in pages:
        _count(client, page)
    before = [_count(client, page) for page in pages]
    CorrectiveAction.objects.bulk_create(
        CorrectiveAction(
            organization=world.org,
            nonconformity_id=action.nonconformity_id,
            title=f"More {i}",
            owner=world.owner,
            due_on=TODAY + datetime.timedelta(days=i % 20),
        )
        for i in range(40)
    )
    assert [_count(client, page) for page in pages] == before


@pytest.mark.django_db
def test_personal_feed_parses_and_holds_the_owners_items_with_stable_uids(world, client):
    doc = world.extra["document"]
    action = world.extra["im_action"]
    raw = _feed(world)
    client.logout()
    first = _events(client, raw)
    second = _events(client, raw)
    assert set(first) == set(second)
    host = "testserver"
    uid = f"improvement.action-{action.pk}@{host}"
    assert uid in first and f"documents.review-{doc.pk}@{host}" in first
    event = first[uid]
    assert event.decoded("dtstart") == action.due_on
    assert event.decoded("dtend") == action.due_on + datetime.timedelta(days=1)
    assert "LAST-MODIFIED" in event and "DTSTAMP" in event
    assert str(event["url"]).endswith(f"/improvement/{action.nonconformity_id}/")
    assert first[uid].to_ical() == second[uid].to_ical()
    # Only the owner's own items: the audit is the lead auditor's.
    assert not any(u.startswith("audits.audit-") for u in first)


@pytest.mark.django_db
def test_sequence_rises_after_an_edit(world, client):
    action = world.extra["im_action"]
    raw = _feed(world)
    uid = f"improvement.action-{action.pk}@testserver"
    before = int(_events(client, raw)[uid]["sequence"])
    improvement.action_update(
        actor=world.owner,
        action=action,
        status="in_progress",
        expected_version=action.version,
        notes="Started",
    )
    assert int(_events(client, raw)[uid]["sequence"]) > before


@pytest.mark.django_db
def test_organization_feed_holds_only_what_the_mr_may_see(world, client):
    doc = world.extra["document"]
    raw = _feed(world, Role.MANAGEMENT_REP, scope="organization")
    events = _events(client, raw)
    assert f"documents.review-{doc.pk}@testserver" in events
    assert f"audits.audit-{world.extra['au_audit'].pk}@testserver" in events
    Document.objects.filter(pk=doc.pk).update(confidentiality="restricted", allowed_roles=["top"])
    assert f"documents.review-{doc.pk}@testserver" not in _events(client, raw)


@pytest.mark.django_db
def test_confidential_review_is_not_in_the_feed_of_someone_who_may_not_see_it(world, client):
    doc = world.extra["document"]
    Document.objects.filter(pk=doc.pk).update(confidentiality="confidential")
    raw = _feed(world, Role.EMPLOYEE)
    assert not any(u.startswith("documents.review-") for u in _events(client, raw))
    raw = _feed(world, Role.PROCESS_OWNER)
    assert any(u.startswith("documents.review-") for u in _events(client, raw))


@pytest.mark.django_db
def test_unknown_and_revoked_tokens_answer_a_bare_404(world, client):
    raw = _feed(world)
    for token in ("nothing-like-it", "x" * 200):
        response = client.get(f"/calendar/{token}.ics")
        assert response.status_code == 404 and response.content == b""
    client.force_login(world.owner)
    client.post(url(world, "feeds/"), {"scope": "personal", "do": "revoke"})
    client.logout()
    response = client.get(f"/calendar/{raw}.ics")
    assert response.status_code == 404 and response.content == b""
    assert TrailEntry.objects.filter(action="core.calendar_feed.revoked").exists()


@pytest.mark.django_db
def test_regenerating_stops_the_old_address_and_shows_the_new_one_once(world, client):
    old = _feed(world)
    client.force_login(world.owner)
    response = client.post(url(world, "feeds/"), {"scope": "personal", "do": "create"})
    html = response.content.decode()
    assert response.status_code == 200
    new = html.split('value="http://testserver/calendar/', 1)[1].split(".ics", 1)[0]
    assert new != old
    client.logout()
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert new not in client.get(url(world, "feeds/")).content.decode()
    feed = CalendarFeed.objects.get(revoked_at__isnull=True, membership__user=world.owner)
    assert feed.digest != new and len(feed.digest) == 64  # only the hash is kept


@pytest.mark.django_db
def test_feed_of_a_member_who_left_or_lost_the_role_answers_404(world, client):
    raw = _feed(world, Role.MANAGEMENT_REP, scope="organization")
    mr = world.memberships[Role.MANAGEMENT_REP]
    mr.roles = [Role.EMPLOYEE]
    mr.save(update_fields=["roles"])
    assert client.get(f"/calendar/{raw}.ics").status_code == 404
    employee = _feed(world, Role.EMPLOYEE)
    world.org.is_active = False
    world.org.save(update_fields=["is_active"])
    assert client.get(f"/calendar/{employee}.ics").status_code == 404
    world.org.is_active = True
    world.org.save(update_fields=["is_active"])
    assert client.get(f"/calendar/{employee}.ics").status_code == 200
    personal = _feed(world)
    owner = world.memberships[Role.PROCESS_OWNER]
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert client.get(f"/calendar/{personal}.ics").status_code == 404


@pytest.mark.django_db
def test_only_the_mr_may_have_the_organization_feed(world, client):
    client.force_login(world.employee)
    response = client.post(url(world, "feeds/"), {"scope": "organization", "do": "create"})
    assert response.status_code == 400
    assert not CalendarFeed.objects.filter(scope="organization").exists()
    assert "Everything in the organization" not in client.get(url(world, "feeds/")).content.decode()
    response = client.post(url(world, "feeds/"), {"scope": "bogus"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_other_organizations_members_cannot_open_the_calendar(world, client):
    client.force_login(world.outsider)
    for name in ("", "agenda/", "feeds/", "reminders/"):
        assert client.get(url(world, name)).status_code == 404


@pytest.mark.django_db
def test_reminder_settings_page_saves_and_shows_errors_next_to_fields(world, client):
    client.force_login(world.mr)
    page = url(world, "reminders/")
    assert client.get(page).status_code == 200
    response = client.post(
        page,
        {"kind": "documents.review", "offsets": "60, 14, 0", "owner_after_days": "3"},
    )
    assert response.status_code == 302
    setting = ReminderSetting.objects.get(organization=world.org, kind="documents.review")
    assert setting.offsets == [60, 14, 0] and setting.escalation() == [("owner", 3)]
    assert "60, 14, 0" in client.get(page, {"kind": "documents.review"}).content.decode()
    for data, field in [
        ({"offsets": "7, soon"}, "offsets"),
        ({"offsets": "400"}, "offsets"),
        ({"offsets": "1,1"}, "offsets"),
        ({"offsets": "7", "owner_after_days": "0"}, "owner_after_days"),
        ({"offsets": "7", "owner_after_days": "9", "mr_after_days": "2"}, "mr_after_days"),
        ({"kind": "nothing.such", "offsets": "7"}, "kind"),
    ]:
        response = client.post(page, data)
        assert response.status_code == 400, data
        assert f'id="id_{field}_error"' in response.content.decode(), data
    response = client.post(
        page,
        {"kind": "documents.review", "offsets": "1", "version": setting.version + 5},
    )
    assert response.status_code == 409
    client.post(page, {"kind": "documents.review", "do": "reset"})
    assert not ReminderSetting.objects.filter(kind="documents.review").exists()


@pytest.mark.django_db
def test_dashboard_shows_what_falls_due_in_the_next_two_weeks(world, client):
    action = world.extra["im_action"]
    client.force_login(world.owner)
    html = client.get(f"/o/{world.org.slug}/").content.decode()
    assert "Falls due in the next 14 days" in html and action.title in html
    CorrectiveAction.objects.filter(pk=action.pk).update(due_on=TODAY + datetime.timedelta(days=20))
    client.force_login(world.employee)
    assert action.title not in client.get(f"/o/{world.org.slug}/").content.decode()


@pytest.mark.django_db
def test_calendar_pages_are_translated(world, client):
    client.force_login(world.mr)
    assert_page_translated(
        client, url(world), ["Previous month", "Mine", "Everyone"], ["Vormonat", "Alle"]
    )
    assert_page_translated(client, url(world, "agenda/"), ["Agenda", "Owner"], ["Verantwortlich"])
    assert_page_translated(client, url(world, "feeds/"), ["Revoke"], ["Kalender-Abonnements"])
    assert_page_translated(
        client, url(world, "reminders/"), ["Set a schedule"], ["Zeitplan festlegen"]
    )


def _agenda_titles(html):
    import re

    return re.findall(r"(Bulk action \d{3}|Same day \d{3})", html)


@pytest.mark.django_db
def test_agenda_next_links_carry_a_cursor_and_walk_every_item_once(world, client):
    import re

    action = world.extra["im_action"]
    # 70 on one day (more than a page, so the day goes on over three pages) and 40 spread out.
    CorrectiveAction.objects.bulk_create(
        [
            CorrectiveAction(
                organization=world.org,
                nonconformity_id=action.nonconformity_id,
                title=f"Same day {i:03d}",
                owner=world.owner,
                due_on=TODAY + datetime.timedelta(days=3),
            )
            for i in range(70)
        ]
        + [
            CorrectiveAction(
                organization=world.org,
                nonconformity_id=action.nonconformity_id,
                title=f"Bulk action {i:03d}",
                owner=world.owner,
                due_on=TODAY + datetime.timedelta(days=i % 7),
            )
            for i in range(40)
        ]
    )
    client.force_login(world.owner)
    address, walked, by_number = url(world, "agenda/") + "?kind=improvement.action", [], []
    number = 1
    while address:
        html = client.get(address).content.decode()
        walked += _agenda_titles(html)
        by_number += _agenda_titles(
            client.get(
                url(world, "agenda/"), {"kind": "improvement.action", "page": number}
            ).content.decode()
        )
        found = re.search(r'<a href="([^"]*)">Next</a>', html)
        if found:
            assert "after=" in found.group(1)
            address = url(world, "agenda/") + found.group(1).replace("&amp;", "&")
            number += 1
        else:
            address = ""
    assert number == 3
    assert sorted(walked) == sorted({*walked}) and len(walked) == 110
    assert walked == by_number  # the cursor shows what the page number does, page for page
