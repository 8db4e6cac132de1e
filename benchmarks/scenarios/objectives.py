"""Objectives and KPIs at scale: 500 objectives, 2,000 KPIs with ten years of monthly
measurements each (240,000 values, large), all with bulk_create.

Timed pages: the objective and KPI lists, the KPI list filtered to red ones, an objective's
page, a KPI page with its ten-year chart, and a process page with its KPIs.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from benchmarks.common import BenchContext, Measure, Page
from pdca.objectives.models import (
    Indicator,
    Measurement,
    Objective,
    next_period,
    period_due_on,
    period_start,
    rate,
)
from pdca.standards.models import Process

ORDER = 60
SIZES = {
    # objectives, KPIs, months of measurements per KPI
    "demo": (50, 200, 120),
    "large": (500, 2_000, 120),
}
CHUNK = 10_000


def generate(ctx: BenchContext) -> None:
    rng = random.Random(16)
    org = ctx.org
    n_objectives, n_kpis, months = SIZES[ctx.scale]
    today = timezone.localdate()
    mr, owner = ctx.by_role["mr"], ctx.by_role["owner"]
    processes = list(Process.objects.filter(organization=org)[:40])
    first = period_start(today, "monthly")
    for _i in range(months):
        first = period_start(first - datetime.timedelta(days=1), "monthly")
    periods = [first]
    while len(periods) < months:
        periods.append(next_period(periods[-1], "monthly"))
    with transaction.atomic():
        objectives = Objective.objects.bulk_create(
            Objective(
                organization=org,
                title=f"Bench objective {i}",
                target="≥ 95",
                deadline=today + datetime.timedelta(days=rng.randrange(30, 700)),
                owner=owner if i % 2 else mr,
                status=rng.choice(["on_track", "at_risk", "off_track"]),
            )
            for i in range(n_objectives)
        )
        kpis = []
        for i in range(n_kpis):
            higher = i % 2 == 0
            target, red = (Decimal(95), Decimal(90)) if higher else (Decimal(2), Decimal(4))
            kpis.append(
                Indicator(
                    organization=org,
                    objective=objectives[i % n_objectives] if i % 4 else None,
                    process=processes[i % len(processes)] if processes else None,
                    name=f"Bench KPI {i:05d}",
                    definition="Measured monthly from the bench data",
                    value_type="percent",
                    unit="%",
                    direction="higher" if higher else "lower",
                    target=target,
                    red_threshold=red,
                    frequency="monthly",
                    first_period=periods[0],
                    owner=owner if i % 3 else mr,
                )
            )
        kpis = Indicator.objects.bulk_create(kpis)
        batch: list[Measurement] = []
        for kpi in kpis:
            base = 94.0 if kpi.direction == "higher" else 2.5
            value = Decimal("0")
            for period in periods:
                value = Decimal(str(round(base + rng.uniform(-5, 5) / (1 if base > 50 else 2), 2)))
                value = min(max(value, Decimal(0)), Decimal(100))
                batch.append(
                    Measurement(
                        organization=org,
                        indicator=kpi,
                        period=period,
                        value=value,
                        rating=rate(
                            value,
                            direction=kpi.direction,
                            target=kpi.target,
                            red_threshold=kpi.red_threshold,
                        ),
                        measured_by=owner,
                    )
                )
                if len(batch) >= CHUNK:
                    Measurement.objects.bulk_create(batch)
                    batch = []
            kpi.last_period = periods[-1]
            kpi.last_value = value
            kpi.rating = kpi.rate(value)
            kpi.red_streak = 1 if kpi.rating == "red" else 0
            kpi.next_due_on = period_due_on(next_period(periods[-1], "monthly"), "monthly")
        Measurement.objects.bulk_create(batch)
        Indicator.objects.bulk_update(
            kpis, ["last_period", "last_value", "rating", "red_streak", "next_due_on"]
        )
    ctx.extra["objectives_kpi"] = kpis[0].pk
    ctx.extra["objectives_objective"] = objectives[0].pk
    ctx.extra["objectives_process"] = processes[0].pk if processes else None


def pages(ctx: BenchContext) -> list[Page]:
    slug = ctx.org.slug
    mr = ctx.by_role["mr"]
    kpi = (
        Indicator.objects.filter(organization=ctx.org)
        .order_by("pk")
        .values_list("pk", flat=True)[0]
    )
    objective = (
        Objective.objects.filter(organization=ctx.org, indicators__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[0]
    )
    found = [
        Page("objective list", f"/o/{slug}/objectives/", mr),
        Page("KPI list", f"/o/{slug}/objectives/kpis/", mr),
        Page("KPI list, off target", f"/o/{slug}/objectives/kpis/?rating=red", mr),
        Page("an objective page", f"/o/{slug}/objectives/{objective}/", mr),
        Page("a KPI page (ten-year chart)", f"/o/{slug}/objectives/kpis/{kpi}/", mr, 30.0),
        Page(
            "performance page for top management",
            f"/o/{slug}/objectives/performance/",
            ctx.by_role["top"],
        ),
    ]
    process = (
        Indicator.objects.filter(organization=ctx.org, process__isnull=False)
        .values_list("process_id", flat=True)
        .first()
    )
    if process is not None:
        found.append(
            Page("a process page with its KPIs", f"/o/{slug}/standards/processes/{process}/", mr)
        )
    return found


IMPORTED = 10_000


def measures(ctx: BenchContext) -> list[Measure]:
    """An import of 10,000 results (5 months of 2,000 KPIs), checked and entered in one
    transaction, then rolled back so that each run finds the same months free."""
    from pdca.core.imports import Row
    from pdca.objectives import services

    mr = ctx.by_role["mr"]
    kpis = list(Indicator.objects.filter(organization=ctx.org).order_by("pk")[: IMPORTED // 5])
    months = sorted(Measurement.objects.filter(indicator=kpis[0]).values_list("period", flat=True))[
        -5:
    ]
    rows = [
        Row(line=i + 2, values={"kpi": k.name, "period": m.isoformat(), "value": "93.5"})
        for i, (k, m) in enumerate((k, m) for k in kpis for m in months)
    ]

    def import_results() -> int:
        with transaction.atomic():
            # The months are made free inside the transaction that is rolled back.
            Measurement.objects.filter(indicator__in=kpis, period__in=months).delete()
            entered = services.measurements_enter(actor=mr, organization=ctx.org, rows=rows)
            transaction.set_rollback(True)
        return len(entered)

    return [
        Measure(
            "objectives: an import of 10,000 results",
            import_results,
            10_000,
            once=True,
            check=lambda n: n == len(rows),
        )
    ]
