"""Reads of objectives and KPIs: the lists with their filters, a KPI's series for its chart,
the dashboard's cards, and what readiness asks (the editions with results retained)."""

import datetime
import json
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from pdca.core.access import visible_rows
from pdca.core.attention import Attention, capped_count
from pdca.core.models import Organization
from pdca.core.permissions import can
from pdca.objectives.models import (
    MONTHS_PER_PERIOD,
    Direction,
    Frequency,
    Indicator,
    Measurement,
    Objective,
    Rating,
    period_label,
)

# How many periods a KPI's chart shows: ten years of months.
CHART_PERIODS = 120


def objective_list(membership: Any, filters: dict[str, Any]) -> QuerySet[Objective]:
    """The objectives the member may see, with their KPI counts by rating (one query)."""
    qs = visible_rows(membership, Objective).select_related("owner")
    if filters.get("q"):
        qs = qs.filter(title__icontains=filters["q"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    elif not filters.get("all"):
        qs = qs.exclude(status=Objective.Status.WITHDRAWN)
    if filters.get("standard"):
        qs = qs.filter(editions__standard__code=filters["standard"]).distinct()
    if filters.get("mine"):
        qs = qs.filter(owner_id=membership.user_id)
    return qs.annotate(
        kpi_count=Count("indicators", distinct=True),
        red_count=Count("indicators", filter=Q(indicators__rating=Rating.RED), distinct=True),
    ).order_by("deadline", "pk")


def indicator_list(membership: Any, filters: dict[str, Any]) -> QuerySet[Indicator]:
    """The KPIs the member may see, filtered by rating, process, objective, owner."""
    qs = visible_rows(membership, Indicator).select_related("owner", "process", "objective")
    if filters.get("q"):
        qs = qs.filter(name__icontains=filters["q"])
    if filters.get("rating"):
        qs = qs.filter(rating=filters["rating"])
    if filters.get("process"):
        qs = qs.filter(process_id=filters["process"])
    if filters.get("mine"):
        qs = qs.filter(owner_id=membership.user_id)
    if not filters.get("all"):
        qs = qs.filter(is_active=True)
    return qs.order_by("name", "pk")


def chart_data(indicator: Indicator, measurements: list[Measurement]) -> dict[str, Any]:
    """The series the KPI's chart draws: values, target and red threshold per period."""
    return {
        "labels": [period_label(m.period, indicator.frequency) for m in measurements],
        "values": [float(m.value) for m in measurements],
        "ratings": [m.rating for m in measurements],
        "target": float(indicator.target),
        "red": float(indicator.red_threshold),
        "labels_text": {
            "value": indicator.name,
            "target": _("Target"),
            "red": _("Red threshold"),
        },
    }


def chart_json(indicator: Indicator, measurements: list[Measurement]) -> str:
    return json.dumps(chart_data(indicator, measurements))


def recent_measurements(indicator: Indicator) -> list[Measurement]:
    """The KPI's last CHART_PERIODS results, oldest first, with their corrections' count."""
    rows: list[Measurement] = list(
        indicator.measurements.select_related("measured_by")
        .annotate(corrections_count=Count("corrections"))
        .order_by("-period")[:CHART_PERIODS]
    )
    rows.reverse()
    return rows


def attention(membership: Any) -> list[Attention]:
    """KPIs off target: the member's own, and all of them for those who manage (2 counts)."""
    if not can(membership, "objectives.view"):
        return []
    org = membership.organization
    base = reverse("objectives:kpis", kwargs={"org": org.slug})
    cards: list[tuple[str, dict[str, str], str]] = []
    if can(membership, "objectives.record"):
        cards.append((_("Your KPIs off target"), {"rating": "red", "mine": "1"}, "danger"))
    if can(membership, "objectives.manage"):
        cards.append((_("KPIs off target"), {"rating": "red"}, "warning"))
    items = []
    for title, filters, severity in cards:
        if number := capped_count(indicator_list(membership, filters)):
            items.append(
                Attention(
                    title,
                    base + "?" + urlencode(filters),
                    number,
                    severity,
                    module="objectives",
                    icon="chart-column",
                )
            )
    return items


def objective_editions(organization: Organization) -> set[int]:
    """The editions an objective that is pursued (or was achieved) serves."""
    return set(
        Objective.editions.through.objects.filter(objective__organization=organization)
        .exclude(objective__status=Objective.Status.WITHDRAWN)
        .values_list("edition_id", flat=True)
        .distinct()
    )


def result_editions(organization: Organization) -> set[int]:
    """The editions whose objectives have measurement results retained (9.1)."""
    return set(
        Objective.editions.through.objects.filter(
            objective__organization=organization,
            objective__indicators__measurements__isnull=False,
        )
        .values_list("edition_id", flat=True)
        .distinct()
    )


# The performance page for top management: every measured KPI by objective, at a glance.

TREND_PERIODS = 6


def performance_rows(membership: Any) -> QuerySet[Indicator]:
    """The measured KPIs, those of an objective first (by its deadline), then the others."""
    return (
        visible_rows(membership, Indicator)
        .filter(is_active=True)
        .select_related("objective", "process", "owner")
        .order_by(F("objective__deadline").asc(nulls_last=True), "objective_id", "name", "pk")
    )


def performance_summary(membership: Any) -> dict[str, Any]:
    """The KPIs by rating and the open objectives by status (two queries)."""
    ratings = dict(
        performance_rows(membership)
        .order_by()
        .values_list("rating")
        .annotate(n=Count("pk"))
        .values_list("rating", "n")
    )
    statuses = dict(
        visible_rows(membership, Objective)
        .exclude(status=Objective.Status.WITHDRAWN)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "ratings": [(r.label, r.value, ratings.get(r.value, 0)) for r in Rating],
        "unmeasured": ratings.get("", 0),
        "statuses": [
            (s.label, s.value, statuses.get(s.value, 0))
            for s in Objective.Status
            if s != Objective.Status.WITHDRAWN
        ],
    }


def add_trends(kpis: list[Indicator]) -> None:
    """Each KPI's last results (oldest first) as `trend`, and whether the last one is better
    or worse than the one before as `direction_word` ("up", "down", "same"; one query)."""
    if not kpis:
        return
    found: dict[int, list[Any]] = {k.pk: [] for k in kpis}
    # Per frequency, from the earliest last result back by the periods the trend shows.
    window = Q()
    for frequency in {k.frequency for k in kpis}:
        same = [k for k in kpis if k.frequency == frequency and k.last_period is not None]
        if not same:
            continue
        earliest = min(k.last_period for k in same if k.last_period is not None)
        months = MONTHS_PER_PERIOD[Frequency(frequency)] * (TREND_PERIODS - 1)
        index = earliest.year * 12 + earliest.month - 1 - months
        cutoff = datetime.date(index // 12, index % 12 + 1, 1)
        window |= Q(indicator__in=[k.pk for k in same], period__gte=cutoff)
    if window:
        rows = (
            Measurement.objects.filter(window)
            .order_by("indicator_id", "-period")
            .values_list("indicator_id", "period", "value", "rating")
        )
        for indicator_id, period, value, rating in rows:
            if len(found[indicator_id]) < TREND_PERIODS:
                found[indicator_id].append((period, value, rating))
    for k in kpis:
        trend = list(reversed(found[k.pk]))
        k.trend = [  # type: ignore[attr-defined]
            {"label": period_label(p, k.frequency), "value": v, "rating": r} for p, v, r in trend
        ]
        word = ""
        if len(trend) >= 2 and trend[-1][1] != trend[-2][1]:
            rising = trend[-1][1] > trend[-2][1]
            better = rising == (k.direction == Direction.HIGHER)
            word = "better" if better else "worse"
        elif len(trend) >= 2:
            word = "same"
        k.change = word  # type: ignore[attr-defined]
