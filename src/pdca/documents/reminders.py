"""The daily document run: make released revisions effective on their date, and send the
reminders of periodic reviews and of checks for a new edition of external documents. The
reminders are the generic run of pdca.core.reminders for the due items of kinds
`documents.review` and `documents.edition_check` (the organization's schedule: 30, 7, 1 and 0 days
before by default, then the escalation of an overdue review)."""

import datetime

from django.utils import timezone

from pdca.core.reminders import send_reminders_everywhere
from pdca.documents import services

KIND = "documents.review"
EDITION_KIND = "documents.edition_check"


def send_review_reminders(today: datetime.date | None = None) -> int:
    """The reminders and escalations of document reviews due on `today`; returns how many are
    new (a second run the same day sends none)."""
    day = today or timezone.localdate()
    return sum(send_reminders_everywhere(day, kinds=[KIND, EDITION_KIND]).values())


def run_daily(today: datetime.date | None = None) -> tuple[int, int]:
    activated = services.activate_due(today=today)
    return activated, send_review_reminders(today)
