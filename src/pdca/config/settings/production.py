"""Production: everything from the environment; refuses to start without a secret key."""

from django.core.exceptions import ImproperlyConfigured

from .base import *

if not SECRET_KEY:
    raise ImproperlyConfigured("Set PDCA_SECRET_KEY to a long random value.")
if not TRAIL_KEYS:
    raise ImproperlyConfigured(
        "Set PDCA_TRAIL_KEY (or PDCA_TRAIL_KEY_FILE) to a long random value kept outside the "
        "database: it seals the audit trail."
    )
if TRAIL_KEYS[0] == DEV_TRAIL_KEY or len(TRAIL_KEYS[0]) < 32:
    raise ImproperlyConfigured(
        "PDCA_TRAIL_KEY must be a random value of at least 32 characters, not the dev key."
    )
DEBUG = False
SESSION_COOKIE_SECURE = env_bool("PDCA_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = env_list("PDCA_CSRF_TRUSTED_ORIGINS", [])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Several application servers: shared cache and uploaded files in an object store ----------
# (kept as one block; README "Deploying for many users", steps 3 and 5)

# Without PDCA_REDIS_URL the cache is in-process: the API rate limit and the cached figures (and
# anything else kept in the cache) are counted per worker process. pdca then says so at start-up
# and in `pdca check --deploy` (core.checks, pdca.W001).
PDCA_PER_PROCESS_LIMITS = not env_str("PDCA_REDIS_URL")

# Uploaded files go to an S3-compatible object store when PDCA_S3_BUCKET names a bucket, so that
# every app server reads and writes the same files; FileSystemStorage (PDCA_MEDIA_ROOT) remains
# the default.
from .objectstore import s3_storage_from_env  # noqa: E402  (kept inside this block)

_object_store = s3_storage_from_env()
if _object_store is not None:
    STORAGES["default"] = _object_store
# --- end of the several-servers block ----------------------------------------------------------

# --- HTTPS and HSTS (ASVS level 2) -----------------------------------------------------------
# pdca sits behind a TLS-terminating proxy that sets X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER
# above): the proxy must overwrite a client-sent X-Forwarded-Proto, and the app servers must be
# reachable only through it. A plain-HTTP request is redirected to HTTPS, except the paths
# matched by PDCA_SSL_REDIRECT_EXEMPT (regular expressions without the leading slash, for a
# load balancer's health check over HTTP).
SECURE_SSL_REDIRECT = env_bool("PDCA_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = env_list("PDCA_SSL_REDIRECT_EXEMPT", [])
SECURE_HSTS_SECONDS = env_int("PDCA_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("PDCA_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is a promise to browsers that is slow to take back: the operator opts in.
SECURE_HSTS_PRELOAD = env_bool("PDCA_HSTS_PRELOAD", False)
