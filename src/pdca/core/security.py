"""Security headers and session limits (OWASP ASVS level 2, V3 and V14).

- `ContentSecurityPolicyMiddleware`: django-csp's policy (`CONTENT_SECURITY_POLICY`) on every
  response but PDFs, which Chrome shows in a viewer page of its own that a strict policy breaks.
- `SecurityHeadersMiddleware`: `Permissions-Policy`, and `Cache-Control: no-store` on every
  response of a view. Static files never reach it (WhiteNoise answers them first, with
  far-future caching), so only pages, API answers and downloads are kept out of caches.
- `SessionTimeoutMiddleware`: signs a user out after `PDCA_SESSION_IDLE_SECONDS` without a
  request, and after `SESSION_COOKIE_AGE` since sign-in whatever the activity.
"""

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

# Session keys: when the user signed in, and when the session last saw a request (epoch seconds).
SIGNED_IN_AT = "pdca_signed_in_at"
LAST_SEEN = "pdca_last_seen"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.get("Content-Type", "").startswith("application/pdf"):
            return response
        return super().process_response(request, response)


def permissions_policy(features: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` → `camera=(), fullscreen=(self)`."""
    return ", ".join(f"{name}=({' '.join(allow)})" for name, allow in features.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.permissions_policy = permissions_policy(settings.PDCA_PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.permissions_policy:
            response.setdefault("Permissions-Policy", self.permissions_policy)
        # Also the public pages (sign-in, password reset): they carry a CSRF token bound to
        # the visitor's cookie and gain nothing from a cache.
        patch_cache_control(response, no_store=True)
        return response


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


class SessionTimeoutMiddleware:
    """Ends a signed-in session that was idle too long or has reached its absolute lifetime.

    The request then goes on as an anonymous one: a page redirects to sign-in (with a message
    saying why), an API request that relied on the session cookie is answered 401 or 403 by the
    REST framework, an htmx request is told to load the sign-in page instead of swapping it
    into a part of the page. A token-authenticated API request has no session and is not
    concerned. The last activity is written at most once a minute, not on every request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        now = int(time.time())
        if request.user.is_authenticated:
            reason = self._ended(request, now)
            if reason:
                ended = self._sign_out(request, reason)
                if ended is not None:
                    return ended
        response = self.get_response(request)
        # Also a session that this request signed in; not an API token's user, which has none.
        if SESSION_KEY in request.session:
            self._touch(request, now)
        return response

    @staticmethod
    def _ended(request: HttpRequest, now: int) -> str:
        session = request.session
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen = session.get(LAST_SEEN)
        if signed_in_at is not None and now - signed_in_at >= settings.SESSION_COOKIE_AGE:
            return _("Your session reached its maximum length. Please sign in again.")
        idle = settings.PDCA_SESSION_IDLE_SECONDS
        if idle and last_seen is not None and now - last_seen >= idle:
            return _(
                "You were signed out after %(minutes)d minutes without activity. "
                "Please sign in again."
            ) % {"minutes": max(1, idle // 60)}
        return ""

    @staticmethod
    def _touch(request: HttpRequest, now: int) -> None:
        session = request.session
        session.setdefault(SIGNED_IN_AT, now)
        idle = settings.PDCA_SESSION_IDLE_SECONDS
        # Saving the session on every request would cost a database write each time; a
        # minute (or a tenth of a short idle limit) is precise enough for a limit of minutes.
        resolution = min(60, idle // 10) if idle else 60
        if now - session.get(LAST_SEEN, 0) >= resolution:
            session[LAST_SEEN] = now

    @staticmethod
    def _sign_out(request: HttpRequest, reason: str) -> HttpResponse | None:
        logout(request)
        # django-otp's middleware (earlier in the chain) gave the signed-in user these; code
        # further on may ask the anonymous user that replaces it as well.
        request.user.otp_device = None  # type: ignore[union-attr]
        request.user.is_verified = lambda: False  # type: ignore[union-attr]
        if _is_api(request):
            return None
        messages.info(request, reason)
        if request.headers.get("HX-Request") == "true":
            current = urlsplit(request.headers.get("HX-Current-URL", "")).path or "/"
            response = redirect_to_login(current)
            answer = HttpResponse(status=204)
            answer["HX-Redirect"] = response["Location"]
            return answer
        return None
