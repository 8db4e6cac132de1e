"""What the records register contributes to the due-item registry: the end of each kept
record's retention (not on legal hold), when it falls due for disposal, for its type's owner;
only records of the types the viewer may see."""

from django.utils.translation import gettext as _

from pdca.core.due import DueItem, DueQuery, url_maker
from pdca.records.models import Record, RecordStatus, RecordType
from pdca.records.selectors import visible_records
from pdca.standards.due import evidence_of_standard, evidence_standards


def retention_ends_due(query: DueQuery) -> list[DueItem]:
    qs = (
        visible_records(query.viewer)
        if query.viewer is not None
        else Record.objects.filter(organization=query.organization)
    )
    qs = qs.filter(
        status=RecordStatus.KEPT, legal_hold=False, **query.date_range("retention_until")
    )
    if query.owners is not None:
        # The owners' types first (a handful of rows), so that the database seeks the records
        # of those types by their retention (record_type_retention_due) instead of walking
        # every kept record's retention in order looking for them. [0] when they own none:
        # the query is made all the same, so the number of queries stays the same.
        owned = list(
            RecordType.objects.filter(
                organization=query.organization, owner_id__in=query.owners
            ).values_list("pk", flat=True)
        )
        qs = qs.filter(record_type_id__in=owned or [0])
    if query.standard:
        qs = qs.filter(evidence_of_standard(query.organization, Record, query.standard))
    rows = list(
        query.cut(
            qs.order_by("retention_until", "pk").values_list(
                "pk",
                "reference",
                "title",
                "retention_until",
                "record_type__owner_id",
                "record_type__owner__full_name",
                "updated_at",
                "version",
            )
        )
    )
    standards = evidence_standards(query.organization, Record, [row[0] for row in rows])
    url = url_maker("records:detail", query.organization)
    label = _("Retention ends")
    return [
        DueItem(
            kind="records.retention",
            kind_label=label,
            title=f"{reference} {title}".strip(),
            due_on=until,
            url=url(pk),
            model="records.record",
            object_id=pk,
            owner_id=owner_id,
            owner_name=owner_name or "",
            standards=standards.get(pk, ()),
            updated_at=updated_at,
            version=version,
            overdue=until < query.today,
        )
        for pk, reference, title, until, owner_id, owner_name, updated_at, version in rows
    ]
