from pathlib import Path
from typing import Any

from django.conf import settings

from pdca.core.background import prepare_broker
from pdca.core.management.commands.worker import CeleryCommand


class Command(CeleryCommand):
    help = (
        "Run the scheduler that queues pdca's periodic work (reminders, escalations, trail "
        "checkpoints, clean-up) for the workers. Run exactly one in a deployment. Further "
        "arguments go to `celery beat`."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from pdca.config.celery import app

        prepare_broker()
        schedule = Path(settings.CELERY_BEAT_SCHEDULE_FILENAME)
        schedule.parent.mkdir(parents=True, exist_ok=True)
        extra = options.get("celery_args", [])
        app.start(["beat", "--loglevel", "INFO", "--schedule", str(schedule), *extra])
