"""Pages of a long list without COUNT(*) and without OFFSET: at 200,000 rows counting costs
more than the page, and so does skipping 175,000 rows to show page 7,000.

`quick_page()` fetches one row more than it shows to know whether a next page exists. Its
"next" and "previous" links carry a cursor (`after` / `before`: the ordering's values of the
last or first row shown), so that following them costs the same on page 7,000 as on page 2; the
page number stays in the link for the person reading it. A link with a page number and no
cursor (typed by hand, bookmarked) still works by offset. The page object has the attributes
the list templates use (number, has_next, …).

The cursor follows the queryset's own ordering (plain field paths, ascending or descending, a
primary-key tie-breaker appended), with each database's place for NULLs. An ordering it cannot
follow (an expression, a relation ordered by its model's default ordering, random) and rows
that are a list are paged by offset, as before."""

import base64
import datetime
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.fields.related import RelatedField
from django.db.models.query import ModelIterable

PAGE_SIZE = 25
MAX_PAGE = 10_000


@dataclass
class QuickPage:
    object_list: list[Any]
    number: int
    _more: bool
    _earlier: bool | None = None  # None: the page number says (offset paging)
    # The query-string changes for the two links: {"page": n, "after": cursor, "before": None}.
    next_query: dict[str, Any] = field(default_factory=dict)
    previous_query: dict[str, Any] = field(default_factory=dict)

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        if self._earlier is not None:
            return self._earlier
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return max(1, self.number - 1)

    def __iter__(self) -> Any:
        return iter(self.object_list)


def quick_page(
    queryset: Any,
    page: str | None,
    per_page: int = PAGE_SIZE,
    *,
    after: str | None = None,
    before: str | None = None,
) -> QuickPage:
    try:
        number = max(1, min(int(page or 1), MAX_PAGE))
    except ValueError:
        number = 1
    keys = _keys(queryset)
    if keys is not None:
        # The tie-breaker in the query too, so that the cursor's order is the rows' order.
        queryset = queryset.order_by(*[("-" if desc else "") + name for name, desc in keys])
    cursor = _decode(after or before, len(keys)) if keys else None
    if keys is None or (cursor is None and (after or before)):
        # An ordering no cursor can follow, or a cursor that is not ours: by offset.
        return _offset_page(queryset, number, per_page, keys=None)
    if cursor is None:
        return _offset_page(queryset, number, per_page, keys=keys)
    forward = bool(after)
    rows_qs = queryset.filter(_beyond(queryset, keys, cursor, forward=forward))
    if not forward:
        rows_qs = rows_qs.reverse()
    rows = list(rows_qs[: per_page + 1])
    extra = len(rows) > per_page
    rows = rows[:per_page]
    if not forward:
        rows.reverse()
    result = QuickPage(
        rows, number, _more=extra if forward else True, _earlier=True if forward else extra
    )
    if not forward and not extra:
        result.number = 1  # back at the start, whatever the link said
    _links(result, keys)
    return result


def _offset_page(
    queryset: Any, number: int, per_page: int, *, keys: list[tuple[str, bool]] | None
) -> QuickPage:
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    result = QuickPage(rows[:per_page], number, len(rows) > per_page)
    if keys is not None:
        _links(result, keys)
    else:
        result.next_query = {"page": result.next_page_number(), "after": None, "before": None}
        result.previous_query = {
            "page": result.previous_page_number(),
            "after": None,
            "before": None,
        }
    return result


def _links(result: QuickPage, keys: list[tuple[str, bool]]) -> None:
    rows = result.object_list
    result.next_query = {"page": result.next_page_number(), "before": None}
    result.previous_query = {"page": result.previous_page_number(), "after": None}
    result.next_query["after"] = _encode([_value(rows[-1], n) for n, _ in keys]) if rows else None
    result.previous_query["before"] = (
        _encode([_value(rows[0], n) for n, _ in keys]) if rows and result.number > 1 else None
    )
    if result.previous_query["before"] is None:
        result.previous_query["page"] = 1


def _keys(queryset: Any) -> list[tuple[str, bool]] | None:
    """The ordering as (field path, descending), ending with the primary key; None when a
    cursor cannot follow it."""
    if not isinstance(queryset, QuerySet) or queryset._iterable_class is not ModelIterable:
        return None
    query = queryset.query
    if query.is_sliced or query.distinct_fields or query.combinator:
        return None
    order = list(query.order_by) or (
        list(queryset.model._meta.ordering) if query.default_ordering else []
    )
    pk_name = queryset.model._meta.pk.name
    keys: list[tuple[str, bool]] = []
    for item in order:
        if not isinstance(item, str) or item == "?" or "." in item:
            return None
        descending = item.startswith("-")
        name = item.lstrip("-+")
        if name == "pk":
            name = pk_name
        if not _orderable(queryset, name):
            return None
        keys.append((name, descending))
        if name in (pk_name, queryset.model._meta.pk.attname):
            return keys
    keys.append((pk_name, keys[-1][1] if keys else False))
    return keys


def _orderable(queryset: Any, name: str) -> bool:
    """A plain column (possibly across relations) or an annotation: not a relation, which
    Django orders by the related model's own ordering."""
    if name in queryset.query.annotations:
        return True
    model = queryset.model
    parts = name.split("__")
    for index, part in enumerate(parts):
        try:
            model_field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        last = index == len(parts) - 1
        if isinstance(model_field, RelatedField) or model_field.is_relation:
            if last or model_field.related_model is None:
                return False
            model = model_field.related_model
        elif not last:
            return False
    return True


def _nullable(queryset: Any, name: str) -> bool:
    if name in queryset.query.annotations:
        return True
    model = queryset.model
    nullable = False
    for part in name.split("__"):
        model_field = model._meta.get_field(part)
        nullable = nullable or bool(getattr(model_field, "null", False))
        if model_field.is_relation and model_field.related_model is not None:
            model = model_field.related_model
    return nullable


def _value(row: Any, name: str) -> Any:
    value = row
    for part in name.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def _beyond(queryset: Any, keys: list[tuple[str, bool]], values: list[Any], *, forward: bool) -> Q:
    """The rows after (forward) or before the row with these ordering values: the ordering's
    tuple comparison, written out, with NULLs where this database sorts them."""
    nulls_largest = connections[queryset.db].features.nulls_order_largest
    condition = Q(pk__in=[])
    equal = Q()
    for (name, descending), value in zip(keys, values, strict=True):
        upward = forward != descending  # towards larger values
        nullable = _nullable(queryset, name)
        if value is None:
            # Beyond NULL lie the non-NULL values when NULLs sort at the end we come from.
            step = Q(**{f"{name}__isnull": False}) if upward != nulls_largest else Q(pk__in=[])
            same = Q(**{f"{name}__isnull": True})
        else:
            step = Q(**{f"{name}__gt" if upward else f"{name}__lt": value})
            if nullable and upward == nulls_largest:
                step |= Q(**{f"{name}__isnull": True})
            same = Q(**{name: value})
        condition |= equal & step
        equal &= same
    return condition


# Cursors: the ordering's values as JSON, with their types kept, in URL-safe base64.


def _encode(values: list[Any]) -> str:
    data = json.dumps([_tagged(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def _tagged(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if isinstance(value, uuid.UUID):
        return {"u": str(value)}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _decode(cursor: str | None, length: int) -> list[Any] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != length:
            return None
        return [_untagged(v) for v in values]
    except (ValueError, TypeError, KeyError):
        return None


def _untagged(value: Any) -> Any:
    if isinstance(value, dict):
        ((tag, text),) = value.items()
        if tag == "dt":
            return datetime.datetime.fromisoformat(text)
        if tag == "d":
            return datetime.date.fromisoformat(text)
        if tag == "n":
            return Decimal(text)
        if tag == "u":
            return uuid.UUID(text)
        raise ValueError(tag)
    if isinstance(value, list):
        raise ValueError("list")
    return value
