import datetime
import functools
import re
from typing import Any

from django import template
from django.apps import apps
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext

from pdca.core.actions import label_for

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return label_for(code)


@functools.cache
def _model_vocabulary() -> tuple[dict[str, Promise], dict[str, Any]]:
    """The translated names of pdca's model fields by field name ("due_on" -> "due date"), and
    the labels of their choices by stored value ("in_review" -> "In review"): the trail keeps
    names and values, the reader sees them in their language."""
    names: dict[str, Promise] = {}
    choices: dict[str, Any] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("pdca."):
            continue
        for field in model._meta.get_fields():
            verbose = getattr(field, "verbose_name", None)
            if isinstance(verbose, Promise):
                names.setdefault(field.name, verbose)
            for value, label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and isinstance(label, Promise):
                    choices.setdefault(value, label)
    return names, choices


@register.filter
def change_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and "label" in value:
        return str(value["label"])
    if isinstance(value, list):
        return ", ".join(change_value(v) for v in value) or "—"
    if isinstance(value, bool):
        return pgettext("a recorded value", "yes") if value else pgettext("a recorded value", "no")
    if isinstance(value, str) and value in _model_vocabulary()[1]:
        return str(_model_vocabulary()[1][value])
    return str(value)


@register.simple_tag(takes_context=True)
def querystring_with(context: Any, **kwargs: Any) -> str:
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def pager_link(context: Any, page: Any, direction: str) -> str:
    """The query string of a page's "next" or "previous" link, keeping the filters: a quick
    page's link carries its cursor (`core.paging`), a counted page's only the page number."""
    query = context["request"].GET.copy()
    changes = getattr(page, f"{direction}_query", None)
    if not changes:
        number = page.next_page_number() if direction == "next" else page.previous_page_number()
        changes = {"page": number}
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode()


@register.filter
def field_label(field: str) -> str:
    """A recorded field's name in the reader's language: the trail keeps the field's name
    ("due_date"), the catalogues translate the model's verbose name ("due date")."""
    name = _model_vocabulary()[0].get(field)
    return str(name) if name is not None else gettext(field.replace("_", " "))


@functools.cache
def _vocabulary_of(model: type[Model]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """One model's field labels by field name, and its fields' choice labels by stored value:
    "doc_type" of a document is its "type", and "draft" of its status "Draft (not yet
    effective)", whatever other models call theirs."""
    names: dict[str, Any] = {}
    choices: dict[str, dict[str, Any]] = {}
    for field in model._meta.get_fields():
        verbose = getattr(field, "verbose_name", None)
        if isinstance(verbose, Promise):
            names[field.name] = verbose
            if getattr(field, "attname", field.name) != field.name:
                names[field.attname] = verbose  # type: ignore[union-attr]
        labels = {
            value: label
            for value, label in getattr(field, "flatchoices", None) or ()
            if isinstance(value, str)
        }
        if labels:
            choices[field.name] = labels
    return names, choices


# A moment the trail recorded as ISO 8601 text ("2026-12-02T05:50:51.829148+00:00").
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")


def _model_of(entry: Any) -> type[Model] | None:
    """The model of the object a trail entry is about (the content type cache answers after
    the first lookup of each type, so a page of entries costs no query per row)."""
    type_id = getattr(entry, "content_type_id", None)
    if not type_id:
        return None
    from django.contrib.contenttypes.models import ContentType

    try:
        return ContentType.objects.get_for_id(type_id).model_class()
    except ContentType.DoesNotExist:
        return None


def entry_changes(entry: Any) -> list[tuple[str, str, str]]:
    """A trail entry's changes in words: (field label, old value, new value), the labels and
    choice labels taken from the entry's own model, then from pdca's other models."""
    model = _model_of(entry)
    names, choices = _vocabulary_of(model) if model is not None else ({}, {})
    rows = []
    for field, pair in (getattr(entry, "changes", None) or {}).items():
        label = capfirst(str(names[field])) if field in names else capfirst(field_label(field))
        labels = choices.get(field, {})

        def shown(value: Any, labels: dict[str, Any] = labels) -> str:
            if isinstance(value, str) and value in labels:
                return str(labels[value])
            if isinstance(value, str) and _ISO_MOMENT.match(value):
                moment = datetime.datetime.fromisoformat(value)
                if moment.tzinfo is not None:
                    return utc_time(moment)[:16] + " UTC"
            if isinstance(value, list) and labels:
                return ", ".join(shown(v) for v in value) or "—"
            return change_value(value)

        if isinstance(pair, list | tuple) and len(pair) == 2:
            rows.append((label, shown(pair[0]), shown(pair[1])))
        else:
            rows.append((label, "", shown(pair)))
    return rows


@register.filter
def change_lines(changes: Any) -> SafeString:
    """An entry's changes as "<field>: old → new" lines, rendered in one pass: the trail page
    shows 25 entries of several fields each, and template lookups per value add up. Given the
    entry itself, fields and values are named as its model names them."""
    rows = entry_changes(_Changes(changes) if isinstance(changes, dict) else changes)
    return format_html_join(
        "",
        "<div><strong>{}</strong>: {} → {}</div>",
        rows,
    )


@register.filter
def changes_in_words(entry: Any) -> list[tuple[str, str, str]]:
    return entry_changes(entry)


class _Changes:
    """Changes without the entry they belong to: named from pdca's models at large."""

    content_type_id = None

    def __init__(self, changes: dict[str, Any]) -> None:
        self.changes = changes


@register.filter
def utc_time(value: datetime.datetime | None) -> str:
    """A timestamp as YYYY-MM-DD HH:MM:SS in UTC (cheaper than the date filter)."""
    if value is None:
        return ""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")


@register.filter
def reason_line(reason: str) -> SafeString:
    return (
        format_html('<div class="muted">{}: {}</div>', gettext("Reason"), reason)
        if reason
        else SafeString("")
    )


class FilterBarNode(template.Node):
    def __init__(self, nodelist: template.NodeList, kwargs: dict[str, Any]) -> None:
        self.nodelist = nodelist
        self.kwargs = kwargs

    def render(self, context: template.Context) -> str:
        values = {key: value.resolve(context) for key, value in self.kwargs.items()}
        search = values.get("search", "")
        if "trigger" not in values:  # a change of a select, typing in the search box, Enter
            typing = f"input changed delay:300ms from:#{search}, " if search else ""
            values["trigger"] = f"change, {typing}submit"
        with context.push(fields=self.nodelist.render(context), **values):
            bar = context.template.engine.get_template("core/_filter_bar.html")  # type: ignore[union-attr]
            return bar.render(context)


@register.tag
def filterbar(parser: template.base.Parser, token: template.base.Token) -> FilterBarNode:
    """A list's filter bar: `{% filterbar target="record-rows" search="id_q" %}` the fields
    `{% endfilterbar %}`. The form asks htmx for the rows partial into `#target` on a change,
    on typing in the search box `#search` (after a pause) and on submit, and keeps the filters
    in the address bar. `trigger` replaces those events; `button` the button's label."""
    nodelist = parser.parse(("endfilterbar",))
    parser.delete_first_token()
    kwargs = template.base.token_kwargs(token.split_contents()[1:], parser)
    if "target" not in kwargs:
        raise template.TemplateSyntaxError("filterbar needs target=")
    return FilterBarNode(nodelist, kwargs)


@register.simple_tag(name="icon")
def icon_tag(name: str, label: str = "") -> SafeString:
    """`{% icon "file-text" %}`: a vendored Lucide icon, inline (pdca.core.icons)."""
    from pdca.core.icons import icon

    return icon(name, label)


@register.simple_tag
def field_widget(bound: Any) -> SafeString:
    """A field's widget as the shared form rendering draws it (core.forms.widget_attrs)."""
    from pdca.core.forms import widget_attrs

    return bound.as_widget(attrs=widget_attrs(bound))  # type: ignore[no-any-return]


@register.simple_tag
def upload_limits() -> str:
    from pdca.core.forms import upload_limits as limits

    return limits()


@register.filter
def is_file_field(bound: Any) -> bool:
    from pdca.core.forms import is_file_input

    return is_file_input(bound.field.widget)
