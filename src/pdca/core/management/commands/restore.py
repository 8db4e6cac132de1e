from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pdca.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `pdca backup` into an empty installation, after checking "
        "every member against the manifest's hashes; then verify the audit trail and every "
        "stored file. Exits non-zero on any problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The archive written by `pdca backup`.")
        parser.add_argument(
            "--replace-existing",
            action="store_true",
            help="Restore even into a database or file store that holds data: it is replaced.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore(
                archive_path=options["archive"], allow_non_empty=options["replace_existing"]
            )
        except BackupError as exc:
            raise CommandError(_("Nothing was restored: %s") % exc) from exc
        restored = _("the database and %(n)s files") if result.database else _("%(n)s files")
        self.stdout.write(_("Restored %s.") % (restored % {"n": result.files}))
        if result.migrated:
            self.stdout.write(_("The database was migrated to this pdca's schema."))
        if result.trail_intact:
            self.stdout.write(self.style.SUCCESS(result.trail_message))
        else:
            self.stderr.write(result.trail_message)
        for problem in result.file_problems:
            self.stderr.write(problem)
        if not result.file_problems:
            self.stdout.write(
                self.style.SUCCESS(_("Every stored file the database refers to is there."))
            )
        if not result.ok:
            raise CommandError(_("The restored installation failed its checks (see above)."))
