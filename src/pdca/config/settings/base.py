"""Settings shared by every environment; each environment module imports and adjusts these."""

import json
from pathlib import Path
from typing import Any

import dj_database_url

from .env import env_bool, env_int, env_list, env_secrets, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
# Data lives under the directory the app is started from (var/), never inside the package.
VAR_DIR = Path(env_str("PDCA_VAR_DIR", str(Path.cwd() / "var")))

SECRET_KEY = env_str("PDCA_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("PDCA_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "pdca.core",
    "pdca.standards",
    "pdca.documents",
    "pdca.records",
    "pdca.compliance",
    "pdca.ehs",
    "pdca.audits",
    "pdca.improvement",
    "pdca.risks",
    "pdca.webhooks",
    "pdca.objectives",
    "pdca.certification",
    "pdca.reviews",
    "pdca.people",
    "pdca.engagement",
    "pdca.api",
]

MIDDLEWARE = [
    "pdca.core.middleware.RequestContextMiddleware",
    # Early, so that the cut-off covers the rest; its error page needs no session or user.
    "pdca.core.deadline.RequestDeadlineMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pdca.core.security.ContentSecurityPolicyMiddleware",
    "pdca.core.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after the user is known: a signed-in user's chosen language beats Accept-Language.
    "pdca.core.language.UserLanguageMiddleware",
    "pdca.core.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pdca.core.security.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pdca.core.middleware.OrganizationMiddleware",
    # Under DEBUG, pdca's own 404 page instead of Django's list of every URL.
    "pdca.core.middleware.FriendlyNotFoundMiddleware",
    "pdca.certification.middleware.AuditorOpenedMiddleware",
]

ROOT_URLCONF = "pdca.config.urls"
WSGI_APPLICATION = "pdca.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pdca.core.context_processors.shell",
            ],
        },
    },
    {
        # The rows of the long tables (`<app>/jinja2/<app>/_*_rows.html`): Jinja2 renders
        # hundreds of rows several times faster than the Django engine renders them.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "pdca.core.jinja.environment"},
    },
]


def database_from_url(url: str) -> dict:
    # Connections are kept for a minute on both databases: opening one (and, on SQLite,
    # setting it up) on every request cost the trail page a fifth of its throughput.
    config: dict = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE transactions serialize writers up front instead of failing mid-way,
        # which keeps the audit-trail chain consistent under concurrent requests.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # pdca's queries are short reads through an index. PostgreSQL's JIT compiler spent
        # longer compiling the plans of the larger list and count queries than running them,
        # and starting parallel workers cost a deep page of the master list about 15 ms (and,
        # under several app workers, competes with them for the same cores).
        config["OPTIONS"] = {"options": "-c jit=off -c max_parallel_workers_per_gather=0"}
    return config


DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'pdca.sqlite3'}")
DATABASES: dict[str, dict] = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# The absolute lifetime of a session, from sign-in; the idle limit is in the security block.
SESSION_COOKIE_AGE = env_int("PDCA_SESSION_SECONDS", 8 * 3600)
# A web request's database work is stopped after this many seconds (0: never), with a page that
# says so, instead of holding a worker (pdca.core.deadline).
PDCA_REQUEST_TIMEOUT = env_int("PDCA_REQUEST_TIMEOUT", 20)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Wrong passwords, codes and tokens (core/throttle.py): per account at an address, per account
# anywhere, per address for all accounts; past a limit, pauses that double up to a maximum.
LOGIN_FAILURE_LIMIT = env_int("PDCA_LOGIN_FAILURE_LIMIT", 5)
ACCOUNT_FAILURE_LIMIT = env_int("PDCA_ACCOUNT_FAILURE_LIMIT", 10)
ADDRESS_FAILURE_LIMIT = env_int("PDCA_ADDRESS_FAILURE_LIMIT", 20)
LOGIN_DELAY_SECONDS = env_int("PDCA_LOGIN_DELAY_SECONDS", 30)
LOGIN_MAX_DELAY_SECONDS = env_int("PDCA_LOGIN_MAX_DELAY_SECONDS", 900)
# The reverse proxies whose X-Forwarded-For is believed (core/clientip.py): addresses or
# networks, e.g. "10.0.0.0/8,192.0.2.10". Empty: the connecting address is the client.
TRUSTED_PROXIES = env_list("PDCA_TRUSTED_PROXIES", [])

OTP_TOTP_ISSUER = "pdca"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
TIME_ZONE = env_str("PDCA_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Dates and numbers in the active language's formats; English keeps ISO dates (config/formats).
FORMAT_MODULE_PATH = ["pdca.config.formats"]
# Django's renderer, with selects written in Python (a select of thousands of members).
FORM_RENDERER = "pdca.core.rendering.FormRenderer"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The shared assets (static/vendor, static/pdca) belong to the package, not to an app.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("PDCA_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# The audit trail's HMAC keys: the first seals new entries and checkpoints, the others are
# retired keys that older entries were sealed with (README "Deploying for many users").
# They must never be stored in the database they protect.
TRAIL_KEYS = env_secrets(
    "PDCA_TRAIL_KEY", file_variable="PDCA_TRAIL_KEY_FILE", old_variable="PDCA_TRAIL_OLD_KEYS"
)
# Known to everyone: dev and test use it when no key is set; production refuses it.
DEV_TRAIL_KEY = "dev-only-trail-key-anyone-can-recompute-with-this"
# Signed checkpoints of every chain head, outside the database: appended to this file, or
# written as objects through the storage named "trail_checkpoints" when STORAGES has one.
TRAIL_CHECKPOINT_PATH = Path(
    env_str("PDCA_TRAIL_CHECKPOINT_PATH", str(VAR_DIR / "trail-checkpoints.jsonl"))
)
if env_str("PDCA_TRAIL_CHECKPOINT_STORAGE"):
    STORAGES["trail_checkpoints"] = {
        "BACKEND": env_str("PDCA_TRAIL_CHECKPOINT_STORAGE"),
        "OPTIONS": json.loads(env_str("PDCA_TRAIL_CHECKPOINT_STORAGE_OPTIONS", "{}")),
    }

EMAIL_BACKEND = env_str("PDCA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("PDCA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PDCA_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("PDCA_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("PDCA_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("PDCA_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("PDCA_EMAIL_FROM", "pdca <noreply@pdca.example>")

# Without Redis, each process keeps its own cache. Django's default of 300 entries held the
# dashboards of 75 people (four cached figures each), so the 400th person's second visit was as
# slow as the first; 20,000 small entries (about 1 KB each) hold every member of a large
# organization's figures.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}
if env_str("PDCA_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("PDCA_REDIS_URL"),
        }
    }
    # Sessions live in the database and, with a cache that every app server shares, are read
    # through it: one query less per request. Not with the in-process cache: a worker would
    # keep a session that another one has ended (a sign-out must end it everywhere).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Background work (core/background.py): Celery ------------------------------------------------
# Production points PDCA_BROKER_URL at Redis (redis://host:6379/0) and runs `pdca worker` and
# `pdca scheduler`; without it a laptop uses a broker that is only a folder under var/, which the
# worker that `make run` starts beside the development server reads: no server to install.
CELERY_BROKER_URL = env_str("PDCA_BROKER_URL", "filesystem://")
_QUEUE_DIR = VAR_DIR / "queue"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = (
    {
        "data_folder_in": str(_QUEUE_DIR),
        "data_folder_out": str(_QUEUE_DIR),
        "processed_folder": str(_QUEUE_DIR / "processed"),
        # Broadcasts to the workers (remote control), kept beside the queue, not in the cwd.
        "control_folder": str(_QUEUE_DIR / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
# pdca keeps what it needs to know of a task (notifications, jobs, failures) in its own tables.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged once it has run, so that a worker that dies mid-task leaves it to another
# worker; every task is idempotent for that reason (core/background.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic work, filled by the apps (core.background.register_periodic) when Celery configures.
CELERY_BEAT_SCHEDULE: dict[str, Any] = {}
# The scheduler's own state (when each periodic task last ran), kept beside the other runtime files.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "scheduler" / "schedule")
# How long the result of a long export stays downloadable (core/jobs.py).
PDCA_JOB_RESULT_HOURS = env_int("PDCA_JOB_RESULT_HOURS", 24)
# Webhooks to addresses inside a private network (and over plain HTTP there): off, so that an
# organization cannot make pdca call the servers beside it.
PDCA_WEBHOOKS_ALLOW_PRIVATE = env_bool("PDCA_WEBHOOKS_ALLOW_PRIVATE")
# Tests and one-off commands may run tasks in the calling process (PDCA_TASKS_EAGER=1).
CELERY_TASK_ALWAYS_EAGER = env_bool("PDCA_TASKS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pdca.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["pdca.api.permissions.PolicyPermission"],
    "DEFAULT_PARSER_CLASSES": [
        "pdca.api.parsers.JSONObjectParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "pdca.api.pagination.KeysetPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "pdca.api.errors.exception_handler",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("PDCA_API_RATE", "6000/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "pdca API",
    "DESCRIPTION": "The REST API of pdca, the open ISO management system.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status" or "kind"; name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "ClauseKindEnum": "pdca.standards.models.Clause.Kind",
        "RequiredInformationKindEnum": "pdca.standards.models.RequiredInformation.Kind",
        "OrgStandardStatusEnum": "pdca.standards.models.OrgStandard.Status",
        "AssessmentStatusEnum": "pdca.standards.models.Assessment.Status",
        # Roadmap actions and corrective actions share one set: open, in progress, done, cancelled.
        "ActionStatusEnum": "pdca.standards.models.RoadmapAction.Status",
        "AuditKindEnum": "pdca.audits.models.audit.Audit.Kind",
        "AuditStatusEnum": "pdca.audits.models.audit.Audit.Status",
        "ScheduleEntryKindEnum": "pdca.audits.models.audit.ScheduleEntry.Kind",
        "NonconformityStatusEnum": "pdca.improvement.models.Nonconformity.Status",
        "RecordStatusEnum": "pdca.records.models.RecordStatus",
        "DocumentStatusEnum": "pdca.documents.models.DocumentStatus",
        "RevisionStatusEnum": "pdca.documents.models.RevisionStatus",
        "CertificateStatusEnum": "pdca.certification.models.Certificate.Status",
        "ExternalAuditKindEnum": "pdca.certification.models.ExternalAudit.Kind",
        "ExternalAuditStatusEnum": "pdca.certification.models.ExternalAudit.Status",
        "ExternalFindingStatusEnum": "pdca.certification.models.ExternalFinding.Status",
        "ReviewOutputKindEnum": "pdca.reviews.models.OutputKind",
        "ReviewStatusEnum": "pdca.reviews.models.Review.Status",
        "FindingGradeEnum": "pdca.audits.models.finding.Finding.Grade",
        "ExternalFindingGradeEnum": "pdca.certification.models.ExternalFinding.Grade",
        "ExternalAuditOutcomeEnum": "pdca.certification.models.ExternalAudit.Outcome",
        "CertificationEventKindEnum": "pdca.certification.models.CertificationEvent.Kind",
        "ObligationTypeEnum": "pdca.compliance.models.ObligationType",
        "ParticipationMechanismKindEnum": "pdca.ehs.models.MechanismKind",
        "ParticipationBarrierKindEnum": "pdca.ehs.models.BarrierKind",
        # An obligation's last result and an evaluation's result are one set.
        "ComplianceResultEnum": "pdca.compliance.models.EvaluationResult",
        "AssetKindEnum": "pdca.risks.models.isms.Asset.Kind",
        "RiskKindEnum": "pdca.risks.models.register.Kind",
        "ContextOriginEnum": "pdca.risks.models.context.Origin",
        "CompetenceKindEnum": "pdca.people.models.CompetenceKind",
        "TrainingResultEnum": "pdca.people.models.Result",
        "EffectivenessResultEnum": "pdca.improvement.models.EffectivenessCheck.Result",
        "SuggestionStatusEnum": "pdca.engagement.models.Suggestion.Status",
        "FeedbackStatusEnum": "pdca.engagement.models.Feedback.Status",
        "FeedbackKindEnum": "pdca.engagement.models.FeedbackKind",
        "FeedbackSeverityEnum": "pdca.engagement.models.Severity",
        "AwarenessKindEnum": "pdca.people.models.AwarenessKind",
        "NonconformitySeverityEnum": "pdca.improvement.models.Nonconformity.Severity",
        "AllowedRolesEnum": "pdca.core.roles.Role",
        "EhsEntryStatusEnum": "pdca.ehs.models.EntryStatus",
        "IncidentStatusEnum": "pdca.ehs.models.IncidentStatus",
        "IncidentKindEnum": "pdca.ehs.models.IncidentKind",
        "HazardControlLevelEnum": "pdca.ehs.models.ControlLevel",
        "ControlReasonKindEnum": "pdca.risks.models.soa.ReasonKind",
    },
}

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "pdca.core.context.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("PDCA_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Security headers and sessions (ASVS level 2), applied by pdca.core.security ---------------
# The same policy in every environment, so that a page that breaks it fails in development and
# in the browser tests, not first in production. pdca's own scripts and styles only: no inline
# script, style or event handler anywhere (core/tests/test_security.py keeps it so).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Pico CSS and Swagger UI draw their icons as data: images in their stylesheets.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features pdca never uses, switched off for its pages and anything they might embed.
# (The checklist's "Add a photo" is a file input, which opens the camera without this feature.)
PDCA_PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
# Signed out after this long without a request (0: no idle limit); SESSION_COOKIE_AGE stays the
# absolute limit from sign-in.
PDCA_SESSION_IDLE_SECONDS = env_int("PDCA_SESSION_IDLE_SECONDS", 30 * 60)
