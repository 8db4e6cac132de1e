"""What the standards app contributes to the due-item registry: roadmap actions by their due
date. Also the link from any object to the standards it serves, which the other apps' sources
use to show and filter their items by standard."""

from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from pdca.core.due import DueItem, DueQuery
from pdca.standards.models import EvidenceLink, RoadmapAction


def evidence_standards(organization: Any, model: type[Model], ids: list[int]) -> dict[int, tuple]:
    """{object id: standard codes} of the clauses these objects are linked to as evidence (one
    query)."""
    if not ids:
        return {}
    found: dict[int, set[str]] = defaultdict(set)
    rows = EvidenceLink.objects.filter(
        organization=organization,
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=ids,
    ).values_list("object_id", "clause__edition__standard__code")
    for object_id, code in rows:
        found[object_id].add(code)
    return {pk: tuple(sorted(codes)) for pk, codes in found.items()}


def evidence_of_standard(organization: Any, model: type[Model], code: str) -> Q:
    """A filter on `model` for the objects linked as evidence to a clause of standard `code`."""
    linked = EvidenceLink.objects.filter(
        organization=organization,
        content_type=ContentType.objects.get_for_model(model),
        clause__edition__standard__code=code,
    ).values("object_id")
    return Q(pk__in=linked)


def roadmap_actions_due(query: DueQuery) -> list[DueItem]:
    qs = RoadmapAction.objects.filter(
        organization=query.organization,
        status__in=RoadmapAction.OPEN_STATUSES,
        **query.date_range("due_on"),
    )
    if query.owners is not None:
        qs = qs.filter(owner_id__in=query.owners)
    if query.standard:
        qs = qs.filter(clause__edition__standard__code=query.standard)
    rows = query.cut(
        qs.order_by("due_on", "pk").values_list(
            "pk",
            "title",
            "due_on",
            "owner_id",
            "owner__full_name",
            "clause__edition__standard__code",
            "updated_at",
            "version",
        )
    )
    label = _("Roadmap action")
    url = reverse("standards:roadmap", kwargs={"org": query.organization.slug})
    return [
        DueItem(
            kind="standards.roadmap",
            kind_label=label,
            title=title,
            due_on=due_on,
            url=url,
            model="standards.roadmapaction",
            object_id=pk,
            owner_id=owner_id,
            owner_name=owner_name or "",
            standards=(code,) if code else (),
            updated_at=updated_at,
            version=version,
            overdue=due_on < query.today,
        )
        for pk, title, due_on, owner_id, owner_name, code, updated_at, version in rows
    ]


def org_standard_choices(organization: Any) -> list[tuple[str, str]]:
    """The standards in the organization's scope, for the calendar's filter."""
    from pdca.standards.models import OrgStandard

    return list(
        OrgStandard.objects.filter(organization=organization)
        .order_by("edition__standard__code")
        .values_list("edition__standard__code", "edition__standard__name")
        .distinct()
    )
