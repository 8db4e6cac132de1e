"""The Celery application: pdca's background work (core/background.py says how apps use it)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pdca.config.settings.dev")

app = Celery("pdca")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's tasks live in `<app>/tasks.py`.
app.autodiscover_tasks()
