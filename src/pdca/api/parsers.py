"""Every JSON body the API accepts is an object: a list, a string or a number is refused here,
once, with a message, before any endpoint reads it as a dictionary."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


class JSONObjectParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise exceptions.ParseError(_("Send a JSON object."))
        return data
