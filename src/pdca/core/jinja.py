"""The Jinja2 environment of the row partials: the same filters as the Django templates."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from jinja2 import Environment

from pdca.core.templatetags.pdca import (
    action_label,
    change_lines,
    change_value,
    reason_line,
    utc_time,
)


def short_date(value: Any) -> str:
    """A date in the active language's short format (01.12.2026 in German)."""
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def environment(**options: Any) -> Environment:
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        {
            "action_label": action_label,
            "change_lines": change_lines,
            "change_value": change_value,
            "reason_line": reason_line,
            "utc_time": utc_time,
            "short_date": short_date,
        }
    )
    return env


def render_rows(request: HttpRequest, template_name: str, context: dict[str, Any]) -> SafeString:
    """A row partial rendered to HTML, for a page to place with `{{ rows }}` or for an htmx
    request to receive alone. Safe: Jinja2 escaped every value as it rendered them."""
    return mark_safe(render_to_string(template_name, context, request))
