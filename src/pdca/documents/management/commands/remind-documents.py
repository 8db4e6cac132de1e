from typing import Any

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from pdca.documents.reminders import run_daily


class Command(BaseCommand):
    help = (
        "Make released revisions effective on their date and send the reminders of document "
        "reviews (the part of `pdca send-reminders` for documents)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            activated, sent = run_daily()
        self.stdout.write(f"{activated} revision(s) made effective, {sent} reminder(s) sent.")
