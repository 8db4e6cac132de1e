"""What improvement computes for KPIs (`core.metrics`): corrective actions done on time, and
nonconformities found per period."""

import datetime
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from pdca.core.metrics import Metric, register_metric, share
from pdca.core.models import Organization


def actions_on_time(
    organization: Organization, start: datetime.date, end: datetime.date
) -> Decimal | None:
    """Of the corrective actions due in the period (not cancelled), the share done by their due
    date (one query)."""
    from pdca.improvement.models import CorrectiveAction

    counts = (
        CorrectiveAction.objects.filter(
            organization=organization, due_on__gte=start, due_on__lt=end
        )
        .exclude(status=CorrectiveAction.Status.CANCELLED)
        .aggregate(
            due=Count("pk"),
            on_time=Count(
                "pk",
                filter=Q(status=CorrectiveAction.Status.DONE, done_on__lte=F("due_on")),
            ),
        )
    )
    return share(counts["on_time"], counts["due"])


def nonconformities_found(
    organization: Organization, start: datetime.date, end: datetime.date
) -> Decimal | None:
    """The nonconformities found in the period (one query)."""
    from pdca.improvement.models import Nonconformity

    found = Nonconformity.objects.filter(
        organization=organization, found_on__gte=start, found_on__lt=end
    ).count()
    return Decimal(found)


def register() -> None:
    register_metric(
        Metric(
            "improvement.actions_on_time",
            _("Corrective actions done on time"),
            "percent",
            actions_on_time,
            _("Of the corrective actions due in the period, the share done by their due date."),
        )
    )
    register_metric(
        Metric(
            "improvement.nonconformities",
            _("Nonconformities found"),
            "count",
            nonconformities_found,
            _("The nonconformities found in the period."),
        )
    )
