"""What the ehs app's API modules share: reading a list's filters, the people named by id, and
the body of a withdrawal."""

from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ValidationError as ApiValidationError

from pdca.core.assignable import assignable_by_id


def filtered(view: Any, form_class: Any) -> dict[str, Any]:
    form = form_class(view.request.GET or None)
    if form.is_bound and not form.is_valid():
        raise ApiValidationError(form.errors.get_json_data())
    return form.cleaned_data if form.is_bound else {}


def people(organization: Any, data: dict[str, Any], *fields: str) -> dict[str, Any]:
    for field in fields:
        if field in data and data[field] is not None:
            data[field] = assignable_by_id(organization, data[field], field)
    return data


class EhsWithdrawInput(serializers.Serializer):
    """The body of every withdrawal in the ehs registers (an aspect, a hazard, a mechanism, an
    event of the log): the entry stays, marked withdrawn with the reason."""

    version = serializers.IntegerField()
    reason = serializers.CharField()
