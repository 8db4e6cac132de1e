"""The daily document run: make released revisions effective on their date, and remind each
owner of the reviews that are due or overdue (pdca.core.notifications)."""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from pdca.documents import notifications, services
from pdca.documents.models import Document, DocumentStatus

DUE_WITHIN = datetime.timedelta(days=30)


def due_reviews(today: datetime.date) -> QuerySet[Document]:
    return (
        Document.objects.filter(
            status=DocumentStatus.EFFECTIVE, next_review_date__lte=today + DUE_WITHIN
        )
        .select_related("owner", "organization")
        .order_by("organization_id", "owner_id", "next_review_date")
    )


def send_review_reminders(today: datetime.date | None = None) -> int:
    """Remind each owner of every review due or overdue; returns how many reminders are new.

    A reminder is keyed by document and day, so running this hourly tells an owner once a day
    (the owner chooses in their settings whether that is an e-mail at once or in the digest)."""
    today = today or timezone.localdate()
    sent = 0
    for doc in due_reviews(today).iterator(chunk_size=2000):
        with transaction.atomic():
            sent += notifications.review_due(document=doc, today=today)
    return sent


def run_daily(today: datetime.date | None = None) -> tuple[int, int]:
    activated = services.activate_due(today=today)
    return activated, send_review_reminders(today)
