"""Readiness over time: a snapshot per chosen standard and day, kept by a daily task, read by
the dashboard's chart.

Readiness is computed from live data, so its past cannot be recomputed from the current rows;
replaying the audit trail would mean rebuilding every assessment, evidence link and exclusion as
it stood on each day. A small daily snapshot is exact from the day it starts and costs one row
per standard and day; before the first snapshot the chart shows only today's live figure.
"""

import datetime
from typing import Any

from django.db import transaction

from pdca.standards.models import OrgStandard, ReadinessSnapshot
from pdca.standards.selectors.readiness import readiness

HISTORY_DAYS = 180


def readiness_snapshot_take(*, organization: Any, day: datetime.date) -> int:
    """Store each chosen standard's readiness for `day` (replacing that day's snapshot)."""
    results = readiness(organization)
    with transaction.atomic():
        for result in results:
            ReadinessSnapshot.objects.update_or_create(
                organization=organization,
                org_standard=result.org_standard,
                day=day,
                defaults={"percent": result.percent},
            )
    return len(results)


def snapshot_every_organization(day: datetime.date) -> int:
    """The daily run: every organization that works to a standard. Returns the snapshots kept."""
    from pdca.core.models import Organization

    ids = (
        OrgStandard.objects.exclude(status=OrgStandard.Status.WITHDRAWN)
        .values_list("organization_id", flat=True)
        .distinct()
    )
    return sum(
        readiness_snapshot_take(organization=org, day=day)
        for org in Organization.objects.filter(pk__in=ids)
    )


def readiness_history(
    organization: Any, today: datetime.date, days: int = HISTORY_DAYS
) -> dict[int, dict[datetime.date, int]]:
    """Per org standard id: the stored percent of each day in the last `days` days."""
    history: dict[int, dict[datetime.date, int]] = {}
    rows = ReadinessSnapshot.objects.filter(
        organization=organization, day__gt=today - datetime.timedelta(days=days), day__lte=today
    ).values_list("org_standard_id", "day", "percent")
    for org_standard_id, day, percent in rows:
        history.setdefault(org_standard_id, {})[day] = percent
    return history
