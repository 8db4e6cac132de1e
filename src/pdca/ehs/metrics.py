"""What the ehs app computes for KPIs (`core.metrics`): lost-time injuries."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from pdca.core.metrics import Metric, register_metric
from pdca.core.models import Organization


def lost_time_injuries(
    organization: Organization, start: datetime.date, end: datetime.date
) -> Decimal | None:
    """The injuries and cases of ill health of the period that cost at least a day of work
    (one query; counted from the health details without showing them)."""
    from django.utils import timezone

    from pdca.ehs.models import Incident, IncidentKind

    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(end, datetime.time.min, tzinfo=zone)
    found = Incident.objects.filter(
        organization=organization,
        kind__in=[IncidentKind.INJURY, IncidentKind.ILL_HEALTH],
        occurred_at__gte=since,
        occurred_at__lt=until,
        days_lost__gte=1,
    ).count()
    return Decimal(found)


def register() -> None:
    register_metric(
        Metric(
            "ehs.lost_time_injuries",
            _("Lost-time injuries"),
            "count",
            lost_time_injuries,
            _(
                "The injuries and cases of ill health of the period that cost a day of work or "
                "more."
            ),
        )
    )
