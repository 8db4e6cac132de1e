"""Production: everything from the environment; refuses to start without a secret key."""

from django.core.exceptions import ImproperlyConfigured

from .base import *

if not SECRET_KEY:
    raise ImproperlyConfigured("Set PDCA_SECRET_KEY to a long random value.")
DEBUG = False
SESSION_COOKIE_SECURE = env_bool("PDCA_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = env_list("PDCA_CSRF_TRUSTED_ORIGINS", [])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
