"""What the audit programme contributes to the due-item registry: audits not yet past their
fieldwork on their planned start (for the lead auditor; late once their planned end has
passed), and the sessions of an audit's plan on their day (for the auditee, or the lead
auditor when no auditee is named)."""

from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.audits.models import Audit, ScheduleEntry
from pdca.core.due import DueItem, DueQuery, url_maker


def _standards_of_audits(audit_ids: list[int]) -> dict[int, tuple[str, ...]]:
    if not audit_ids:
        return {}
    found: dict[int, set[str]] = defaultdict(set)
    rows = Audit.editions.through.objects.filter(audit_id__in=audit_ids).values_list(
        "audit_id", "edition__standard__code"
    )
    for audit_id, code in rows:
        found[audit_id].add(code)
    return {pk: tuple(sorted(codes)) for pk, codes in found.items()}


def planned_audits_due(query: DueQuery) -> list[DueItem]:
    qs = Audit.objects.filter(
        organization=query.organization,
        status__in=Audit.OPEN_STATUSES,
        **query.date_range("planned_start"),
    )
    if query.owners is not None:
        qs = qs.filter(lead_auditor_id__in=query.owners)
    if query.standard:
        qs = qs.filter(editions__standard__code=query.standard).distinct()
    rows = list(
        query.cut(
            qs.order_by("planned_start", "pk").values_list(
                "pk",
                "reference",
                "title",
                "planned_start",
                "planned_end",
                "lead_auditor_id",
                "lead_auditor__full_name",
                "updated_at",
                "version",
            )
        )
    )
    standards = _standards_of_audits([row[0] for row in rows])
    url = url_maker("audits:detail", query.organization)
    label = _("Audit")
    return [
        DueItem(
            kind="audits.audit",
            kind_label=label,
            title=f"{reference} {title}",
            due_on=start,
            url=url(pk),
            model="audits.audit",
            object_id=pk,
            owner_id=lead_id,
            owner_name=lead_name or "",
            standards=standards.get(pk, ()),
            updated_at=updated_at,
            version=version,
            overdue=end < query.today,
        )
        for pk, reference, title, start, end, lead_id, lead_name, updated_at, version in rows
    ]


def _day_range(query: DueQuery) -> dict[str, Any]:
    lookups: dict[str, Any] = {"starts_at__date__lte": query.end}
    lookups["starts_at__date__gte"] = query.first_day(query.today)
    return lookups


def audit_sessions_due(query: DueQuery) -> list[DueItem]:
    # A session is a meeting, never late: the agenda shows the ones still to come.
    qs = ScheduleEntry.objects.filter(
        organization=query.organization,
        audit__status__in=Audit.OPEN_STATUSES,
        **_day_range(query),
    )
    if query.owners is not None:
        qs = qs.filter(
            Q(auditee_id__in=query.owners)
            | Q(auditee__isnull=True, audit__lead_auditor_id__in=query.owners)
        )
    if query.standard:
        qs = qs.filter(audit__editions__standard__code=query.standard).distinct()
    rows = list(
        query.cut(
            qs.order_by("starts_at", "pk").values_list(
                "pk",
                "kind",
                "topic",
                "starts_at",
                "audit_id",
                "audit__reference",
                "auditee_id",
                "auditee__full_name",
                "audit__lead_auditor_id",
                "audit__lead_auditor__full_name",
                "updated_at",
                "version",
            )
        )
    )
    standards = _standards_of_audits(sorted({row[4] for row in rows}))
    url = url_maker("audits:detail", query.organization)
    label = _("Audit session")
    kinds = dict(ScheduleEntry.Kind.choices)
    return [
        DueItem(
            kind="audits.session",
            kind_label=label,
            title=f"{reference}: {topic or kinds.get(kind, kind)}",
            due_on=timezone.localtime(starts_at).date(),
            url=url(audit_id),
            model="audits.scheduleentry",
            object_id=pk,
            owner_id=auditee_id or lead_id,
            owner_name=(auditee_name if auditee_id else lead_name) or "",
            standards=standards.get(audit_id, ()),
            updated_at=updated_at,
            version=version,
        )
        for (
            pk,
            kind,
            topic,
            starts_at,
            audit_id,
            reference,
            auditee_id,
            auditee_name,
            lead_id,
            lead_name,
            updated_at,
            version,
        ) in rows
    ]
