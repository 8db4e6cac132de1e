"""What certification contributes to the due-item registry: the planned external audits (the
next surveillance window, the recertification), the expiry of each valid certificate, and the
body's deadline for the response to each open nonconformity it raised. None has an owner of its
own: once overdue, the reminder run escalates them to the management representatives."""

from django.utils.translation import gettext as _

from pdca.certification.models import Certificate, ExternalAudit, ExternalFinding
from pdca.core.access import visible_rows
from pdca.core.due import DueItem, DueQuery, url_maker
from pdca.core.roles import Role


def _shown(query: DueQuery) -> bool:
    """Nobody owns these: they are in everyone's views, the reminder run, and the own views
    ("mine") of the management representatives and top management, who answer for them."""
    if query.owners is None:
        return True
    viewer = query.viewer
    return (
        viewer is not None
        and isinstance(query.owners, list)
        and viewer.user_id in query.owners
        and viewer.has_role(Role.MANAGEMENT_REP, Role.TOP_MANAGEMENT)
    )


def _standard_filter(query: DueQuery, path: str) -> dict[str, str]:
    return {f"{path}__edition__standard__code": query.standard} if query.standard else {}


def external_audits_due(query: DueQuery) -> list[DueItem]:
    if not _shown(query):
        return []
    qs = (
        (visible_rows(query.viewer, ExternalAudit) if query.viewer else ExternalAudit.objects)
        .filter(
            organization=query.organization,
            status=ExternalAudit.Status.PLANNED,
            **query.date_range("starts_on"),
            **_standard_filter(query, "standards"),
        )
        .distinct()
    )
    rows = query.cut(
        qs.order_by("starts_on", "pk").values_list(
            "pk", "kind", "starts_on", "body__name", "updated_at", "version"
        )
    )
    url = url_maker("certification:audit", query.organization)
    labels = dict(ExternalAudit.Kind.choices)
    return [
        DueItem(
            kind="certification.audit",
            kind_label=_("External audit"),
            title=f"{labels[kind]} ({body})",
            due_on=due,
            url=url(pk),
            model="certification.externalaudit",
            object_id=pk,
            owner_id=None,
            updated_at=updated_at,
            version=version,
            overdue=due < query.today,
        )
        for pk, kind, due, body, updated_at, version in rows
    ]


def certificate_expiry_due(query: DueQuery) -> list[DueItem]:
    if not _shown(query):
        return []
    qs = Certificate.objects.filter(
        organization=query.organization,
        status__in=Certificate.VALID_STATUSES,
        **query.date_range("expires_on"),
        **_standard_filter(query, "standards"),
    ).distinct()
    rows = query.cut(
        qs.order_by("expires_on", "pk").values_list(
            "pk", "number", "expires_on", "body__name", "updated_at", "version"
        )
    )
    url = url_maker("certification:certificate", query.organization)
    return [
        DueItem(
            kind="certification.expiry",
            kind_label=_("Certificate expiry"),
            title=_("Certificate %(number)s (%(body)s) expires") % {"number": number, "body": body},
            due_on=due,
            url=url(pk),
            model="certification.certificate",
            object_id=pk,
            owner_id=None,
            updated_at=updated_at,
            version=version,
            overdue=due < query.today,
        )
        for pk, number, due, body, updated_at, version in rows
    ]


def finding_responses_due(query: DueQuery) -> list[DueItem]:
    if not _shown(query):
        return []
    qs = ExternalFinding.objects.filter(
        organization=query.organization,
        status=ExternalFinding.Status.OPEN,
        grade__in=ExternalFinding.NONCONFORMITIES,
        response_due_on__isnull=False,
        **query.date_range("response_due_on"),
        **_standard_filter(query, "audit__standards"),
    ).distinct()
    rows = query.cut(
        qs.order_by("response_due_on", "pk").values_list(
            "pk", "audit_id", "grade", "statement", "response_due_on", "updated_at", "version"
        )
    )
    url = url_maker("certification:audit", query.organization)
    grades = dict(ExternalFinding.Grade.choices)
    return [
        DueItem(
            kind="certification.finding",
            kind_label=_("Response to an external finding"),
            title=f"{grades[grade]}: {statement[:80]}",
            due_on=due,
            url=url(audit_id),
            model="certification.externalfinding",
            object_id=pk,
            owner_id=None,
            updated_at=updated_at,
            version=version,
            overdue=due < query.today,
        )
        for pk, audit_id, grade, statement, due, updated_at, version in rows
    ]
