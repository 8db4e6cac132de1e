"""Development and demo: `make run`."""

from .base import *

DEBUG = env_bool("PDCA_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me-in-production"
TRAIL_KEYS = TRAIL_KEYS or [DEV_TRAIL_KEY]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
VAR_DIR.mkdir(parents=True, exist_ok=True)
