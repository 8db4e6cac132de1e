"""The interface language: a signed-in user's choice, else what the browser asks for.

`LocaleMiddleware` picks the language from Accept-Language before anyone is known;
`UserLanguageMiddleware` (right after authentication) switches to the language the user chose
in their profile. `user_set_language` is the one way that choice is saved, with its trail entry.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from pdca.core import trail
from pdca.core.models import User


def language_codes() -> set[str]:
    return {code for code, _label in settings.LANGUAGES}


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """The user's language for this request alone: the language active before it comes
        back once the response is made (a thread serving the next request, or a test, does not
        keep speaking this user's language)."""
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None else ""
        if user is None or not user.is_authenticated or language not in language_codes():
            return self.get_response(request)
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
            # LocaleMiddleware names the language after this one has restored the previous one.
            response.headers.setdefault("Content-Language", language)
            return response


def user_set_language(*, actor: User, user: User, language: str) -> User:
    """Save the language the user sees pdca in; blank means the browser's choice."""
    if language and language not in language_codes():
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    if language == user.language:
        return user
    with transaction.atomic():
        before = user.language
        user.language = language
        user.save(update_fields=["language"])
        trail.record(
            action="core.user.language_changed",
            actor=actor,
            organization=None,
            obj=user,
            changes={"language": [before, language]},
        )
    return user
