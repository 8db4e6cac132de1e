"""Tests: fast hashing, e-mail in memory, no network; PostgreSQL if PDCA_TEST_DATABASE_URL."""

import tempfile

from .base import *

DEBUG = False
SECRET_KEY = "test-only-key"
TRAIL_KEYS = [DEV_TRAIL_KEY]
# conftest gives each test a checkpoint file of its own inside this folder.
TRAIL_CHECKPOINT_PATH = Path(tempfile.mkdtemp(prefix="pdca-test-checkpoints-")) / "none.jsonl"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES = {"default": database_from_url(env_str("PDCA_TEST_DATABASE_URL", "sqlite:///:memory:"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"].pop("init_command", None)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = 0
# A worker the tests start in a subprocess is given the same folder (core/tests/test_worker.py).
MEDIA_ROOT = Path(
    env_str("PDCA_TEST_MEDIA_ROOT", "") or tempfile.mkdtemp(prefix="pdca-test-media-")
)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = []
LOGGING["root"]["level"] = "WARNING"
LOGGING["loggers"]["django.request"] = {"level": "CRITICAL"}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="pdca-test-static-"))
# Tasks run in the test's own process, after the transaction commits as in production; the tests
# of the worker itself (core/tests/test_worker.py) start a real one against Redis.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = env_str("PDCA_TEST_BROKER_URL", "memory://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
# No request deadline on a loaded test machine; core/tests/test_deadline.py turns it on.
PDCA_REQUEST_TIMEOUT = 0
