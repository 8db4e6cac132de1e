"""The UI shell: error pages, the dashboard, the organization's settings and the trail page."""

import logging

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pdca.core import services, trail
from pdca.core.models import Department, Site, TrailEntry
from pdca.core.testing import make_user


def _url(name, **kwargs):
    return reverse(f"core:{name}", kwargs={"org": "acme", **kwargs})


@pytest.mark.django_db
@pytest.mark.urls("pdca.core.tests.urls_failing")
def test_unhandled_error_shows_a_friendly_page_with_the_request_id(world, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(world.employee)
    with caplog.at_level(logging.ERROR, logger="pdca.errors"):
        response = client.get("/broken/", HTTP_X_REQUEST_ID="ref-4711")
    assert response.status_code == 500
    html = response.content.decode()
    # The reference is pdca's own id of the request, never the one the client sent.
    reference = response["X-Request-ID"]
    assert reference != "ref-4711"
    assert "Something went wrong" in html and reference in html and "ref-4711" not in html
    assert "RuntimeError" not in html and "Traceback" not in html
    assert any(reference in record.getMessage() for record in caplog.records)


@pytest.mark.django_db
@pytest.mark.urls("pdca.core.tests.urls_failing")
def test_unhandled_api_error_is_json(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.employee)
    response = client.get("/api/v1/broken/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal error.", "status": 500}


def test_shared_assets_are_found_by_the_static_finders():
    from django.contrib.staticfiles import finders

    for asset in ("pdca/pdca.css", "vendor/pico-2.1.1.min.css", "vendor/htmx-2.0.11.min.js"):
        assert finders.find(asset), asset


@pytest.mark.django_db
def test_unknown_page_gives_the_404_page(world, client):
    client.force_login(world.employee)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_refused_page_gives_the_403_page_with_the_reason(world, client):
    client.force_login(world.employee)
    response = client.get(_url("organization"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Not allowed" in html and "Your role does not allow this." in html


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in(world, client):
    response = client.get(_url("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("core:login"))


@pytest.mark.django_db
def test_navigation_shows_only_what_the_role_may_use(world, client):
    client.force_login(world.employee)
    nav = client.get(_url("dashboard")).context["nav"]
    labels = {str(item["label"]) for item in nav}
    assert "Audit trail" not in labels and "Organization" not in labels
    client.force_login(world.mr)
    labels = {str(item["label"]) for item in client.get(_url("dashboard")).context["nav"]}
    assert {"Dashboard", "People", "Organization", "Audit trail"} <= labels


@pytest.mark.django_db
def test_consultant_switches_between_organizations(world, client):
    services.membership_add(
        actor=None, organization=world.other_org, user=world.consultant, roles=["consultant"]
    )
    client.force_login(world.consultant)
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    html = home.content.decode()
    assert "Acme Test Ltd" in html and "Globex Corp" in html
    assert client.get(reverse("core:dashboard", kwargs={"org": "globex"})).status_code == 200


def _add_members(world, count, start=0):
    for i in range(start, start + count):
        services.membership_add(
            actor=None,
            organization=world.org,
            user=make_user(f"bulk{i}@acme.test"),
            roles=["employee"],
        )


def _queries(client, url, **extra):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **extra).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_members(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.mr)
    few = _queries(client, _url("dashboard"))
    _add_members(world, 40)
    with django_assert_max_num_queries(few):
        client.get(_url("dashboard"))
    # Every module adds a few count queries (the falls-due panel reads every due source and its
    # cache key; each card counts through its list's own selector; the first steps and the
    # trend charts add their own); none may grow with data. Cached, the page is a few queries.
    # With the thirteen modules the management representative's uncached dashboard takes about
    # 139 (it took 70 with six): the budget says when a module adds more than its share.
    assert few <= 145
    assert _queries(client, _url("dashboard")) <= 12


@pytest.mark.django_db
def test_member_list_query_count_does_not_grow_with_members(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.mr)
    _add_members(world, 3)
    few = _queries(client, _url("members"))
    _add_members(world, 40, start=3)
    with django_assert_max_num_queries(few):
        client.get(_url("members"))


def _fill_trail(world, count):
    for i in range(count):
        trail.record(
            action="core.organization.updated",
            actor=world.mr,
            organization=world.org,
            obj=world.org,
            changes={"name": [f"n{i}", f"n{i + 1}"]},
        )


@pytest.mark.django_db
def test_trail_page_query_count_does_not_grow_with_entries(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.mr)
    few = _queries(client, _url("trail"))
    _fill_trail(world, 60)
    with django_assert_max_num_queries(few):
        client.get(_url("trail"))


@pytest.mark.django_db
def test_trail_page_escapes_what_users_typed(world, client):
    trail.record(
        action="core.organization.updated",
        actor=world.mr,
        organization=world.org,
        obj=world.org,
        changes={"name": ["<b>old</b>", "<script>alert(1)</script>"]},
        reason="<i>because</i>",
    )
    client.force_login(world.mr)
    for response in (client.get(_url("trail")), client.get(_url("trail"), HTTP_HX_REQUEST="true")):
        html = response.content.decode()
        assert "<script>alert(1)</script>" not in html and "<i>because" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;old" in html


@pytest.mark.django_db
def test_trail_page_walks_back_with_older_entries_cursor(world, client):
    _fill_trail(world, 60)
    total = TrailEntry.objects.filter(chain=world.org.pk).count()
    client.force_login(world.mr)
    seen: list[int] = []
    response = client.get(_url("trail"))
    while True:
        entries = response.context["entries"]
        assert len(entries) <= 25
        seen += [e.seq for e in entries]
        cursor = response.context["next_cursor"]
        if cursor is None:
            break
        html = response.content.decode()
        assert "Older entries" in html and f"before={cursor}" in html
        # htmx asks for the rows alone; the full page of the same cursor carries them too.
        rows = client.get(_url("trail"), {"before": cursor}, HTTP_HX_REQUEST="true")
        assert "<html" not in rows.content.decode()
        response = client.get(_url("trail"), {"before": cursor})
        assert rows.content.decode() in response.content.decode()
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == len(set(seen)) == total


@pytest.mark.django_db
def test_trail_page_filters_by_action_and_actor(world, client):
    _fill_trail(world, 3)
    client.force_login(world.mr)
    response = client.get(_url("trail"), {"action": "core.organization"})
    actions = {e.action for e in response.context["entries"]}
    assert actions == {"core.organization.created", "core.organization.updated"}
    response = client.get(_url("trail"), {"actor": world.mr.email})
    assert {e.actor_label for e in response.context["entries"]} == {world.mr.email}
    response = client.get(_url("trail"), {"actor": world.mr.email.upper()})
    assert {e.actor_label for e in response.context["entries"]} == {world.mr.email}
    response = client.get(_url("trail"), {"action": "core.organization.updated"})
    assert {e.action for e in response.context["entries"]} == {"core.organization.updated"}
    response = client.get(_url("trail"), {"action": "core.organization.up"})
    assert {e.action for e in response.context["entries"]} == {"core.organization.updated"}
    response = client.get(_url("trail"), {"actor": "nobody@acme.test"})
    assert "No entries match" in response.content.decode()


@pytest.mark.django_db
def test_trail_page_escapes_recorded_values(world, client):
    trail.record(
        action="core.organization.updated",
        actor=world.mr,
        organization=world.org,
        changes={"name": ["<b>old</b>", "<script>x</script>"]},
        reason="<i>why</i>",
    )
    client.force_login(world.mr)
    html = client.get(_url("trail")).content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "Reason: &lt;i&gt;why&lt;/i&gt;" in html
    assert "<strong>Name</strong>: &lt;b&gt;old&lt;/b&gt; → " in html


@pytest.mark.django_db
def test_trail_page_with_bad_filter_input_says_so(world, client):
    client.force_login(world.mr)
    response = client.get(_url("trail"), {"since": "yesterday", "actor": "x"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


@pytest.mark.django_db
def test_trail_page_shows_only_its_own_organization(world, client):
    trail.record(
        action="core.organization.updated",
        actor=world.outsider,
        organization=world.other_org,
        obj=world.other_org,
    )
    client.force_login(world.mr)
    entries = client.get(_url("trail")).context["entries"]
    assert entries and {e.organization_id for e in entries} == {world.org.pk}


@pytest.mark.django_db
def test_organization_settings_are_saved_and_recorded(world, client):
    client.force_login(world.mr)
    response = client.post(
        _url("organization"),
        {"name": "Acme Precision", "require_two_factor": "", "external_access_max_days": 90},
    )
    assert response.url == _url("organization")
    world.org.refresh_from_db()
    assert world.org.name == "Acme Precision"
    entry = TrailEntry.objects.for_object(world.org).latest("seq")
    assert entry.changes == {"name": ["Acme Test Ltd", "Acme Precision"]}
    bad = client.post(_url("organization"), {"name": ""})
    assert 'id="id_name_error"' in bad.content.decode()


@pytest.mark.django_db
def test_site_and_department_pages_create_edit_and_refuse_duplicates(world, client):
    client.force_login(world.mr)
    response = client.post(_url("site_create"), {"name": "Depot", "is_active": "on"})
    assert response.url == _url("organization")
    site = Site.objects.get(organization=world.org, name="Depot")
    client.post(_url("site_edit", pk=site.pk), {"name": "North depot", "is_active": "on"})
    site.refresh_from_db()
    assert site.name == "North depot"
    edited = TrailEntry.objects.for_object(site).latest("seq")
    assert (edited.action, edited.changes) == (
        "core.site.updated",
        {"name": ["Depot", "North depot"]},
    )
    response = client.post(_url("department_create"), {"name": "Quality", "is_active": "on"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post(
        _url("department_create"), {"name": "Logistics", "site": site.pk, "is_active": "on"}
    )
    assert response.url == _url("organization")
    dept = Department.objects.get(organization=world.org, name="Logistics")
    assert TrailEntry.objects.for_object(dept).get().action == "core.department.created"
    client.post(
        _url("department_edit", pk=dept.pk),
        {"name": "Logistics", "site": site.pk, "head": world.owner.pk, "is_active": "on"},
    )
    edited = TrailEntry.objects.for_object(dept).latest("seq")
    assert edited.action == "core.department.updated"
    assert edited.changes == {"head": [None, {"id": world.owner.pk, "label": str(world.owner)}]}


@pytest.mark.django_db
def test_department_form_refuses_another_organizations_site(world, client):
    foreign = Site.objects.create(organization=world.other_org, name="Globex HQ")
    client.force_login(world.mr)
    response = client.post(
        _url("department_create"), {"name": "Spies", "site": foreign.pk, "is_active": "on"}
    )
    assert 'id="id_site_error"' in response.content.decode()
    assert not Department.objects.filter(name="Spies").exists()


@pytest.mark.django_db
def test_role_table_page_lists_the_policy(world, client):
    client.force_login(world.employee)
    html = client.get(_url("roles")).content.decode()
    assert "view_trail" in html and "manage_members" in html


@pytest.mark.django_db
def test_an_unknown_host_is_a_bad_request_not_a_server_error(client):
    # Django refuses the host before any middleware sets request.user; the error page must
    # still render.
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()


def _entry_at(world, moment, monkeypatch):
    # The trail takes its time from the clock under the chain's lock; the test sets the clock.
    with monkeypatch.context() as patched:
        patched.setattr(trail.timezone, "now", lambda: moment)
        return trail.record(
            action="core.organization.updated",
            actor=world.mr,
            organization=world.org,
            obj=world.org,
            changes={"name": ["a", "b"]},
        )


@pytest.mark.django_db
def test_trail_date_filter_keeps_whole_days_in_the_viewers_time_zone(world, client, monkeypatch):
    import datetime
    import zoneinfo

    from django.utils import timezone

    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    day = datetime.date(2030, 3, 10)
    moments = {
        "before": datetime.datetime(2030, 3, 9, 23, 30, tzinfo=berlin),
        "first": datetime.datetime(2030, 3, 10, 0, 10, tzinfo=berlin),
        "last": datetime.datetime(2030, 3, 10, 23, 50, tzinfo=berlin),
        "after": datetime.datetime(2030, 3, 11, 0, 5, tzinfo=berlin),
    }
    seqs = {name: _entry_at(world, moment, monkeypatch).seq for name, moment in moments.items()}
    client.force_login(world.mr)
    with timezone.override(berlin):
        data = {"since": day.isoformat(), "until": day.isoformat()}
        from pdca.core.forms import TrailFilterForm
        from pdca.core.selectors import trail_page

        form = TrailFilterForm(data)
        with CaptureQueriesContext(connection) as queries:
            rows, _cursor = trail_page(organization=world.org, filters=form)
        assert [r.seq for r in rows] == [seqs["last"], seqs["first"]]
        # No function of the timestamp per row: the range is served by the indexes.
        sql = " ".join(q["sql"] for q in queries.captured_queries).lower()
        assert "cast_date" not in sql and "at time zone" not in sql and "::date" not in sql
        since_only = trail_page(
            organization=world.org, filters=TrailFilterForm({"since": "2030-03-11"})
        )[0]
        assert [r.seq for r in since_only] == [seqs["after"]]
        until_only = trail_page(
            organization=world.org, filters=TrailFilterForm({"until": "2030-03-09"})
        )[0]
        assert seqs["before"] in [r.seq for r in until_only]
        assert not {seqs["first"], seqs["last"], seqs["after"]} & {r.seq for r in until_only}
    # The page itself answers the same.
    response = client.get(_url("trail"), data)
    assert response.status_code == 200
