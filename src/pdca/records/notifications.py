"""Telling the owner of a record type when its records have passed their retention and wait
to be disposed of (or held)."""

import datetime

from django.db import transaction
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pdca.core.notifications import NotificationKind, notify, register_kinds
from pdca.records.models import Record, RecordStatus, RecordType


def register() -> None:
    register_kinds(
        NotificationKind(
            "records.retention_passed",
            _("Records past their retention"),
            _(
                "%(count)s record(s) of the type %(title)s are past their retention: "
                "dispose of them or hold them."
            ),
            permission="records.view",
        ),
    )


def retention_passed(*, today: datetime.date | None = None) -> int:
    """One notification per record type whose newest record past retention is new since the
    last one (the key is the type and that date), so the owner is not told the same daily."""
    today = today or timezone.localdate()
    due = (
        Record.objects.filter(status=RecordStatus.KEPT, legal_hold=False, retention_until__lt=today)
        .values("record_type_id")
        .annotate(count=Count("pk"), newest=Max("retention_until"))
    )
    by_type = {row["record_type_id"]: row for row in due}
    told = 0
    types = RecordType.objects.filter(pk__in=by_type).select_related("organization")
    for rtype in types:
        row = by_type[rtype.pk]
        with transaction.atomic():
            told += len(
                notify(
                    kind="records.retention_passed",
                    organization=rtype.organization,
                    recipients=[rtype.owner_id],
                    obj=rtype,
                    key=f"records.retention_passed:{rtype.pk}:{row['newest'].isoformat()}",
                    url=reverse("records:list", kwargs={"org": rtype.organization.slug})
                    + f"?record_type={rtype.pk}&queue=disposal",
                    data={"count": row["count"]},
                )
            )
    return told
