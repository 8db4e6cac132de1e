"""What the audits app computes for KPIs (`core.metrics`): the completion of the internal
audit programme."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from pdca.core.metrics import Metric, register_metric, share
from pdca.core.models import Organization


def programme_completion(
    organization: Organization, start: datetime.date, end: datetime.date
) -> Decimal | None:
    """Of the internal audits planned to end in the period, the share carried out (in
    progress, reporting or closed; one query); nothing to measure when none was planned."""
    from pdca.audits.models import Audit

    counts = Audit.objects.filter(
        organization=organization,
        kind=Audit.Kind.INTERNAL,
        planned_end__gte=start,
        planned_end__lt=end,
    ).aggregate(planned=Count("pk"), held=Count("pk", filter=Q(status__in=Audit.DONE_STATUSES)))
    return share(counts["held"], counts["planned"])


def register() -> None:
    register_metric(
        Metric(
            "audits.programme_completion",
            _("Audit programme completion"),
            "percent",
            programme_completion,
            _("Of the internal audits planned to end in the period, the share carried out."),
        )
    )
