import datetime

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from pdca.improvement.escalation import escalate_overdue


class Command(BaseCommand):
    help = (
        "Remind about overdue corrective actions: the owner (1 day overdue), the line manager "
        "(7 days), the management representatives (14 days). Safe to run repeatedly."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args: object, **options: object) -> None:
        with scopes_disabled():
            sent = escalate_overdue(today=options["today"])  # type: ignore[arg-type]
        for s in sent:
            self.stdout.write(
                f"{s.action.nonconformity.reference} {s.action.title}: {s.level} → "
                f"{', '.join(s.recipients) or '(nobody)'}"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} escalation(s) sent."))
