"""The register over time: the nightly snapshot of its counts (each risk judged by its own
method's acceptance criteria, before and after treatment), the weekly trend ending with today's
live figures, and the heat map page showing it with a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pdca.risks import history, services
from pdca.risks.models import RiskSnapshot

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _risk(world, title, likelihood, consequence, **values):
    return services.risk_create(
        actor=world.mr,
        organization=world.org,
        title=title,
        owner=world.owner,
        likelihood=likelihood,
        consequence=consequence,
        **values,
    )


def test_counts_judge_each_risk_before_and_after_treatment(world):
    # The world's risk: 3 × 4 = 12 above the threshold of 6, treated down to 2 × 3 = 6.
    assert history.register_counts(world.org) == {
        "open_risks": 1,
        "open_opportunities": 0,
        "above_before": 1,
        "above_after": 0,
    }
    untreated = _risk(world, "Flooding of the yard", 4, 4)
    _risk(world, "Energy prices", 1, 2)
    _risk(world, "New customer in rail", 4, 4, kind="opportunity")
    counts = history.register_counts(world.org)
    assert counts == {
        "open_risks": 3,
        "open_opportunities": 1,
        "above_before": 2,
        "above_after": 1,  # untreated: it stays where it was
    }
    services.risk_close(
        actor=world.mr, risk=untreated, expected_version=untreated.version, reason="Yard raised"
    )
    assert history.register_counts(world.org)["above_after"] == 0
    # Another organization's register is not counted.
    assert history.register_counts(world.other_org)["open_risks"] == 0


def test_the_nightly_task_keeps_a_snapshot_per_organization_with_risks(world):
    from pdca.risks.tasks import snapshot_register

    assert snapshot_register() == 1  # Globex has no register
    snapshot = RiskSnapshot.objects.get(organization=world.org, day=TODAY)
    assert (snapshot.open_risks, snapshot.above_before, snapshot.above_after) == (1, 1, 0)
    _risk(world, "Flooding of the yard", 4, 4)
    snapshot_register()  # a second run the same day replaces that day's counts
    snapshot = RiskSnapshot.objects.get(organization=world.org, day=TODAY)
    assert snapshot.open_risks == 2 and snapshot.above_after == 1
    from pdca.config.celery import app

    entry = app.conf.beat_schedule["risks.register_snapshot"]
    assert entry["task"] == "pdca.risks.tasks.snapshot_register"


def test_trend_has_a_point_a_week_ending_with_todays_live_counts(world):
    for weeks, open_risks in ((2, 5), (5, 4)):
        RiskSnapshot.objects.create(
            organization=world.org,
            # Kept a day before the week's point: the latest of its week is used.
            day=TODAY - datetime.timedelta(weeks=weeks, days=1),
            open_risks=open_risks,
            open_opportunities=0,
            above_before=3,
            above_after=2,
        )
    points = history.trend(world.org, TODAY)
    assert len(points) == history.TREND_WEEKS
    assert points[-1].live and points[-1].day == TODAY and points[-1].open_risks == 1
    by_day = {p.day: p.open_risks for p in points}
    assert by_day[TODAY - datetime.timedelta(weeks=2)] == 5
    assert by_day[TODAY - datetime.timedelta(weeks=5)] == 4
    assert by_day[TODAY - datetime.timedelta(weeks=3)] is None  # none kept that week


def test_heat_map_shows_the_trend_with_a_fixed_number_of_queries(
    world, login, django_assert_max_num_queries
):
    client = login(world.employee)
    url = reverse("risks:heatmap", kwargs={"org": world.org.slug})
    page = client.get(url).content.decode()
    assert "Trends" in page and "until then the trend shows today" in page
    assert 'id="dashboard-charts"' not in page  # no chart without a history
    with django_assert_max_num_queries(20) as first:
        client.get(url)
    for weeks in range(1, 12):
        RiskSnapshot.objects.create(
            organization=world.org,
            day=TODAY - datetime.timedelta(weeks=weeks),
            open_risks=10 + weeks,
            open_opportunities=1,
            above_before=7,
            above_after=4,
        )
        _risk(world, f"Risk {weeks}", 2, 2)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    page = response.content.decode()
    assert 'id="dashboard-charts"' in page and "dashboard-charts.js" in page
    assert "<td>21</td>" in page  # eleven weeks ago
    assert response.context["trend"][-1].open_risks == 12


def test_the_trend_is_the_organizations_own(world, login):
    RiskSnapshot.objects.create(
        organization=world.org,
        day=TODAY - datetime.timedelta(weeks=1),
        open_risks=77,
        open_opportunities=0,
        above_before=0,
        above_after=0,
    )
    outsider = login(world.outsider)
    page = outsider.get(reverse("risks:heatmap", kwargs={"org": world.other_org.slug}))
    assert "<td>77</td>" not in page.content.decode()
    assert outsider.get(reverse("risks:heatmap", kwargs={"org": world.org.slug})).status_code == 404


def test_api_heat_map_and_trend(world, login, django_assert_max_num_queries):
    client = login(world.employee)
    api = reverse("api-risks-heat-map", kwargs={"org": world.org.slug})
    client.get(api)
    with django_assert_max_num_queries(12) as first:
        body = client.get(api).json()
    method = world.extra["rk_method"]
    assert body["method"] == method.number
    assert len(body["cells"]) == len(method.likelihood_levels) * len(method.consequence_levels)
    cells = {(c["likelihood"], c["consequence"]): c for c in body["cells"]}
    assert cells[(3, 4)]["before"] == 1 and cells[(2, 3)]["after"] == 1
    assert body["trend"][-1]["live"] and body["trend"][-1]["open_risks"] == 1
    _risk(world, "Flooding of the yard", 4, 4)
    _risk(world, "New customer in rail", 4, 4, kind="opportunity")
    with django_assert_max_num_queries(len(first.captured_queries)):
        body = client.get(api, {"kind": "opportunity"}).json()
    assert sum(c["before"] for c in body["cells"]) == 1
    assert client.get(api, {"kind": "nope"}).status_code == 400
    outsider = login(world.outsider)
    assert outsider.get(api).status_code == 404
    theirs = outsider.get(reverse("api-risks-heat-map", kwargs={"org": world.other_org.slug}))
    assert theirs.json()["method"] is None and theirs.json()["cells"] == []


def test_api_register_filtered_by_a_control(world, login):
    from pdca.risks import isms
    from pdca.standards.models import Clause

    backup = Clause.objects.get(edition=world.extra["iso27001"].edition, number="A.8.13")
    risk = _risk(world, "Data loss", 2, 3)
    isms.controls_set(actor=world.mr, risk=risk, expected_version=risk.version, controls=[backup])
    client = login(world.mr)
    api = reverse("api-risks-list", kwargs={"org": world.org.slug})
    titles = [r["title"] for r in client.get(api, {"control": backup.pk}).json()["results"]]
    assert titles == ["Data loss"]
