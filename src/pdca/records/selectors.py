"""Reads of the records register: visible records, the disposal queue, attention."""

from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core.access import visible_rows
from pdca.core.attention import Attention, capped_count
from pdca.core.permissions import can, visible_for
from pdca.records.models import Record, RecordStatus, RecordType


def visible_types(membership: Any) -> QuerySet[RecordType]:
    return visible_rows(membership, RecordType)


def visible_records(membership: Any) -> QuerySet[Record]:
    # Visibility is decided per type (a handful of rows), so the records query needs no join;
    # and when every type is visible (a manager) it needs no type filter either, which lets the
    # database walk the (organization, date) index in page order instead of sorting every row.
    # The types are judged by the policy's visibility rule (records.policies.visible); a rule
    # that is not on the types is the records' own filter.
    by_type = visible_for(membership, RecordType)
    if not by_type:
        return visible_rows(membership, Record)
    types = (
        RecordType.objects.filter(organization=membership.organization)
        .annotate(
            seen=Case(
                When(by_type, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .values_list("pk", "seen")
    )
    visible = [pk for pk, seen in types if seen]
    records = Record.objects.filter(organization=membership.organization)
    if len(visible) == len(types):
        return records
    return records.filter(record_type_id__in=visible)


def record_list(membership: Any, data: dict[str, Any]) -> QuerySet[Record]:
    qs = visible_records(membership)
    today = timezone.localdate()
    if data.get("record_type"):
        qs = qs.filter(record_type=data["record_type"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("q"):
        q = data["q"]
        qs = qs.filter(Q(title__icontains=q) | Q(reference__icontains=q))
    queue = data.get("queue")
    if queue == "disposal":
        # Longest past retention first.
        qs = qs.filter(status=RecordStatus.KEPT, retention_until__lt=today, legal_hold=False)
        return qs.select_related("record_type").order_by("retention_until", "pk")
    if queue == "hold":
        qs = qs.filter(legal_hold=True)
    return qs.select_related("record_type").order_by("-date", "-pk")


def records_attention(membership: Any) -> list[Attention]:
    """Records past retention waiting for disposal, for those who may dispose of them."""
    if not can(membership, "records.dispose"):
        return []
    # The card counts the list it opens, the disposal queue of the records this member sees
    # (the partial disposal index holds exactly these rows).
    waiting = capped_count(record_list(membership, {"queue": "disposal"}))
    if not waiting:
        return []
    url = reverse("records:list", kwargs={"org": membership.organization.slug}) + "?queue=disposal"
    return [
        Attention(
            _("Records past retention, waiting for disposal"),
            url,
            waiting,
            "warning",
            module="records",
        )
    ]
