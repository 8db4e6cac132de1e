"""The daily document run: make released revisions effective on their date, and e-mail each
owner the reviews that are due or overdue."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.utils import timezone

from pdca.core import trail
from pdca.documents import services
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
    """One e-mail per owner and organization listing their due and overdue reviews."""
    today = today or timezone.localdate()
    grouped: dict[tuple[int, int], list[Document]] = defaultdict(list)
    for doc in due_reviews(today).iterator(chunk_size=2000):
        grouped[(doc.organization_id, doc.owner_id)].append(doc)
    sent = 0
    for docs in grouped.values():
        owner, org = docs[0].owner, docs[0].organization
        lines = [
            f"- {d.number} {d.title}: review "
            f"{'OVERDUE since' if d.next_review_date and d.next_review_date < today else 'due by'} "
            f"{d.next_review_date}"
            for d in docs
        ]
        body = (
            f"Hello {owner.display_name},\n\nThese documents you own in {org.name} need their "
            "periodic review: confirm each one unchanged (signed) or start a new revision.\n\n"
            + "\n".join(lines)
            + "\n"
        )
        send_mail(
            f"[{org.name}] {len(docs)} document review(s) due",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [owner.email],
        )
        trail.record(
            action="documents.reminders.sent",
            actor=None,
            organization=org,
            obj=owner,
            changes={"documents": [None, [d.number for d in docs]]},
        )
        sent += 1
    return sent


def run_daily(today: datetime.date | None = None) -> tuple[int, int]:
    activated = services.activate_due(today=today)
    return activated, send_review_reminders(today)
