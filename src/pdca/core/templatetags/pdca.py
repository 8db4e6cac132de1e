from typing import Any

from django import template

from pdca.core.actions import label_for

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return label_for(code)


@register.filter
def change_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and "label" in value:
        return str(value["label"])
    if isinstance(value, list):
        return ", ".join(change_value(v) for v in value) or "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@register.simple_tag(takes_context=True)
def querystring_with(context: Any, **kwargs: Any) -> str:
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return "?" + query.urlencode()
