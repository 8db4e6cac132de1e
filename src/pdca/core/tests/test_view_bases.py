"""The view bases every module builds its pages on: `FormView` (create and edit), `ListView`
(filters, quick paging, the htmx rows partial) and the shared pager, confirmation and filter
bar partials. The pages are test pages over the organization's sites (urls_bases.py)."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pdca.core.models import Site

pytestmark = [pytest.mark.django_db, pytest.mark.urls("pdca.core.tests.urls_bases")]

BASE = "/o/acme/bases/sites/"


@pytest.fixture(autouse=True)
def _test_templates(settings):
    django, *others = settings.TEMPLATES
    folder = Path(__file__).parent / "templates"
    settings.TEMPLATES = [{**django, "DIRS": [*django["DIRS"], folder]}, *others]


@pytest.fixture
def manager(world, client):
    client.force_login(world.mr)
    return client


def test_form_view_creates_then_redirects_with_the_message(world, manager):
    response = manager.post(BASE + "new/", {"name": "Harbour depot"}, follow=True)
    site = Site.objects.get(organization=world.org, name="Harbour depot")
    assert response.redirect_chain[0] == (f"{BASE}{site.pk}/", 302)
    assert "Saved the site." in response.content.decode()


def test_form_view_sends_an_htmx_submission_to_the_next_page_whole(world, manager):
    response = manager.post(BASE + "new/", {"name": "Quay"}, HTTP_HX_REQUEST="true")
    site = Site.objects.get(organization=world.org, name="Quay")
    assert response.status_code == 200 and response["HX-Redirect"] == f"{BASE}{site.pk}/"


def test_form_view_edits_the_object_of_the_url(world, manager):
    site = Site.objects.filter(organization=world.org).first()
    page = manager.get(f"{BASE}{site.pk}/")
    assert page.status_code == 200 and f'value="{site.name}"' in page.content.decode()
    manager.post(f"{BASE}{site.pk}/", {"name": "Renamed"})
    site.refresh_from_db()
    assert site.name == "Renamed"


def test_invalid_form_is_shown_again_with_the_error_next_to_the_field(manager):
    response = manager.post(BASE + "new/", {"name": ""})
    assert response.status_code == 400
    assert 'id="id_name_error"' in response.content.decode()


def test_service_refusal_naming_a_field_stands_next_to_it(world, manager):
    response = manager.post(BASE + "new/", {"name": "taken"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_name_error"' in html and "That name is taken." in html
    assert 'value="taken"' in html  # what was typed is kept
    assert not Site.objects.filter(organization=world.org, name="taken").exists()


def test_conflict_is_a_409_with_the_message_above_the_form(manager):
    response = manager.post(BASE + "new/", {"name": "stale"})
    html = response.content.decode()
    assert response.status_code == 409
    assert 'role="alert"' in html and "Someone else changed this site first." in html


def test_form_view_checks_the_permission_and_the_organization(world, client):
    client.force_login(world.employee)
    assert client.get(BASE + "new/").status_code == 403
    client.force_login(world.outsider)
    assert client.get(BASE + "new/").status_code == 404


def test_confirmation_partial_shows_button_and_way_back(manager):
    html = manager.get(BASE + "new/").content.decode()
    assert '<button type="submit">Save</button> <a href="/">' in html
    assert 'name="csrfmiddlewaretoken"' in html


def _sites(world, count):
    Site.objects.bulk_create(
        Site(organization=world.org, name=f"Depot {n:02}") for n in range(count)
    )


def test_list_view_renders_the_page_or_only_the_rows_for_htmx(world, manager):
    _sites(world, 3)
    full = manager.get(BASE, {"name": "depot"}).content.decode()
    assert "<h1>Sites</h1>" in full and 'class="filters"' in full
    assert 'hx-target="#site-rows"' in full and "from:#site-q" in full
    rows = manager.get(BASE, {"name": "depot"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<h1>Sites</h1>" not in rows and "<li>Depot 00</li>" in rows


def test_list_view_filters_with_the_filterset(world, manager):
    _sites(world, 3)
    Site.objects.create(organization=world.org, name="Warehouse")
    html = manager.get(BASE, {"name": "wareh"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<li>Warehouse</li>" in html and "Depot" not in html and "filtered" in html


def test_list_view_pages_without_counting(world, manager):
    _sites(world, 5)
    first = manager.get(BASE, {"name": "depot"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<li>Depot 00</li><li>Depot 01</li></ul>" in first
    assert "Page 1<" in first and "of" not in first.split("Page 1")[1][:5]
    assert '<a href="?name=depot&amp;page=2&amp;after=' in first and "Previous" not in first
    # A page typed by its number (no cursor) is found by offset, and links on by cursor.
    last = manager.get(BASE, {"name": "depot", "page": "3"}, HTTP_HX_REQUEST="true")
    html = last.content.decode()
    assert "<li>Depot 04</li></ul>" in html and "Next" not in html
    assert '<a href="?name=depot&amp;page=2&amp;before=' in html


def test_list_view_query_count_does_not_grow_with_rows(world, manager):
    _sites(world, 2)
    manager.get(BASE)  # the session's first page of the test writes what later ones read
    with CaptureQueriesContext(connection) as few:
        manager.get(BASE)
    Site.objects.bulk_create(Site(organization=world.org, name=f"Yard {n:02}") for n in range(30))
    with CaptureQueriesContext(connection) as many:
        manager.get(BASE)
    assert len(many.captured_queries) == len(few.captured_queries)


def _render(source, **context):
    from django.template import engines
    from django.test import RequestFactory

    request = RequestFactory().get("/", {"q": "pump", "page": "2"})
    return engines["django"].from_string(source).render({"request": request, **context})


def test_pager_of_a_counted_page_says_how_many_pages_and_keeps_the_filters():
    from django.core.paginator import Paginator

    page = Paginator(list(range(60)), 25).get_page(2)
    html = _render('{% include "core/_pager.html" %}', page=page)
    assert "Page 2 of 3" in html
    assert '<a href="?q=pump&amp;page=1">Previous</a>' in html
    assert '<a href="?q=pump&amp;page=3">Next</a>' in html


def test_filter_bar_wraps_the_fields_in_the_htmx_form():
    html = _render(
        '{% load pdca %}{% filterbar target="pump-rows" search="pump-q" %}'
        '<input id="pump-q" name="q">{% endfilterbar %}'
    )
    assert '<form class="filters" method="get" hx-get="" hx-target="#pump-rows"' in html
    assert 'hx-trigger="change, input changed delay:300ms from:#pump-q, submit"' in html
    assert '<input id="pump-q" name="q">' in html and ">Filter</button>" in html


def test_filter_bar_without_events_submits_only_and_names_its_button():
    html = _render(
        '{% load pdca %}{% filterbar target="t-rows" trigger="" button="Search" %}'
        "{% endfilterbar %}"
    )
    assert "hx-trigger" not in html and ">Search</button>" in html


def test_list_view_next_and_previous_links_follow_a_cursor_not_an_offset(world, manager):
    _sites(world, 5)
    seen, url, pages = [], BASE + "?name=depot", []
    while url:
        with CaptureQueriesContext(connection) as queries:
            html = manager.get(url, HTTP_HX_REQUEST="true").content.decode()
        pages.append((url, html, queries))
        seen += [line.split("</li>")[0] for line in html.split("<li>")[1:]]
        nxt = html.split('">Next</a>')[0].rsplit('<a href="', 1)[-1] if ">Next<" in html else ""
        url = BASE + nxt.replace("&amp;", "&") if nxt else ""
    assert seen == [f"Depot {n:02}" for n in range(5)]
    assert len(pages) == 3 and "after=" in pages[1][0] and "page=3" in pages[2][0]
    # The site list's page after page 1 skips nothing: no OFFSET in its query.
    site_sql = [q["sql"] for q in pages[2][2].captured_queries if '"core_site"' in q["sql"]]
    assert site_sql and not any("OFFSET" in sql.upper() for sql in site_sql)
    # Back from the last page, through the "before" cursor, to where we came from.
    last = pages[2][1]
    prev = last.split('">Previous</a>')[0].rsplit('<a href="', 1)[-1].replace("&amp;", "&")
    assert "before=" in prev and "after=" not in prev and "page=2" in prev
    back = manager.get(BASE + prev, HTTP_HX_REQUEST="true").content.decode()
    assert "<li>Depot 02</li><li>Depot 03</li></ul>" in back and "Page 2" in back


def test_a_cursor_that_is_not_ours_falls_back_to_the_page_number(world, manager):
    _sites(world, 5)
    html = manager.get(BASE, {"name": "depot", "page": "2", "after": "not-a-cursor"}).content
    assert "<li>Depot 02</li><li>Depot 03</li>" in html.decode()


@pytest.mark.parametrize(
    "ordering",
    [
        ("name",),
        ("-name",),
        ("site__name", "name"),
        ("-site__name",),
        ("-is_active", "site__name"),
        ("is_active", "-site__name", "-name"),
    ],
)
def test_quick_pages_by_cursor_walk_every_row_once_in_order_with_nulls(world, ordering):
    from pdca.core.models import Department
    from pdca.core.paging import quick_page

    north = Site.objects.create(organization=world.org, name="North")
    south = Site.objects.create(organization=world.org, name="South")
    for n in range(11):
        Department.objects.create(
            organization=world.org,
            name=f"Dept {n % 4}{n:02}",
            site=[None, north, south][n % 3],
            is_active=n % 2 == 0,
        )
    qs = Department.objects.filter(organization=world.org).order_by(*ordering)
    # Ties are broken by the primary key, in the direction of the last ordering field.
    expected = list(qs.order_by(*ordering, "-pk" if ordering[-1][0] == "-" else "pk"))
    walked, page = [], quick_page(qs, "1", 3)
    pages = [page]
    while True:
        walked += page.object_list
        if not page.has_next():
            break
        page = quick_page(qs, str(page.number + 1), 3, after=page.next_query["after"])
        pages.append(page)
    assert walked == expected and len(pages) == -(-len(expected) // 3) > 3
    back = []
    while page.has_previous():
        page = quick_page(qs, str(page.number - 1), 3, before=page.previous_query["before"])
        back = page.object_list + back
    assert back == expected[: 3 * (len(pages) - 1)] and page.number == 1
