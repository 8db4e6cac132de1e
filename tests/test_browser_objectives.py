"""The issue's "done when", in a real browser: the management representative defines an
objective with a KPI, a process owner enters three months of values (the third red), the chart
shows the trend against the target, the KPI offers a nonconformity that is raised with the KPI
as its source, and top management approves the objectives with a signature."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pdca.core.testing import PASSWORD
from pdca.objectives.models import Indicator, Objective, SetApproval, period_start
from tests.browsing import sign_in


def months_back(n: int) -> datetime.date:
    day = period_start(timezone.localdate(), "monthly")
    for _i in range(n):
        day = period_start(day - datetime.timedelta(days=1), "monthly")
    return day


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_objective_kpi_three_months_nonconformity_and_signed_approval(live_server, browser, world):
    base = live_server.url
    org = world.org.slug
    deadline = timezone.localdate() + datetime.timedelta(days=200)
    errors: list[str] = []

    # The management representative sets the objective and its KPI.
    context, page, _errors = sign_in(browser, base, world.mr)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + reverse("objectives:create", kwargs={"org": org}))
    page.fill("input[name=title]", "Fewer customer complaints")
    page.fill("input[name=target]", "≥ 95 % first-pass yield")
    page.fill("input[name=deadline]", deadline.isoformat())
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/new/" not in url)
    objective = Objective.objects.get(organization=world.org, title="Fewer customer complaints")
    page.goto(
        base + reverse("objectives:kpi_create", kwargs={"org": org}) + f"?objective={objective.pk}"
    )
    page.fill("input[name=name]", "First-pass yield")
    page.fill("textarea[name=definition]", "Parts right first time / parts made")
    page.select_option("select[name=value_type]", "percent")
    page.select_option("select[name=direction]", "higher")
    page.fill("input[name=target]", "95")
    page.fill("input[name=red_threshold]", "92")
    page.fill("input[name=first_period]", months_back(3).isoformat())
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/kpis/new/" not in url)
    kpi = Indicator.objects.get(organization=world.org, name="First-pass yield")
    assert kpi.objective_id == objective.pk
    context.close()

    # A process owner enters three months; the third is red.
    context, page, _errors = sign_in(browser, base, world.owner)
    page.on("pageerror", lambda error: errors.append(str(error)))
    for months, value in ((3, "96"), (2, "93.5"), (1, "90")):
        page.goto(base + reverse("objectives:record", kwargs={"org": org, "pk": kpi.pk}))
        page.fill("input[name=period]", months_back(months).isoformat())
        page.fill("input[name=value]", value)
        page.locator("main form[method=post] button[type=submit]").first.click()
        page.wait_for_url(lambda url: url.rstrip("/").endswith(f"/kpis/{kpi.pk}"))
    kpi.refresh_from_db()
    assert kpi.rating == "red" and kpi.measurements.count() == 3

    # The chart shows the three values against the target and the red threshold.
    page.wait_for_function(
        "window.Chart && window.Chart.getChart(document.getElementById('kpi-chart'))"
    )
    series = page.evaluate(
        "() => window.Chart.getChart(document.getElementById('kpi-chart'))"
        ".data.datasets.map(d => d.data.map(Number))"
    )
    assert series[0] == [96, 93.5, 90]
    assert set(series[1]) == {95} and set(series[2]) == {92}
    assert page.get_by_text("consider raising a nonconformity").is_visible()

    # The KPI offers the nonconformity; it is raised with the KPI as its source.
    page.get_by_role("link", name="Raise a nonconformity").click()
    page.get_by_role("button", name="Raise").click()
    page.wait_for_url(lambda url: "/improvement/" in url)
    assert page.get_by_text("KPI off target: First-pass yield").first.is_visible()
    source = page.get_by_role("link", name="KPI First-pass yield", exact=False).first
    assert source.get_attribute("href") == reverse(
        "objectives:kpi", kwargs={"org": org, "pk": kpi.pk}
    )
    context.close()

    # Top management approves the year's objectives with a signature.
    context, page, _errors = sign_in(browser, base, world.top)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + reverse("objectives:approve", kwargs={"org": org}) + f"?year={deadline.year}")
    assert page.get_by_role("link", name="Fewer customer complaints").is_visible()
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign the approval").click()
    page.wait_for_url(lambda url: "/approvals/approve/" not in url)
    assert page.get_by_text("Current: the set is as signed").is_visible()
    approval = SetApproval.objects.get(organization=world.org, year=deadline.year, outdated_at=None)
    assert approval.signed_by == world.top and objective in approval.objectives.all()
    context.close()
    assert not errors, errors
