"""Reads of nonconformities: the filtered list, the analysis figures, the dashboard items.

Every function here runs a fixed number of queries, whatever the number of rows.
"""

import datetime
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DateField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pdca.core.access import visible_rows
from pdca.core.aggregates import ListOf, split_list
from pdca.core.attention import Attention, capped_count
from pdca.core.caching import org_cached
from pdca.core.models import Department, Organization
from pdca.core.permissions import can
from pdca.improvement.models import (
    Category,
    CorrectiveAction,
    EffectivenessCheck,
    Nonconformity,
    Source,
)

OPEN_ACTION = [CorrectiveAction.Status.OPEN, CorrectiveAction.Status.IN_PROGRESS]


def raised_from(source: Any) -> Nonconformity | None:
    """The nonconformity raised from `source` (an audit finding, ...), if any."""
    return Nonconformity.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    ).first()


def raised_from_any(sources: QuerySet) -> QuerySet[Nonconformity]:
    """The nonconformities raised from any object of `sources` (one query with the caller's)."""
    return Nonconformity.objects.filter(
        source_type=ContentType.objects.get_for_model(sources.model),
        source_id__in=sources.values("pk"),
    )


def nonconformity_list(membership: Any, filters: dict[str, Any]) -> QuerySet[Nonconformity]:
    """The nonconformities the member may see (improvement.policies), filtered."""
    qs = (
        visible_rows(membership, Nonconformity)
        .select_related("owner", "process", "department")
        # The list shows none of the long texts: leave them in the database.
        .defer("description", "containment", "root_cause", "cancel_reason", "owner__password")
    )
    if filters.get("status") == "open":
        qs = qs.filter(status__in=Nonconformity.OPEN_STATUSES)
    elif filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("source"):
        qs = qs.filter(source=filters["source"])
    if filters.get("severity"):
        qs = qs.filter(severity=filters["severity"])
    if filters.get("process"):
        qs = qs.filter(process=filters["process"])
    if filters.get("owner"):
        qs = qs.filter(owner=filters["owner"])
    if filters.get("mine_user"):
        user = filters["mine_user"]
        mine = CorrectiveAction.objects.filter(owner=user).values("nonconformity_id")
        qs = qs.filter(Q(owner=user) | Q(pk__in=mine))
    if filters.get("needs"):
        qs = _needing(membership, qs, filters["needs"])
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return qs.order_by("-number")


def _needing(membership: Any, qs: QuerySet[Nonconformity], needs: str) -> QuerySet[Nonconformity]:
    """The nonconformities behind one of the dashboard's cards (NcFilterForm.needs)."""
    today = timezone.localdate()
    org = membership.organization
    actions = CorrectiveAction.objects.filter(organization=org, status__in=OPEN_ACTION)
    if needs == "overdue_actions":
        return qs.filter(pk__in=actions.filter(due_on__lt=today).values("nonconformity_id"))
    if needs == "my_actions":
        return qs.filter(
            pk__in=actions.filter(owner_id=membership.user_id).values("nonconformity_id")
        )
    if needs == "checks_due":
        checks = EffectivenessCheck.objects.filter(
            organization=org, result=EffectivenessCheck.Result.PENDING, planned_on__lte=today
        )
        return qs.filter(
            status__in=Nonconformity.OPEN_STATUSES, pk__in=checks.values("nonconformity_id")
        )
    return qs


def overdue_nc_ids(organization: Organization, ids: list[int], today: datetime.date) -> set[int]:
    return set(
        CorrectiveAction.objects.filter(
            organization=organization,
            nonconformity_id__in=ids,
            status__in=OPEN_ACTION,
            due_on__lt=today,
        ).values_list("nonconformity_id", flat=True)
    )


def counts_by_process(organization: Organization, since: datetime.date) -> dict[int, int]:
    """Nonconformities per process since a date (for the audit programme's risk hint)."""
    return dict(
        Nonconformity.objects.filter(
            organization=organization, found_on__gte=since, process__isnull=False
        )
        .exclude(status=Nonconformity.Status.CANCELLED)
        .values_list("process")
        .annotate(n=Count("pk"))
        .values_list("process", "n")
    )


def analysis(organization: Organization, *, today: datetime.date | None = None) -> dict[str, Any]:
    """The figures of the analysis page, computed once per change of the nonconformities or of
    the processes and departments they name (each is a grouped count over every nonconformity;
    see core.caching). Every module that raises a nonconformity does so through this app's
    services, so their entries are this app's."""
    if today is not None:
        return _analysis(organization, today)
    return org_cached(
        organization,
        f"improvement.analysis.{get_language()}",  # the chart labels are in the reader's language
        lambda: _analysis(organization, timezone.localdate()),
        topics=("improvement", "standards", "core"),
    )


def _analysis(organization: Organization, today: datetime.date) -> dict[str, Any]:
    """The figures, in a fixed number of grouped queries."""
    base = Nonconformity.objects.filter(organization=organization).exclude(
        status=Nonconformity.Status.CANCELLED
    )
    # Source, root-cause category, department and status in one grouped scan of the index
    # (at most a few hundred groups), summed here: four counts for the price of one.
    by_source: dict[str, int] = defaultdict(int)
    by_category: dict[str, int] = defaultdict(int)
    department_counts: dict[int, int] = defaultdict(int)
    open_count = 0
    for source, category, department_id, status, n in (
        base.values_list("source", "root_cause_category", "department_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_source[source] += n
        by_category[category] += n
        if department_id is not None:
            department_counts[department_id] += n
        if status in Nonconformity.OPEN_STATUSES:
            open_count += n
    department_names = dict(
        Department.objects.filter(organization=organization, pk__in=department_counts).values_list(
            "pk", "name"
        )
    )
    by_department = sorted(
        ((department_names[pk], n) for pk, n in department_counts.items()),
        key=lambda row: (-row[1], row[0]),
    )[:15]
    by_clause = list(
        base.filter(clauses__isnull=False)
        .values("clauses__number")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "clauses__number")[:15]
    )
    start = (today.replace(day=1) - datetime.timedelta(days=365)).replace(day=1)
    # Grouped by day, then by month here: SQLite's month function is a Python callback per row.
    months: dict[str, int] = defaultdict(int)
    for day, n in (
        base.filter(found_on__gte=start)
        .values_list("found_on")
        .annotate(n=Count("pk"))
        .values_list("found_on", "n")
        .order_by()
    ):
        months[day.strftime("%Y-%m")] += n
    month_labels = []
    d = start
    while d <= today:
        month_labels.append(d.strftime("%Y-%m"))
        d = (d + datetime.timedelta(days=32)).replace(day=1)
    # Mean time to close over the latest 500 closures: the same cost at any history size.
    closures = list(
        base.filter(status=Nonconformity.Status.CLOSED, closed_at__isnull=False)
        .order_by("-closed_at")
        .values_list("found_on", "closed_at")[:500]
    )
    mean_days = (
        round(sum((c.date() - f).days for f, c in closures if c) / len(closures), 1)
        if closures
        else None
    )
    overdue = CorrectiveAction.objects.filter(
        organization=organization, status__in=OPEN_ACTION, due_on__lt=today
    ).count()
    return {
        "by_source": [(str(Source(k).label), by_source.get(k, 0)) for k in Source.values],
        "by_category": [(str(Category(k).label), by_category.get(k, 0)) for k in Category.values],
        "by_department": by_department,
        "by_clause": [(r["clauses__number"], r["n"]) for r in by_clause],
        "by_month": [(m, months.get(m, 0)) for m in month_labels],
        "mean_days_to_close": mean_days,
        "closures_sampled": len(closures),
        "overdue_actions": overdue,
        "open_count": open_count,
        "recurrences": recurrences(organization, today=today),
    }


def recurrences(
    organization: Organization, *, today: datetime.date, limit: int = 50
) -> list[dict[str, Any]]:
    """Clauses and processes with more than one nonconformity in the last 12 months, most first.

    One query: the database counts the groups and lists each group's nonconformity numbers;
    the first ten numbers of each group are shown."""
    since = today - datetime.timedelta(days=365)
    through = Nonconformity.clauses.through
    groups = (
        through.objects.filter(
            nonconformity__organization=organization,
            nonconformity__found_on__gte=since,
            nonconformity__process__isnull=False,
        )
        .exclude(nonconformity__status=Nonconformity.Status.CANCELLED)
        .values_list(
            "clause_id",
            "nonconformity__process_id",
            "clause__number",
            "nonconformity__process__name",
        )
        .annotate(n=Count("nonconformity_id"), numbers=ListOf("nonconformity__number"))
        .filter(Q(n__gt=1))  # (a Q: the type checker cannot see the annotation)
        .order_by("-n", "clause_id", "nonconformity__process_id")[:limit]
    )
    return [
        {
            "clause": clause,
            "process": process,
            "count": count,
            "numbers": [f"NC-{n:04d}" for n in sorted(map(int, split_list(numbers)))[:10]],
        }
        for _clause_id, _process_id, clause, process, count, numbers in groups
    ]


def recurring_ids(organization: Organization, ids: list[int], today: datetime.date) -> set[int]:
    """Which of `ids` recur: another nonconformity on the same clause and process was found
    within 12 months before or after it (cancelled ones do not count).

    One query: each of the page's (nonconformity, clause) rows asks whether such another one
    exists, so the database stops at the first it finds."""
    if not ids:
        return set()
    through = Nonconformity.clauses.through
    year = datetime.timedelta(days=365)
    found_on = OuterRef("nonconformity__found_on")
    another = (
        through.objects.filter(
            clause_id=OuterRef("clause_id"),
            nonconformity__process_id=OuterRef("nonconformity__process_id"),
            nonconformity__organization=organization,
            nonconformity__found_on__gte=Cast(found_on - year, DateField()),
            nonconformity__found_on__lte=Cast(found_on + year, DateField()),
        )
        .exclude(nonconformity_id=OuterRef("nonconformity_id"))
        .exclude(nonconformity__status=Nonconformity.Status.CANCELLED)
    )
    return set(
        through.objects.filter(nonconformity_id__in=ids, nonconformity__process__isnull=False)
        .exclude(nonconformity__status=Nonconformity.Status.CANCELLED)
        .filter(Exists(another))
        .values_list("nonconformity_id", flat=True)
    )


def attention(membership: Any) -> list[Attention]:
    """Nonconformities with my open actions, with overdue actions (for those who manage them),
    awaiting analysis, with effectiveness checks due: 4 counts. Each card counts the rows of
    the list it opens (the same selector, the same filters), so its number is the list's length.
    """
    if not can(membership, "improvement.view"):
        return []
    org = membership.organization
    base = reverse("improvement:list", kwargs={"org": org.slug})

    def count(**filters: str) -> int:
        return capped_count(nonconformity_list(membership, filters))

    cards: list[tuple[str, dict[str, str], str]] = [
        (_("Nonconformities with your open actions"), {"needs": "my_actions"}, "info")
    ]
    # The organization-wide cards go to those who can act on them.
    if can(membership, "improvement.manage"):
        cards.append(
            (_("Nonconformities with overdue actions"), {"needs": "overdue_actions"}, "danger")
        )
        cards.append(
            (
                _("Nonconformities awaiting analysis"),
                {"status": Nonconformity.Status.OPEN.value},
                "warning",
            )
        )
    if can(membership, "improvement.verify"):
        cards.append(
            (_("Nonconformities with effectiveness checks due"), {"needs": "checks_due"}, "warning")
        )
    items = []
    for title, filters, severity in cards:
        if number := count(**filters):
            items.append(
                Attention(
                    title,
                    base + "?" + urlencode(filters),
                    number,
                    severity,
                    module="improvement",
                )
            )
    return items


def actioned_nc_editions(organization: Organization) -> set[int]:
    """The standards (edition ids, through the clauses it names) of a nonconformity recorded
    with its corrective action: the records of nonconformities and actions 10.2 asks to retain
    (a cancelled one is no such record)."""
    return set(
        Nonconformity.clauses.through.objects.filter(
            nonconformity__organization=organization,
            nonconformity__actions__isnull=False,
        )
        .exclude(nonconformity__status=Nonconformity.Status.CANCELLED)
        .values_list("clause__edition_id", flat=True)
        .distinct()
    )
