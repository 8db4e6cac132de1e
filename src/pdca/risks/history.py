"""The register over time: a snapshot per organization and day, kept by a daily task, read by
the heat map's trends (how many risks are open, and how many lie above the acceptance
criteria before and after treatment).

Like readiness (`pdca.standards.history`), the counts are exact from the first snapshot on;
the register's past cannot be recomputed from its current rows. Before the first snapshot the
trend shows only today's live figures."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from pdca.risks.models import Kind, Risk, RiskSnapshot

TREND_WEEKS = 12
COUNTS = ("open_risks", "open_opportunities", "above_before", "above_after")


def register_counts(organization: Any) -> dict[str, int]:
    """The live counts, in one query: each risk judged by the acceptance criteria of the
    method it was scored under; one without a residual score stays where it was before
    treatment."""
    risk = Q(kind=Kind.RISK)
    threshold = F("method__acceptance_threshold")
    rows = Risk.objects.filter(organization=organization, status=Risk.Status.OPEN).annotate(
        after=Coalesce("residual_score", "score")
    )
    return rows.aggregate(
        open_risks=Count("pk", filter=risk),
        open_opportunities=Count("pk", filter=~risk),
        above_before=Count("pk", filter=risk & Q(score__gt=threshold)),
        above_after=Count("pk", filter=risk & Q(after__gt=threshold)),
    )


def snapshot_take(*, organization: Any, day: datetime.date) -> RiskSnapshot:
    """Keep the register's counts for `day` (replacing that day's snapshot)."""
    snapshot, _created = RiskSnapshot.objects.update_or_create(
        organization=organization, day=day, defaults=register_counts(organization)
    )
    return snapshot


def snapshot_every_organization(day: datetime.date) -> int:
    """The daily run: every organization with a risk in its register. Returns the snapshots."""
    from pdca.core.models import Organization

    ids = Risk.objects.values_list("organization_id", flat=True).distinct()
    organizations = list(Organization.objects.filter(pk__in=ids))
    for org in organizations:
        snapshot_take(organization=org, day=day)
    return len(organizations)


@dataclass(frozen=True)
class TrendPoint:
    day: datetime.date
    open_risks: int | None
    open_opportunities: int | None
    above_before: int | None
    above_after: int | None
    live: bool = False


def trend(organization: Any, today: datetime.date, weeks: int = TREND_WEEKS) -> list[TrendPoint]:
    """One point a week for the last `weeks` weeks (the snapshot of that day, or the latest of
    the week before it; empty where none was kept), ending with today's live counts. Two
    queries whatever the size of the register."""
    days = [today - datetime.timedelta(weeks=w) for w in range(weeks - 1, 0, -1)]
    stored = {
        row["day"]: row
        for row in RiskSnapshot.objects.filter(
            organization=organization,
            day__gt=today - datetime.timedelta(weeks=weeks),
            day__lt=today,
        ).values("day", *COUNTS)
    }
    points = []
    for day in days:
        found = next(
            (stored[d] for d in (day - datetime.timedelta(n) for n in range(7)) if d in stored),
            None,
        )
        counts: dict[str, Any] = {name: found[name] if found else None for name in COUNTS}
        points.append(TrendPoint(day, **counts))
    live = register_counts(organization)
    points.append(TrendPoint(today, **{name: live[name] for name in COUNTS}, live=True))
    return points


def trend_chart(points: list[TrendPoint]) -> Any:
    """The trend as a chart for the shared chart script (core.attention.Chart)."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from pdca.core.attention import Chart, Series

    last = points[-1]
    return Chart(
        "risks.trend",
        _("Risks over time"),
        [date_format(p.day, "SHORT_DATE_FORMAT") for p in points],
        [
            Series(_("Open risks"), [p.open_risks for p in points], "#175cd3"),
            Series(
                _("Above acceptance before treatment"), [p.above_before for p in points], "#d92d20"
            ),
            Series(
                _("Above acceptance after treatment"), [p.above_after for p in points], "#f79009"
            ),
        ],
        summary=_(
            "Today %(open)s open risks, %(before)s above the acceptance criteria before "
            "treatment and %(after)s after it."
        )
        % {"open": last.open_risks, "before": last.above_before, "after": last.above_after},
    )
