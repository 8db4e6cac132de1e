"""Validators shared by every app's models and services.

`single_line` refuses control characters (and the Unicode line and paragraph separators) in a
field that is one line of text: a title, a number, a reference. Such characters cannot be
printed, break spreadsheet exports and hide text from a reader. Models name it in the field's
`validators`, so that a service's `full_clean()`, a ModelForm and a ModelSerializer all apply it;
`check_single_line` is the same rule for a service that writes without `full_clean()`.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SEPARATORS = {"\u2028", "\u2029"}


def _control_character(value: str) -> str | None:
    for char in value:
        if unicodedata.category(char) == "Cc" or char in SEPARATORS:
            return char
    return None


def single_line(value: str) -> None:
    char = _control_character(value or "")
    if char is not None:
        raise ValidationError(
            _(
                "Remove the control character U+%(code)04X: this field is a single line of "
                "plain text, without line breaks, tabs or other control characters."
            )
            % {"code": ord(char)},
            code="control_character",
        )


def check_single_line(**fields: str) -> None:
    """Refuse, field by field, values that `single_line` refuses."""
    errors: dict[str, list[ValidationError]] = {}
    for name, value in fields.items():
        try:
            single_line(value)
        except ValidationError as error:
            errors[name] = [error]
    if errors:
        raise ValidationError(errors)
