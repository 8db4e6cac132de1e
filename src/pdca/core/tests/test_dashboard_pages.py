"""My work, the trend charts, the readiness history, the organizations summary, the findings
list, the friendly 404 under DEBUG, icons and titles."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from pdca.core import services
from pdca.core.roles import Role

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _url(name, **kwargs):
    return reverse(name, kwargs={"org": "acme", **kwargs})


def _overdue_action(world, days=3):
    from pdca.improvement import services as improvement

    nc = improvement.nonconformity_raise(
        actor=world.mr, organization=world.org, title="Late one", description="d"
    )
    return improvement.action_plan(
        actor=world.mr,
        nonconformity=nc,
        title="Fix the late one",
        owner=world.owner,
        due_on=TODAY - datetime.timedelta(days=days),
    )


def test_my_work_lists_my_items_overdue_first(world, login):
    _overdue_action(world)
    response = login(world.owner).get(_url("core:my_work"))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert groups[0]["key"] == "overdue"
    assert any("Fix the late one" in item.title for item in groups[0]["items"])
    days = [item.due_on for group in groups for item in group["items"]]
    assert days == sorted(days)
    # Someone else's work is not mine.
    mine = login(world.employee).get(_url("core:my_work")).content.decode()
    assert "Fix the late one" not in mine


def test_my_work_filters_by_kind_and_ignores_an_unknown_one(world, login):
    _overdue_action(world)
    client = login(world.owner)
    only = client.get(_url("core:my_work"), {"kind": "documents.review"})
    assert "Fix the late one" not in only.content.decode()
    unknown = client.get(_url("core:my_work"), {"kind": "<script>"})
    assert unknown.status_code == 200 and unknown.context["kind"] == ""


def test_my_work_empty_state_says_what_to_do(world, login):
    html = login(world.users[Role.EXTERNAL_AUDITOR]).get(_url("core:my_work")).content.decode()
    assert "Open the calendar" in html


def test_my_work_query_count_does_not_grow_with_items(world, login, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.owner)
    _overdue_action(world)
    with CaptureQueriesContext(connection) as ctx:
        client.get(_url("core:my_work"))
    for days in range(4, 14):
        _overdue_action(world, days)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        assert client.get(_url("core:my_work")).status_code == 200


def test_my_work_refuses_an_outsider(world, login):
    assert login(world.outsider).get(_url("core:my_work")).status_code in (403, 404)


def test_dashboard_draws_trends_for_managers_not_for_employees(world, login):
    _overdue_action(world)
    html = login(world.mr).get(_url("core:dashboard")).content.decode()
    assert 'id="dashboard-charts"' in html and "chart-4.6.1.umd.min.js" in html
    assert "Nonconformities opened and closed per month" in html
    assert "Overdue corrective actions" in html
    employee = login(world.employee).get(_url("core:dashboard")).content.decode()
    assert "dashboard-charts" not in employee


def test_overdue_trend_counts_actions_late_at_each_month_end(world):
    from pdca.core.attention import dashboard_extras

    _overdue_action(world, days=1)
    charts = {c.key: c for c in dashboard_extras(world.memberships[Role.MANAGEMENT_REP])[1]}
    late = charts["improvement.overdue"].series[0].values
    assert late[-1] >= 1
    opened = charts["improvement.nc-month"].series[0].values
    assert opened[-1] >= 1 and len(opened) == 12


def test_readiness_history_is_kept_daily_and_drawn(world):
    from pdca.core.attention import dashboard_extras
    from pdca.standards.history import snapshot_every_organization
    from pdca.standards.models import ReadinessSnapshot

    assert snapshot_every_organization(TODAY - datetime.timedelta(days=7)) >= 1
    # Retaking a day replaces its snapshot.
    before = ReadinessSnapshot.objects.count()
    snapshot_every_organization(TODAY - datetime.timedelta(days=7))
    assert ReadinessSnapshot.objects.count() == before
    charts = {c.key: c for c in dashboard_extras(world.memberships[Role.MANAGEMENT_REP])[1]}
    series = charts["standards.readiness"].series[0].values
    assert series[-2] is not None and series[-1] is not None
    assert charts["standards.readiness"].unit == "%"


def test_readiness_snapshot_task_is_scheduled():
    from pdca.config.celery import app

    entry = app.conf.beat_schedule["standards.readiness_snapshot"]
    assert entry["task"] == "pdca.standards.tasks.snapshot_readiness"


def test_several_organizations_are_summed_up_on_one_page(world, client):
    services.membership_add(
        actor=None, organization=world.other_org, user=world.consultant, roles=["consultant"]
    )
    _overdue_action(world)
    client.force_login(world.consultant)
    response = client.get(reverse("core:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Acme Test Ltd" in html and "Globex Corp" in html
    acme = next(r for r in response.context["rows"] if r["membership"].organization == world.org)
    labels = [f.label for f in acme["figures"]]
    assert "Open nonconformities" in labels and any("Readiness" in label for label in labels)


def test_findings_to_acknowledge_card_opens_my_findings(world, login):
    from pdca.audits.selectors import audits_attention, finding_list

    finding = world.extra["au_finding"]
    owner = finding.process.owner if finding.process_id else None
    membership = next(m for m in world.memberships.values() if m.user == owner) if owner else None
    response = login(world.mr).get(_url("audits:findings"))
    assert response.status_code == 200
    if membership is None:
        pytest.skip("the example finding has no process owner")
    cards = audits_attention(membership)
    waiting = finding_list(membership, {"to_acknowledge": True}).count()
    assert (cards[0].count if cards else 0) == waiting
    if cards:
        page = login(owner).get(cards[0].url)
        assert len(page.context["page"].object_list) == cards[0].count


@override_settings(DEBUG=True)
def test_a_missing_page_under_debug_shows_pdcas_own_404(world, client):
    client.force_login(world.mr)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "This page does not exist" in html and "URLconf" not in html
    missing = client.get(_url("improvement:detail", pk=987654))
    assert missing.status_code == 404 and "URLconf" not in missing.content.decode()


@override_settings(DEBUG=True, PDCA_DEBUG_TECHNICAL_404=True)
def test_the_technical_404_can_be_asked_for(world, client):
    client.force_login(world.mr)
    assert "URLconf" in client.get("/no-such-page/").content.decode()


def test_pages_carry_the_pdca_name_favicon_and_nav_icons(world, login):
    html = login(world.mr).get(_url("core:dashboard")).content.decode()
    assert "· pdca</title>" in html
    assert 'rel="icon"' in html and "favicon.svg" in html
    assert 'class="icon icon-layout-dashboard"' in html
    assert "What the colours mean" in html or "Nothing needs your attention" in html


def test_demo_prints_the_address_it_was_given():
    out = io.StringIO()
    call_command("demo", "--address", "127.0.0.1:8123", stdout=out)
    assert "http://127.0.0.1:8123/" in out.getvalue()
