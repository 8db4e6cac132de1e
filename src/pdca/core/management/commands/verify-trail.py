from django.core.management.base import BaseCommand, CommandError

from pdca.core.trail import verify_all


class Command(BaseCommand):
    help = "Recompute every audit-trail hash chain; exit non-zero at the first broken entry."

    def handle(self, *args: object, **options: object) -> None:
        chains, breaks = verify_all()
        if breaks:
            for b in breaks:
                self.stderr.write(f"BROKEN {b}")
            raise CommandError(f"The audit trail was altered: {len(breaks)} chain(s) broken.")
        self.stdout.write(self.style.SUCCESS(f"The audit trail is intact ({chains} chains)."))
