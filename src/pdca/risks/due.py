"""What the register contributes to the due-item registry: the review dates of open risks and
opportunities (for their owner) and the due dates of open actions on them (for the action's
owner). Both link to the entry's page; two queries each however many rows."""

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pdca.core.due import DueItem, DueQuery, dated_items
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
    query: DueQuery, qs: QuerySet[Any], *, date: str, kind: str, label: str, prefix: str
) -> list[DueItem]:
    """`prefix` leads from the row to its risk ("" for the risk itself, "risk__" for an
    action): the item links to the risk's page and carries its reference and standards."""
    if query.standard:
        qs = qs.filter(**{f"{prefix}standards__code": query.standard}).distinct()
    risk = f"{prefix}pk" if prefix else "pk"

    def standards(rows: list[dict[str, Any]]) -> dict[int, tuple[str, ...]]:
        by_risk = _standards_of(sorted({r[risk] for r in rows}))
        return {r["pk"]: by_risk.get(r[risk], ()) for r in rows}

    return dated_items(
        query,
        qs,
        kind=kind,
        label=label,
        date=date,
        url_name="risks:detail",
        link=risk,
        fields=("title", f"{prefix}kind", f"{prefix}number"),
        title=lambda r: f"{_reference(r[f'{prefix}kind'], r[f'{prefix}number'])} {r['title']}",
        standards=standards,
    )


def risk_reviews_due(query: DueQuery) -> list[DueItem]:
    qs = Risk.objects.filter(organization=query.organization, status=Risk.Status.OPEN)
    return _items(
        query, qs, date="review_on", kind="risks.review", label=_("Risk review"), prefix=""
    )


def risk_actions_due(query: DueQuery) -> list[DueItem]:
    qs = RiskAction.objects.filter(
        organization=query.organization,
        status__in=RiskAction.OPEN_STATUSES,
        risk__status=Risk.Status.OPEN,
    )
    return _items(
        query,
        qs,
        date="due_on",
        kind="risks.action",
        label=_("Action on a risk"),
        prefix="risk__",
    )
