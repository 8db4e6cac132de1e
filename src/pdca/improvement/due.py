"""What improvement contributes to the due-item registry: open corrective actions by their due
date (for their owner) and pending effectiveness checks by their planned date (for their
verifier). Both link to their nonconformity's page."""

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pdca.core.due import DueItem, DueQuery, url_maker
from pdca.improvement.models import CorrectiveAction, EffectivenessCheck, Nonconformity


def _standards_of_ncs(nc_ids: list[int]) -> dict[int, tuple[str, ...]]:
    if not nc_ids:
        return {}
    found: dict[int, set[str]] = defaultdict(set)
    rows = Nonconformity.clauses.through.objects.filter(nonconformity_id__in=nc_ids).values_list(
        "nonconformity_id", "clause__edition__standard__code"
    )
    for nc_id, code in rows:
        found[nc_id].add(code)
    return {pk: tuple(sorted(codes)) for pk, codes in found.items()}


# What each kind reads, in the order _items() takes them apart: its id, title, due date,
# owner and owner's name (an effectiveness check's verifier), then the nonconformity's.
NC_FIELDS = (
    "nonconformity_id",
    "nonconformity__number",
    "nonconformity__department_id",
    "updated_at",
    "version",
)


def _items(
    query: DueQuery, qs: QuerySet[Any], fields: tuple[str, ...], *, kind: str, label: str
) -> list[DueItem]:
    if query.standard:
        qs = qs.filter(nonconformity__clauses__edition__standard__code=query.standard).distinct()
    rows = list(query.cut(qs.order_by(fields[2], "pk").values_list(*fields, *NC_FIELDS)))
    standards = _standards_of_ncs(sorted({row[5] for row in rows}))
    url = url_maker("improvement:detail", query.organization)
    return [
        DueItem(
            kind=kind,
            kind_label=label,
            title=f"NC-{number:04d} {title}",
            due_on=due,
            url=url(nc_id),
            model=qs.model._meta.label_lower,
            object_id=pk,
            owner_id=owner_id,
            owner_name=owner_name or "",
            department_id=department_id,
            standards=standards.get(nc_id, ()),
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
            nc_id,
            number,
            department_id,
            updated_at,
            version,
        ) in rows
    ]


def corrective_actions_due(query: DueQuery) -> list[DueItem]:
    qs = CorrectiveAction.objects.filter(
        organization=query.organization,
        status__in=CorrectiveAction.OPEN_STATUSES,
        **query.date_range("due_on"),
    )
    if query.owners is not None:
        qs = qs.filter(owner_id__in=query.owners)
    return _items(
        query,
        qs,
        ("pk", "title", "due_on", "owner_id", "owner__full_name"),
        kind="improvement.action",
        label=_("Corrective action"),
    )


def effectiveness_checks_due(query: DueQuery) -> list[DueItem]:
    qs = EffectivenessCheck.objects.filter(
        organization=query.organization,
        result=EffectivenessCheck.Result.PENDING,
        nonconformity__status__in=Nonconformity.OPEN_STATUSES,
        **query.date_range("planned_on"),
    )
    if query.owners is not None:
        qs = qs.filter(verifier_id__in=query.owners)
    return _items(
        query,
        qs,
        ("pk", "nonconformity__title", "planned_on", "verifier_id", "verifier__full_name"),
        kind="improvement.effectiveness",
        label=_("Effectiveness check"),
    )
