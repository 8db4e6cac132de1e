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


def use_language_of(request: HttpRequest, user: object) -> None:
    """Speak `user`'s chosen language for the rest of `request` (the API calls this once it
    knows the token's user); without a choice, the browser's language stays."""
    language = getattr(user, "language", "")
    if language in language_codes():
        translation.activate(language)
        request.LANGUAGE_CODE = language


class UserLanguageMiddleware:
    """The signed-in user's language for their request alone: the language active before the
    request comes back once the response is made, so that neither the thread's next request
    nor a test that made the request keeps speaking this user's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        previous = translation.get_language()
        try:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                use_language_of(request, user)
            response = self.get_response(request)
            # LocaleMiddleware names the language after this one has restored the previous one.
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        finally:
            translation.activate(previous)


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
