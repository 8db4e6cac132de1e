"""What the register contributes to the due-item registry: the review dates of open risks and
opportunities (for their owner) and the due dates of open actions on them (for the action's
owner). Both link to the entry's page; two queries each however many rows."""

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pdca.core.due import DueItem, DueQuery, url_maker
from pdca.risks.models import Kind, Risk, RiskAction


def _standards_of(risk_ids: list[int]) -> dict[int, tuple[str, ...]]:
    if not risk_ids:
        return {}
    found: dict[int, set[str]] = defaultdict(set)
    rows = Risk.standards.through.objects.filter(risk_id__in=risk_ids).values_list(
        "risk_id", "standard__code"
    )
    for risk_id, code in rows:
        found[risk_id].add(code)
    return {pk: tuple(sorted(codes)) for pk, codes in found.items()}


def _reference(kind: str, number: int) -> str:
    return f"{'O' if kind == Kind.OPPORTUNITY else 'R'}-{number:04d}"


def _items(
    query: DueQuery,
    qs: QuerySet[Any],
    fields: tuple[str, ...],
    *,
    kind: str,
    label: str,
    prefix: str,
) -> list[DueItem]:
    if query.standard:
        qs = qs.filter(**{f"{prefix}standards__code": query.standard}).distinct()
    rows = list(
        query.cut(
            qs.order_by(fields[2], "pk").values_list(
                *fields, f"{prefix}pk", f"{prefix}kind", f"{prefix}number", "updated_at", "version"
            )
        )
    )
    standards = _standards_of(sorted({row[5] for row in rows}))
    url = url_maker("risks:detail", query.organization)
    return [
        DueItem(
            kind=kind,
            kind_label=label,
            title=f"{_reference(risk_kind, number)} {title}",
            due_on=due,
            url=url(risk_id),
            model=qs.model._meta.label_lower,
            object_id=pk,
            owner_id=owner_id,
            owner_name=owner_name or "",
            standards=standards.get(risk_id, ()),
            updated_at=updated_at,
            version=version,
            overdue=due < query.today,
        )
        for (
            pk,
            title,
            due,
            owner_id,
            owner_name,
            risk_id,
            risk_kind,
            number,
            updated_at,
            version,
        ) in rows
    ]


def risk_reviews_due(query: DueQuery) -> list[DueItem]:
    qs = Risk.objects.filter(
        organization=query.organization, status=Risk.Status.OPEN, **query.date_range("review_on")
    )
    if query.owners is not None:
        qs = qs.filter(owner_id__in=query.owners)
    return _items(
        query,
        qs,
        ("pk", "title", "review_on", "owner_id", "owner__full_name"),
        kind="risks.review",
        label=_("Risk review"),
        prefix="",
    )


def risk_actions_due(query: DueQuery) -> list[DueItem]:
    qs = RiskAction.objects.filter(
        organization=query.organization,
        status__in=RiskAction.OPEN_STATUSES,
        risk__status=Risk.Status.OPEN,
        **query.date_range("due_on"),
    )
    if query.owners is not None:
        qs = qs.filter(owner_id__in=query.owners)
    return _items(
        query,
        qs,
        ("pk", "title", "due_on", "owner_id", "owner__full_name"),
        kind="risks.action",
        label=_("Action on a risk"),
        prefix="risk__",
    )
