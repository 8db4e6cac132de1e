"""What objectives contribute to the due-item registry: a KPI's next measurement (for its
owner, the 10th day after its period ends), an objective's deadline (for its owner) and the
open actions of the objectives' plans (for their owners)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pdca.core.due import DueItem, DueQuery, url_maker
from pdca.objectives.models import (
    Indicator,
    Objective,
    ObjectiveAction,
    next_period,
    period_label,
)


def _standards(qs: QuerySet[Any], query: DueQuery, path: str) -> QuerySet[Any]:
    if query.standard:
        return qs.filter(**{f"{path}editions__standard__code": query.standard}).distinct()
    return qs


def measurements_due(query: DueQuery) -> list[DueItem]:
    qs: QuerySet[Any] = Indicator.objects.filter(
        organization=query.organization, is_active=True, **query.date_range("next_due_on")
    )
    if query.owners is not None:
        qs = qs.filter(owner_id__in=query.owners)
    qs = _standards(qs, query, "objective__")
    rows = query.cut(
        qs.order_by("next_due_on", "pk").values_list(
            "pk",
            "name",
            "next_due_on",
            "owner_id",
            "owner__full_name",
            "frequency",
            "first_period",
            "last_period",
            "updated_at",
            "version",
        )
    )
    url = url_maker("objectives:record", query.organization)
    items = []
    for pk, name, due, owner_id, owner_name, frequency, first, last, updated, version in rows:
        period = next_period(last, frequency) if last else first
        items.append(
            DueItem(
                kind="objectives.measurement",
                kind_label=_("KPI measurement"),
                title=f"{name}, {period_label(period, frequency)}",
                due_on=due,
                url=url(pk),
                model="objectives.indicator",
                object_id=pk,
                owner_id=owner_id,
                owner_name=owner_name or "",
                updated_at=updated,
                version=version,
                overdue=due < query.today,
            )
        )
    return items


def deadlines_due(query: DueQuery) -> list[DueItem]:
    qs: QuerySet[Any] = Objective.objects.filter(
        organization=query.organization,
        status__in=Objective.OPEN_STATUSES,
        deadline__isnull=False,
        **query.date_range("deadline"),
    )
    if query.owners is not None:
        qs = qs.filter(owner_id__in=query.owners)
    qs = _standards(qs, query, "")
    rows = query.cut(
        qs.order_by("deadline", "pk").values_list(
            "pk", "title", "deadline", "owner_id", "owner__full_name", "updated_at", "version"
        )
    )
    url = url_maker("objectives:detail", query.organization)
    return [
        DueItem(
            kind="objectives.deadline",
            kind_label=_("Objective deadline"),
            title=title,
            due_on=due,
            url=url(pk),
            model="objectives.objective",
            object_id=pk,
            owner_id=owner_id,
            owner_name=owner_name or "",
            updated_at=updated,
            version=version,
            overdue=due < query.today,
        )
        for pk, title, due, owner_id, owner_name, updated, version in rows
    ]


def actions_due(query: DueQuery) -> list[DueItem]:
    qs: QuerySet[Any] = ObjectiveAction.objects.filter(
        organization=query.organization,
        status__in=ObjectiveAction.OPEN_STATUSES,
        **query.date_range("due_on"),
    )
    if query.owners is not None:
        qs = qs.filter(owner_id__in=query.owners)
    qs = _standards(qs, query, "objective__")
    rows = query.cut(
        qs.order_by("due_on", "pk").values_list(
            "pk",
            "title",
            "due_on",
            "owner_id",
            "owner__full_name",
            "objective_id",
            "updated_at",
            "version",
        )
    )
    url = url_maker("objectives:detail", query.organization)
    return [
        DueItem(
            kind="objectives.action",
            kind_label=_("Objective action"),
            title=title,
            due_on=due,
            url=url(objective_id),
            model="objectives.objectiveaction",
            object_id=pk,
            owner_id=owner_id,
            owner_name=owner_name or "",
            updated_at=updated,
            version=version,
            overdue=due < query.today,
        )
        for pk, title, due, owner_id, owner_name, objective_id, updated, version in rows
    ]
