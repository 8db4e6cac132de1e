from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions, status

from pdca.core import throttle
from pdca.core.language import use_language_of
from pdca.core.models import ApiToken
from pdca.core.models.tokens import TOKEN_PREFIX, hash_token


class TooManyAttempts(exceptions.APIException):
    """429 with Retry-After: wrong passwords or tokens are paused (`core.throttle`)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(self, wait: int) -> None:
        self.wait = wait  # DRF's handler turns it into the Retry-After header
        super().__init__(throttle.too_many_attempts(wait))


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer pdca_…` with a personal API token."""

    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode(errors="ignore")
        parts = header.split()
        if not parts or parts[0] != self.keyword:
            return None
        # Wrong tokens count per address on the sign-in throttle; a paused address is refused
        # before the token is looked up.
        wait = throttle.wait_seconds(account=None)
        if wait:
            raise TooManyAttempts(wait)
        if len(parts) != 2 or not parts[1].startswith(TOKEN_PREFIX):  # a bearer token, but not ours
            throttle.failed(account=None)
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        token = ApiToken.objects.select_related("user").filter(digest=hash_token(parts[1])).first()
        if token is None or not token.is_usable or not token.user.is_active:
            throttle.failed(account=None)
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        # Touch last use at most once a minute: no write per request.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # The token's user is known only now: their language from here on (the middleware
        # restores the previous one after the response).
        use_language_of(request._request, token.user)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword
