"""`get_<field>_display()` for list pages, without translating every choice on every call."""

from typing import Any

from django.db import models
from django.utils.encoding import force_str

_LABELS: dict[Any, dict[Any, Any]] = {}  # field -> {value: (lazy) label}


class ChoiceLabels(models.Model):
    """Django's own `_get_FIELD_display` hashes every choice's label on each call, and hashing
    a lazy label translates it: a 25-row list with three status columns translated ~500
    strings. This keeps each field's value -> label map once and translates just one label."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: Any) -> Any:
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = {value: label for value, label in field.flatchoices}
        value = getattr(self, field.attname)
        return force_str(labels.get(value, value), strings_only=True)
