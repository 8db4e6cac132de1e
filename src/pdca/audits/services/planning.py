"""Writes of the audit programme and audit plans, with auditor independence enforced."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pdca.audits.models import Audit, AuditProgramme, ScheduleEntry
from pdca.core import trail
from pdca.core.assignable import check_assignable
from pdca.core.models import Department, Membership, Organization, User
from pdca.core.services import ConflictError
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
    with transaction.atomic():
        creating = programme is None
        if programme is None:
            programme = AuditProgramme(organization=organization)
            before: dict[str, Any] = {}
        else:
            programme = AuditProgramme.objects.select_for_update(no_key=True).get(pk=programme.pk)
            if expected_version is not None and programme.version != expected_version:
                raise ConflictError("Someone else changed this programme since you opened it.")
            before = trail.snapshot(programme, PROGRAMME_FIELDS)
            programme.version += 1
        for name, value in values.items():
            if name not in PROGRAMME_FIELDS:
                raise ValueError(f"Unknown programme field {name!r}")
            setattr(programme, name, value)
        if programme.cycle_end <= programme.cycle_start:
            raise ValidationError({"cycle_end": _("The cycle must end after it starts.")})
        programme.full_clean()
        programme.save()
        trail.record(
            action="audits.programme.created" if creating else "audits.programme.updated",
            actor=actor,
            organization=organization,
            obj=programme,
            changes=trail.changes_between(before, trail.snapshot(programme, PROGRAMME_FIELDS)),
        )
    return programme


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


def _check_org(organization: Organization, field: str, objs: Iterable[Any]) -> None:
    for obj in objs:
        if obj is not None and getattr(obj, "organization_id", organization.pk) != organization.pk:
            raise ValidationError({field: _("Choose from this organization's own.")})


def audit_save(
    *,
    actor: User,
    organization: Organization,
    audit: Audit | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> Audit:
    """Plan an audit or change its plan. Refuses an auditor who is not independent."""
    m2m = {name: list(values.pop(name)) for name in M2M_FIELDS if name in values}
    with transaction.atomic():
        creating = audit is None
        if audit is None:
            audit = Audit(organization=organization, created_by=actor)
            before: dict[str, Any] = {}
        else:
            audit = Audit.objects.select_for_update(no_key=True).get(pk=audit.pk)
            if expected_version is not None and audit.version != expected_version:
                raise ConflictError(
                    "Someone else changed this audit since you opened it. Reload the page "
                    "to see their change, then make yours again."
                )
            if audit.is_closed:
                raise ValidationError(_("A closed audit cannot be changed."))
            before = trail.snapshot(audit, AUDIT_FIELDS)
            before.update({k: sorted(str(o) for o in getattr(audit, k).all()) for k in m2m})
            audit.version += 1
        for name, value in values.items():
            if name not in AUDIT_FIELDS:
                raise ValueError(f"Unknown audit field {name!r}")
            setattr(audit, name, value)
        if audit.planned_end and audit.planned_start and audit.planned_end < audit.planned_start:
            raise ValidationError({"planned_end": _("The audit cannot end before it starts.")})
        if audit.programme is not None:
            _check_org(organization, "programme", [audit.programme])
        for name in ("processes", "departments", "sites"):
            _check_org(organization, name, m2m.get(name, []))
        if creating:
            audit.reference = _next_reference(organization, audit.planned_start)
        if "lead_auditor" in values:
            check_assignable(organization, audit.lead_auditor, "lead_auditor")
        for name in ("team", "auditees"):
            check_assignable(organization, m2m.get(name), name)
        auditors = [audit.lead_auditor] + (
            m2m["team"] if "team" in m2m else ([] if creating else list(audit.team.all()))
        )
        departments = (
            m2m.get("departments")
            if "departments" in m2m
            else ([] if creating else list(audit.departments.all()))
        )
        processes = (
            m2m.get("processes")
            if "processes" in m2m
            else ([] if creating else list(audit.processes.all()))
        )
        problems = independence_problems(
            organization=organization,
            auditors=[a for a in auditors if a is not None],
            departments=departments or [],
            processes=processes or [],
        )
        if problems:
            raise ValidationError({"team": problems})
        audit.full_clean(exclude=["reference"])
        audit.save()
        for name, objs in m2m.items():
            getattr(audit, name).set(objs)
        after = trail.snapshot(audit, AUDIT_FIELDS)
        after.update({k: sorted(str(o) for o in v) for k, v in m2m.items()})
        trail.record(
            action="audits.audit.planned" if creating else "audits.audit.updated",
            actor=actor,
            organization=organization,
            obj=audit,
            changes=trail.changes_between(before, after),
        )
    return audit


def audit_set_status(*, actor: User, audit: Audit, status: str) -> Audit:
    """Move the audit along planned → in preparation → in progress → reporting. Closing happens
    only by signing the report."""
    if status not in STATUS_FLOW or status == Audit.Status.CLOSED:
        raise ValidationError(
            {"status": _("Choose planned, in preparation, in progress or reporting.")}
        )
    with transaction.atomic():
        current = Audit.objects.select_for_update(no_key=True).get(pk=audit.pk)
        if current.is_closed:
            raise ValidationError(_("The audit is closed: its report is signed."))
        before = current.status
        current.status = status
        current.version += 1
        current.save(update_fields=["status", "version"])
        trail.record(
            action="audits.audit.status_changed",
            actor=actor,
            organization=current.organization,
            obj=current,
            changes={"status": [before, status]},
        )
    return current


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
