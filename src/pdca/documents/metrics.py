"""What documents computes for KPIs (`core.metrics`): document reviews overdue."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from pdca.core.metrics import Metric, register_metric
from pdca.core.models import Organization


def reviews_overdue(
    organization: Organization, start: datetime.date, end: datetime.date
) -> Decimal | None:
    """The effective documents whose review was due before the period ended and is not done
    (their next review date lies before the period's end; one query)."""
    from pdca.documents.models import Document, DocumentStatus

    overdue = Document.objects.filter(
        organization=organization,
        status=DocumentStatus.EFFECTIVE,
        next_review_date__lt=end,
    ).count()
    return Decimal(overdue)


def register() -> None:
    register_metric(
        Metric(
            "documents.reviews_overdue",
            _("Document reviews overdue"),
            "count",
            reviews_overdue,
            _("The effective documents whose review is overdue at the end of the period."),
        )
    )
