"""Development and demo: `make run`."""

from .base import *

DEBUG = env_bool("PDCA_DEBUG", True)
# Django's debug 404 (every URL pattern listed) instead of pdca's page, for URL work.
PDCA_DEBUG_TECHNICAL_404 = env_bool("PDCA_DEBUG_TECHNICAL_404", False)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me-in-production"
TRAIL_KEYS = TRAIL_KEYS or [DEV_TRAIL_KEY]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
VAR_DIR.mkdir(parents=True, exist_ok=True)
