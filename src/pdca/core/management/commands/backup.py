import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pdca.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write the database (SQLite, through its online backup API) and every uploaded file "
        "into one archive with a manifest of SHA-256 hashes. On PostgreSQL use pg_dump for the "
        "database and --files-only for the files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="The archive to write (a new file); default pdca-backup-<UTC time>.tar.gz here.",
        )
        parser.add_argument(
            "--files-only",
            action="store_true",
            help="Only the uploaded files (with PostgreSQL, whose database pg_dump copies).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"]
        if output is None:
            stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
            suffix = "-files" if options["files_only"] else ""
            output = Path(f"pdca-backup{suffix}-{stamp}.tar.gz")
        try:
            result = backup_create(destination=output, files_only=options["files_only"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for name in result.vanished:
            self.stderr.write(_("%s was deleted while the backup ran: not in the archive.") % name)
        what = _("the database and %(n)s files") if result.database else _("%(n)s files")
        self.stdout.write(
            self.style.SUCCESS(
                _("Backed up %(what)s to %(path)s.")
                % {"what": what % {"n": result.files}, "path": result.path}
            )
        )
