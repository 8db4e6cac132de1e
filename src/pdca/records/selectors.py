"""Reads of the records register: visible records, the disposal queue, attention."""

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core.attention import Attention
from pdca.core.permissions import can
from pdca.documents.visibility import visible_q
from pdca.records.models import Record, RecordStatus, RecordType


def visible_types(membership: Any) -> QuerySet[RecordType]:
    return RecordType.objects.filter(organization=membership.organization).filter(
        visible_q(membership, level="confidentiality", roles="allowed_roles", owner="owner")
    )


def visible_records(membership: Any) -> QuerySet[Record]:
    # Visibility is decided per type (a handful of rows), so the records query needs no join.
    type_ids = list(visible_types(membership).values_list("pk", flat=True))
    return Record.objects.filter(organization=membership.organization, record_type_id__in=type_ids)


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
    today = timezone.localdate()
    # Every condition sits in the disposal-queue index, so the count never reads the table.
    waiting = Record.objects.filter(
        organization=membership.organization,
        status=RecordStatus.KEPT,
        legal_hold=False,
        retention_until__lt=today,
    ).count()
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
