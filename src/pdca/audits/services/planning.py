"""Writes of the audit programme and audit plans, with auditor independence enforced."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pdca.audits import notifications
from pdca.audits.models import Audit, AuditProgramme, ScheduleEntry
from pdca.core import trail
from pdca.core.assignable import check_assignable
from pdca.core.models import Department, Membership, Organization, User
from pdca.core.updating import (
    check_same_organization,
    model_save,
    model_transition,
    model_update,
)
from pdca.standards.models import Clause, Edition, Process

PROGRAMME_FIELDS = ("title", "cycle_start", "cycle_end", "objectives")
AUDIT_FIELDS = (
    "title",
    "kind",
    "programme",
    "planned_start",
    "planned_end",
    "objectives",
    "criteria_documents",
    "lead_auditor",
    "summary",
    "conclusion",
)
M2M_FIELDS = ("clauses", "processes", "departments", "sites", "editions", "team", "auditees")
STATUS_FLOW = [s.value for s in Audit.Status]


def programme_save(
    *,
    actor: User,
    organization: Organization,
    programme: AuditProgramme | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> AuditProgramme:
    """Create the audit programme of a cycle, or change one (its `expected_version` required)."""
    return model_save(
        model=AuditProgramme,
        instance=programme,
        organization=organization,
        actor=actor,
        fields=values,
        allowed=PROGRAMME_FIELDS,
        expected_version=expected_version,
        action="audits.programme",
        validate=_cycle_in_order,
    )


def _cycle_in_order(programme: AuditProgramme) -> None:
    if programme.cycle_end <= programme.cycle_start:
        raise ValidationError({"cycle_end": _("The cycle must end after it starts.")})


def independence_problems(
    *,
    organization: Organization,
    auditors: Iterable[User],
    departments: Iterable[Department],
    processes: Iterable[Process],
) -> list[str]:
    """Why any of `auditors` would audit their own work: their department, or a process they
    own. Empty when the team is independent."""
    auditors = [a for a in auditors if a is not None]
    if not auditors:
        return []
    dept_ids = {d.pk: d for d in departments}
    problems = []
    own_dept = {
        m.user_id: m.department_id
        for m in Membership.objects.filter(organization=organization, user__in=auditors)
    }
    for user in auditors:
        dept = dept_ids.get(own_dept.get(user.pk))  # type: ignore[arg-type]
        if dept is not None:
            problems.append(
                f"{user} cannot audit the {dept} department: it is their own department."
            )
        for process in processes:
            if process.owner_id == user.pk:
                problems.append(f"{user} cannot audit the process {process}: they own it.")
    return problems


def _next_reference(organization: Organization, start: datetime.date) -> str:
    prefix = f"IA-{start.year}-"
    count = Audit.objects.filter(organization=organization, reference__startswith=prefix).count()
    ref = f"{prefix}{count + 1:02d}"
    while Audit.objects.filter(organization=organization, reference=ref).exists():
        count += 1
        ref = f"{prefix}{count + 1:02d}"
    return ref


def audit_save(
    *,
    actor: User,
    organization: Organization,
    audit: Audit | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> Audit:
    """Plan an audit or change its plan (its `expected_version` required). Refuses an auditor
    who is not independent, and any change of a closed audit."""
    unknown = sorted(set(values) - set(AUDIT_FIELDS) - set(M2M_FIELDS))
    if unknown:
        raise ValueError(f"Audit fields not allowed here: {unknown}")
    m2m = {name: list(values.pop(name)) for name in M2M_FIELDS if name in values}
    check_same_organization(organization, "programme", values.get("programme"))
    for name in ("processes", "departments", "sites"):
        check_same_organization(organization, name, m2m.get(name))
    if "lead_auditor" in values:
        check_assignable(organization, values["lead_auditor"], "lead_auditor")
    for name in ("team", "auditees"):
        check_assignable(organization, m2m.get(name), name)

    def check(current: Audit) -> None:
        if current.pk and current.is_closed:
            raise ValidationError(_("A closed audit cannot be changed."))
        start, end = current.planned_start, current.planned_end
        if end and start and end < start:
            raise ValidationError({"planned_end": _("The audit cannot end before it starts.")})

        def planned(name: str) -> list[Any]:
            if name in m2m:
                return m2m[name]
            return list(getattr(current, name).all()) if current.pk else []

        auditors = [current.lead_auditor, *planned("team")]
        problems = independence_problems(
            organization=organization,
            auditors=[a for a in auditors if a is not None],
            departments=planned("departments"),
            processes=planned("processes"),
        )
        if problems:
            raise ValidationError({"team": problems})

    if audit is not None:
        if Audit.objects.filter(pk=audit.pk, status=Audit.Status.CLOSED).exists():
            raise ValidationError(_("A closed audit cannot be changed."))  # whatever the version
        return model_update(
            instance=audit,
            actor=actor,
            fields=values,
            allowed=(*AUDIT_FIELDS, *M2M_FIELDS),
            expected_version=expected_version,
            action="audits.audit.updated",
            validate=check,
            related=m2m,
            clean_exclude=("reference",),
        )[0]
    with transaction.atomic():
        audit = Audit(organization=organization, created_by=actor, **values)
        check(audit)
        audit.reference = _next_reference(organization, audit.planned_start)
        audit.full_clean(exclude=["reference"])
        audit.save()
        for name, objs in m2m.items():
            getattr(audit, name).set(objs)
        after = trail.snapshot(audit, AUDIT_FIELDS)
        after.update({k: sorted(str(o) for o in v) for k, v in m2m.items()})
        trail.record(
            action="audits.audit.planned",
            actor=actor,
            organization=organization,
            obj=audit,
            changes=trail.changes_between({}, after),
        )
        notifications.audit_planned(actor=actor, audit=audit)
    return audit


def audit_set_status(*, actor: User, audit: Audit, status: str) -> Audit:
    """Move the audit along planned → in preparation → in progress → reporting. Closing happens
    only by signing the report."""
    if status not in STATUS_FLOW or status == Audit.Status.CLOSED:
        raise ValidationError(
            {"status": _("Choose planned, in preparation, in progress or reporting.")}
        )
    return model_transition(
        instance=audit,
        actor=actor,
        action="audits.audit.status_changed",
        to={"status": status},
        check=_not_closed,
    )


def _not_closed(current: Audit) -> None:
    if current.is_closed:
        raise ValidationError(_("The audit is closed: its report is signed."))


def schedule_add(
    *,
    actor: User,
    audit: Audit,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    topic: str = "",
    location: str = "",
    auditee: User | None = None,
) -> ScheduleEntry:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The slot must end after it starts.")})
    if kind not in ScheduleEntry.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of slot.")})
    check_assignable(audit.organization, auditee, "auditee")
    with transaction.atomic():
        entry = ScheduleEntry.objects.create(
            organization=audit.organization,
            audit=audit,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            topic=topic,
            location=location,
            auditee=auditee,
        )
        trail.record(
            action="audits.schedule.added",
            actor=actor,
            organization=audit.organization,
            obj=audit,
            changes=trail.created_fields(entry, ("kind", "starts_at", "ends_at", "topic")),
        )
    return entry


def clauses_for_editions(editions: Iterable[Edition], numbers: Iterable[str]) -> list[Clause]:
    return list(Clause.objects.filter(edition__in=list(editions), number__in=list(numbers)))


def last_position(audit: Audit) -> int:
    return audit.questions.aggregate(m=Max("position"))["m"] or 0
