import argparse
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from pdca.core.background import prepare_broker


class CeleryCommand(BaseCommand):
    """A command whose options it does not know itself are handed to Celery as they are."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parse_known = parser.parse_known_args

        def parse_args(args: Any = None, namespace: Any = None) -> argparse.Namespace:
            options, rest = parse_known(args, namespace)
            options.celery_args = rest
            return options

        parser.parse_args = parse_args  # type: ignore[method-assign, assignment]
        return parser


class Command(CeleryCommand):
    help = (
        "Run a worker that does pdca's background work (mail, reminders, exports). Start as "
        "many as you like, on any number of machines; with --beat it also runs the scheduler "
        "(one machine only). Further arguments go to `celery worker` (e.g. --concurrency 4)."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--beat", action="store_true", help="Also run the scheduler in this worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from pdca.config.celery import app

        prepare_broker()
        argv = ["worker", "--loglevel", "INFO", *options.get("celery_args", [])]
        if options["beat"]:
            schedule = Path(settings.CELERY_BEAT_SCHEDULE_FILENAME)
            schedule.parent.mkdir(parents=True, exist_ok=True)
            argv += ["--beat", "--schedule", str(schedule)]
        app.worker_main(argv)
