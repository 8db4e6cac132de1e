# Loaded with Django so that `@shared_task` tasks bind to pdca's Celery app in every process.
from .celery import app as celery_app

__all__ = ["celery_app"]
