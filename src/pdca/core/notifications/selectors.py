"""Reading notifications: the bell's count and the list, which checks visibility again."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from pdca.core.models import Membership, Notification
from pdca.core.notifications.registry import KINDS


def notifications_of(membership: Membership) -> QuerySet[Notification]:
    return Notification.objects.filter(
        organization_id=membership.organization_id, recipient_id=membership.user_id
    )


def unread_count(membership: Membership) -> int:
    """The bell's number: one query."""
    return notifications_of(membership).filter(read_at__isnull=True).count()


@dataclass
class Row:
    n: Notification
    visible: bool
    sentence: str
    kind: str


def rows_for(membership: Membership, notifications: list[Notification]) -> list[Row]:
    """The notifications as the list shows them: the object's title only while the member may
    still see it (one query per kind of object on the page, not per row)."""
    from pdca.core.notifications import may_see

    wanted: dict[int, set[int]] = defaultdict(set)
    for n in notifications:
        if n.target_type_id and n.target_id:
            wanted[n.target_type_id].add(n.target_id)
    related: dict[int, set[str]] = defaultdict(set)
    for n in notifications:
        kind = KINDS.get(n.kind)
        if kind and n.target_type_id:
            related[n.target_type_id].update(kind.related)
    objects: dict[tuple[int | None, int | None], Any] = {}
    for ct_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        qs = model._base_manager.filter(pk__in=ids)
        if related[ct_id]:
            qs = qs.select_related(*related[ct_id])
        objects.update({(ct_id, o.pk): o for o in qs})
    rows = []
    for n in notifications:
        kind = KINDS.get(n.kind)
        obj = objects.get((n.target_type_id, n.target_id)) if n.target_id else None
        visible = (
            kind is not None
            and (obj is not None or not n.target_id)
            and may_see(membership, kind, obj)
        )
        sentence = kind.sentence(n.title, n.data) if kind and visible else ""
        rows.append(Row(n, visible, sentence, str(kind.label) if kind else n.kind))
    return rows
