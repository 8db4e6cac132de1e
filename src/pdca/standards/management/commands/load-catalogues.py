from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pdca.standards.catalogue import CatalogueError, load_catalogues


class Command(BaseCommand):
    help = (
        "Load the clause catalogues (YAML) into the database. Safe to run twice: unchanged files "
        "are skipped, and a bad file is refused before anything is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="catalogue files (default: all shipped)")
        parser.add_argument("--force", action="store_true", help="reload unchanged files too")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(f) for f in options["files"]] or None
        try:
            report = load_catalogues(paths, force=options["force"])
        except CatalogueError as error:
            raise CommandError(str(error)) from None
        for name in report.loaded:
            self.stdout.write(f"loaded    {name}")
        for name in report.unchanged:
            self.stdout.write(f"unchanged {name}")
        for warning in report.warnings:
            self.stderr.write(warning)
        self.stdout.write(
            self.style.SUCCESS(f"{report.created} rows created, {report.updated} rows updated.")
        )
