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
