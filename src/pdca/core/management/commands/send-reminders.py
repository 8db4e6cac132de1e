import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pdca.core.due import SOURCES
from pdca.core.reminders import send_reminders_everywhere


class Command(BaseCommand):
    help = (
        "Send the reminders of everything that falls due (30, 7, 1 and 0 days before, or each "
        "organization's schedule) and escalate what is overdue (owner, line manager, management "
        "representative). Safe to run repeatedly: nothing is sent twice."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--day", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD (today)"
        )
        parser.add_argument(
            "--kind",
            action="append",
            default=[],
            help="only this kind of due item, e.g. documents.review (repeatable)",
        )

    def handle(self, *args: object, **options: object) -> None:
        kinds: list[str] = options["kind"]  # type: ignore[assignment]
        unknown = [k for k in kinds if k not in SOURCES]
        if unknown:
            raise CommandError(
                f"Unknown kind(s): {', '.join(unknown)}. Known: {', '.join(sorted(SOURCES))}."
            )
        day: datetime.date = options["day"] or timezone.localdate()  # type: ignore[assignment]
        sent = send_reminders_everywhere(day, kinds=kinds)
        for slug, count in sent.items():
            self.stdout.write(f"{slug}: {count} reminder(s) sent")
        self.stdout.write(
            self.style.SUCCESS(f"{sum(sent.values())} reminder(s) sent for {day.isoformat()}.")
        )
