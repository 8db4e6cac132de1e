from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions

from pdca.core.models import ApiToken
from pdca.core.models.tokens import TOKEN_PREFIX, hash_token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer pdca_…` with a personal API token."""

    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode(errors="ignore")
        parts = header.split()
        if not parts or parts[0] != self.keyword:
            return None
        if len(parts) != 2 or not parts[1].startswith(TOKEN_PREFIX):  # a bearer token, but not ours
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        token = ApiToken.objects.select_related("user").filter(digest=hash_token(parts[1])).first()
        if token is None or not token.is_usable or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        # Touch last use at most once a minute: no write per request.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword
