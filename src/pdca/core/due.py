"""Everything that falls due, one way: each app says which of its objects fall due, when and
for whom; the dashboard, the calendar, its iCalendar feeds and the reminders all read them here.

A source is registered in the app's `AppConfig.ready()`::

    register_due_source("documents.review", _("Document review"), document_reviews,
                        permission="documents.view")

and answers a `DueQuery` (an organization, a date range, the viewer and the filters) with its
`DueItem`s: only what the viewer may see, in a fixed number of queries whatever the amount of
data, ordered by due date and cut at `query.limit`. A viewer of `None` is pdca itself (the
reminder run), which sees everything.
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from pdca.core.permissions import can

SCOPES = ("mine", "department", "everyone")


@dataclass(frozen=True)
class DueItem:
    """One thing that falls due on a day: a document's review, an action's due date, …"""

    kind: str  # the source's code, e.g. "documents.review"
    kind_label: str
    title: str
    due_on: datetime.date
    url: str
    model: str  # the object's "app_label.model", e.g. "documents.document"
    object_id: int
    owner_id: int | None  # the user who answers for it (None: nobody in particular)
    owner_name: str = ""
    department_id: int | None = None
    standards: tuple[str, ...] = ()  # codes of the standards it serves, e.g. ("iso9001",)
    updated_at: datetime.datetime | None = None
    version: int = 1
    overdue: bool = False

    @property
    def uid_stem(self) -> str:
        """What stays the same for this item across downloads: kind and object id."""
        return f"{self.kind}-{self.object_id}"

    @property
    def sort_key(self) -> tuple[datetime.date, str, int]:
        return (self.due_on, self.kind, self.object_id)


@dataclass(frozen=True)
class DueQuery:
    """What a source is asked. `owners` narrows to the items of these users (a list or a
    subquery of user ids; None: everyone's); `start` None means every open item before `end`
    (the agenda and the reminders reach back to what is overdue)."""

    organization: Any
    viewer: Any  # a Membership, or None for pdca itself
    start: datetime.date | None
    end: datetime.date
    today: datetime.date
    owners: Any = None
    standard: str = ""
    limit: int | None = None
    # A page's cursor: nothing due before this day is wanted (the pages before showed it).
    after: datetime.date | None = None

    def date_range(self, field_name: str) -> dict[str, datetime.date]:
        """The filter of a date field on this query's range."""
        lookups = {f"{field_name}__lte": self.end}
        lower = self.start if self.after is None else max(self.start or self.after, self.after)
        if lower is not None:
            lookups[f"{field_name}__gte"] = lower
        return lookups

    def first_day(self, default: datetime.date) -> datetime.date:
        """The lower bound of a source whose open range starts at `default` (today, for what
        is never late), raised to the page's cursor."""
        first = self.start if self.start is not None else default
        return max(first, self.after) if self.after is not None else first

    def cut(self, queryset: Any) -> Any:
        return queryset[: self.limit] if self.limit is not None else queryset


SourceFn = Callable[[DueQuery], list[DueItem]]


@dataclass(frozen=True)
class DueSource:
    code: str
    label: str | Promise
    items: SourceFn
    permission: str
    order: int = 100
    reminders: bool = True  # whether the daily run reminds and escalates its items


SOURCES: dict[str, DueSource] = {}


def register_due_source(
    code: str,
    label: str | Promise,
    items: SourceFn,
    *,
    permission: str,
    order: int = 100,
    reminders: bool = True,
) -> None:
    """Add a kind of due item; `permission` is what a viewer needs to see any of them. Its
    reminders and escalations get their notification kinds here (pdca.core.reminders);
    `reminders=False` for a kind the app tells people about in its own way (records past
    retention are summed up per record type, not reminded one by one)."""
    from pdca.core.reminders import register_reminder_kinds

    SOURCES[code] = DueSource(code, label, items, permission, order, reminders)
    if reminders:
        register_reminder_kinds(code, label, permission)


def sources() -> list[DueSource]:
    return sorted(SOURCES.values(), key=lambda s: (s.order, s.code))


def kind_choices(*, reminded: bool = False) -> list[tuple[str, str]]:
    """(code, label) of every kind, or of the kinds the daily run reminds (`reminded`)."""
    return [(s.code, str(s.label)) for s in sources() if s.reminders or not reminded]


@dataclass
class DueFilters:
    scope: str = "mine"  # mine | department | everyone
    kinds: Iterable[str] = field(default_factory=list)
    standard: str = ""


def owners_for(membership: Any, scope: str) -> Any:
    """The users whose items a scope covers: the viewer, the viewer's department, or all."""
    from pdca.core.models import Membership

    if scope == "mine":
        return [membership.user_id]
    if scope == "department":
        if membership.department_id is None:
            return [membership.user_id]
        return Membership.objects.filter(
            organization=membership.organization, department_id=membership.department_id
        ).values("user_id")
    return None


def due_items(
    *,
    organization: Any,
    viewer: Any,
    start: datetime.date | None,
    end: datetime.date,
    today: datetime.date,
    filters: DueFilters | None = None,
    limit: int | None = None,
    after: tuple[datetime.date, int] | None = None,
) -> list[DueItem]:
    """Every source's items for `viewer` in the range, by due date, at most `limit` of them.

    `after` is an agenda page's cursor, (day, n): the items from that day on, less the first n
    of that day, which earlier pages showed. Each source is then asked for `limit + n` items
    from that day instead of every page's items from the start."""
    filters = filters or DueFilters(scope="everyone")
    kinds = set(filters.kinds)
    day, skip = after if after is not None else (None, 0)
    if limit is not None:
        limit += skip
    query = DueQuery(
        organization=organization,
        viewer=viewer,
        start=start,
        end=end,
        today=today,
        owners=owners_for(viewer, filters.scope) if viewer is not None else None,
        standard=filters.standard,
        limit=limit,
        after=day,
    )
    items: list[DueItem] = []
    for source in sources():
        if kinds and source.code not in kinds:
            continue
        if viewer is not None and not can(viewer, source.permission):
            continue
        found = source.items(query)
        items.extend(found if day is None else [i for i in found if i.due_on >= day])
        if limit is not None and len(items) >= limit:
            # The first `limit` items so far end on `cutoff`: later sources need nothing after
            # that day (what falls on it may still sort in), so a full month of one kind spares
            # the others building rows that would be cut.
            items.sort(key=lambda item: item.sort_key)
            del items[limit:]
            cutoff = items[-1].due_on
            if cutoff < query.end:
                query = dataclasses.replace(query, end=cutoff)
    items.sort(key=lambda item: item.sort_key)
    if skip:
        # The first items of the cursor's day are the ones earlier pages showed.
        shown = next((i for i, item in enumerate(items[:skip]) if item.due_on != day), skip)
        del items[:shown]
        limit = None if limit is None else limit - skip
    return items[:limit] if limit is not None else items


def url_maker(url_name: str, organization: Any) -> Callable[[int], str]:
    """pk -> the object's page, reversed once for the whole list (`<int:pk>` last in the URL)."""
    from django.urls import reverse

    head, _sep, tail = reverse(url_name, kwargs={"org": organization.slug, "pk": 0}).rpartition(
        "/0/"
    )
    return lambda pk: f"{head}/{pk}/{tail}"


def dated_items(
    query: DueQuery,
    qs: Any,
    *,
    kind: str,
    label: str,
    date: str,
    url_name: str,
    title: Callable[[dict[str, Any]], str],
    fields: tuple[str, ...] = (),
    owner: str = "owner",
    link: str = "pk",
    standards: Callable[[list[dict[str, Any]]], dict[int, tuple[str, ...]]] | None = None,
) -> list[DueItem]:
    """The common shape of a source. `qs` holds the organization's open rows; they are cut to
    the query's range (on `date`) and owners (the `owner` field), read in one query as dicts
    (`fields` besides what every item needs), and each links to `url_name` with the pk of its
    `link` field. `standards(rows)` gives each row's standard codes by the row's pk."""
    qs = qs.filter(**query.date_range(date))
    if query.owners is not None:
        qs = qs.filter(**{f"{owner}_id__in": query.owners})
    names = dict.fromkeys(
        ("pk", date, f"{owner}_id", f"{owner}__full_name", "updated_at", "version", link, *fields)
    )
    rows = list(query.cut(qs.order_by(date, "pk").values(*names)))
    by_pk = standards(rows) if standards and rows else {}
    url = url_maker(url_name, query.organization)
    model = qs.model._meta.label_lower
    return [
        DueItem(
            kind=kind,
            kind_label=label,
            title=title(row),
            due_on=row[date],
            url=url(row[link]),
            model=model,
            object_id=row["pk"],
            owner_id=row[f"{owner}_id"],
            owner_name=row[f"{owner}__full_name"] or "",
            standards=by_pk.get(row["pk"], ()),
            updated_at=row["updated_at"],
            version=row["version"],
            overdue=row[date] < query.today,
        )
        for row in rows
    ]


# The standards an organization works to, as filter choices: given by the standards app (core
# imports no domain app), (code, name) pairs.
STANDARD_CHOICES: list[Callable[[Any], list[tuple[str, str]]]] = []


def register_standard_choices(provider: Callable[[Any], list[tuple[str, str]]]) -> None:
    if provider not in STANDARD_CHOICES:
        STANDARD_CHOICES.append(provider)


def standard_choices(organization: Any) -> list[tuple[str, str]]:
    return [pair for provider in STANDARD_CHOICES for pair in provider(organization)]
