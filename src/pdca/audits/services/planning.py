"""Writes of the audit programme and audit plans, with auditor independence enforced."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pdca.audits import notifications
from pdca.audits.models import Audit, AuditProgramme, ScheduleEntry
from pdca.audits.qualification import EXPIRED, auditor_problems
from pdca.core import trail
from pdca.core.assignable import check_assignable
from pdca.core.models import Department, Membership, Organization, User
from pdca.core.roles import Role
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
    "independence_justification",
    "summary",
    "conclusion",
)
# What the team's independence depends on: a change of any re-checks it.
INDEPENDENCE_FIELDS = (
    "kind",
    "lead_auditor",
    "team",
    "auditees",
    "clauses",
    "processes",
    "departments",
    "independence_justification",
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


# Clauses the management representative runs: the audit programme and corrective action
# (harmonized-structure numbers; a heading includes them).
MR_CLAUSES = ("9.2", "10.2")


class IndependenceRefused(ValidationError):
    """The team is not independent: `problems` says why, for the audit trail."""

    def __init__(self, message: Any, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass
class Independence:
    """Why the team would audit its own work: `refused` is never allowed; `to_justify` is
    allowed once a justification of objectivity is recorded (ISO 19011 lets a small
    organization show objectivity where full independence is not possible)."""

    refused: list[str] = field(default_factory=list)
    to_justify: list[str] = field(default_factory=list)


def _within(number: str, other: str) -> bool:
    """Whether clause `number` lies in `other`'s part of the tree, or `other` in its."""
    return number == other or number.startswith(other + ".") or other.startswith(number + ".")


def _runs_mr_clause(clause: Clause) -> bool:
    number = clause.hs.number if clause.hs_id is not None and clause.hs else clause.number
    return any(
        number == n or number.startswith(n + ".") or n.startswith(number + ".") for n in MR_CLAUSES
    )


def _clause_processes(
    organization: Organization, clauses: list[Clause]
) -> dict[int, dict[int, tuple[int | None, str]]]:
    """For each clause, the active processes of the process map that carry it out (mapped to
    the clause, a clause above or below it, or the same harmonized clause): {process: (owner,
    label)}. One query."""
    if not clauses:
        return {}
    rows = list(
        Process.clauses.through.objects.filter(
            process__organization=organization,
            process__is_active=True,
            clause__edition__in={c.edition_id for c in clauses},
        )
        .values_list(
            "process_id",
            "process__owner_id",
            "process__code",
            "process__name",
            "clause__edition_id",
            "clause__number",
            "clause__hs_id",
        )
        .order_by()
    )
    found: dict[int, dict[int, tuple[int | None, str]]] = {}
    for clause in clauses:
        found[clause.pk] = {
            pk: (owner, f"{code} {name}".strip())
            for pk, owner, code, name, edition, number, hs in rows
            if (edition == clause.edition_id and _within(number, clause.number))
            or (clause.hs_id is not None and hs == clause.hs_id)
        }
    return found


def independence_check(
    *,
    organization: Organization,
    auditors: Iterable[User | None],
    departments: Iterable[Department] = (),
    processes: Iterable[Process] = (),
    clauses: Iterable[Clause] = (),
    auditees: Iterable[User] = (),
    kind: str = Audit.Kind.INTERNAL,
) -> Independence:
    """Whether the team would audit its own work: their department, a process they own, a
    clause whose processes are all theirs, being audited in the same audit; the management
    representative auditing the clauses they run and the consultant auditing the system they
    implement need a recorded justification."""
    team = list(dict.fromkeys(a for a in auditors if a is not None))
    result = Independence()
    if not team:
        return result
    dept_ids = {d.pk: d for d in departments}
    processes = list(processes)
    clauses = list(clauses)
    auditee_ids = {u.pk for u in auditees}
    members = {
        m.user_id: m for m in Membership.objects.filter(organization=organization, user__in=team)
    }
    internal = kind == Audit.Kind.INTERNAL
    # Only an internal audit's clauses are this organization's system (a supplier's 8.4 is not).
    carried_by = _clause_processes(organization, clauses) if internal else {}
    for user in team:
        membership = members.get(user.pk)
        if user.pk in auditee_ids:
            result.refused.append(
                _("%(user)s cannot audit and be an auditee of the same audit.") % {"user": user}
            )
        dept = dept_ids.get(membership.department_id) if membership else None  # type: ignore[arg-type]
        if dept is not None:
            result.refused.append(
                _("%(user)s cannot audit the %(dept)s department: it is their own department.")
                % {"user": user, "dept": dept}
            )
        for process in processes:
            if process.owner_id == user.pk:
                result.refused.append(
                    _("%(user)s cannot audit the process %(process)s: they own it.")
                    % {"user": user, "process": process}
                )
        for clause in clauses:
            carriers = carried_by.get(clause.pk) or {}
            if carriers and all(owner == user.pk for owner, _label in carriers.values()):
                result.refused.append(
                    _(
                        "%(user)s cannot audit %(edition)s %(number)s: the processes that carry "
                        "it out (%(processes)s) are theirs."
                    )
                    % {
                        "user": user,
                        "edition": clause.edition,
                        "number": clause.number,
                        "processes": ", ".join(label for _o, label in carriers.values()),
                    }
                )
        if membership is None or not internal:
            continue
        if membership.has_role(Role.MANAGEMENT_REP):
            run = [c for c in clauses if _runs_mr_clause(c)]
            if run:
                result.to_justify.append(
                    _(
                        "%(user)s is the management representative, who runs %(clauses)s: "
                        "record why the audit is still objective, or choose another auditor."
                    )
                    % {
                        "user": user,
                        "clauses": ", ".join(f"{c.edition} {c.number}" for c in run),
                    }
                )
        if membership.has_role(Role.CONSULTANT):
            result.to_justify.append(
                _(
                    "%(user)s is the consultant who implements this management system: record "
                    "why the audit is still objective, or choose another auditor."
                )
                % {"user": user}
            )
    return result


def independence_problems(
    *,
    organization: Organization,
    auditors: Iterable[User],
    departments: Iterable[Department],
    processes: Iterable[Process],
) -> list[str]:
    """Why any of `auditors` would audit their own department or a process they own."""
    return independence_check(
        organization=organization,
        auditors=auditors,
        departments=departments,
        processes=processes,
    ).refused


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
    qualification_override: str = "",
    **values: Any,
) -> Audit:
    """Plan an audit or change its plan (its `expected_version` required). Refuses an auditor
    who is not independent, and any change of a closed audit. A new lead auditor (or a new
    start) of an internal audit whose auditor qualification has expired is refused unless
    `qualification_override` says why (the trail records it; see `audits.qualification`)."""
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

    overridden: list[str] = []  # what the recorded justification allows, for the trail

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

        auditees = planned("auditees")
        if current.pk:  # the people met in the schedule's sessions are audited too
            auditees += list(
                User.objects.filter(
                    pk__in=current.schedule.exclude(auditee=None).values("auditee_id")
                )
            )
        result = independence_check(
            organization=organization,
            auditors=[current.lead_auditor, *planned("team")],
            departments=planned("departments"),
            processes=planned("processes"),
            clauses=_with_hs(planned("clauses")),
            auditees=auditees,
            kind=current.kind,
        )
        current.independence_justification = current.independence_justification.strip()
        errors: dict[str, list[str]] = {}
        if result.refused:
            errors["team"] = result.refused
        if result.to_justify and not current.independence_justification:
            errors["independence_justification"] = result.to_justify
        if errors:
            raise IndependenceRefused(errors, [*result.refused, *result.to_justify])
        overridden[:] = result.to_justify
        if current.kind == Audit.Kind.INTERNAL and _lead_or_start_changed(audit, current):
            expired = [
                q.message
                for q in auditor_problems(
                    organization=organization,
                    users=[current.lead_auditor],
                    on=current.planned_start or datetime.date.today(),
                )
                if q.state == EXPIRED
            ]
            if expired and not qualification_override.strip():
                raise ValidationError(
                    {
                        "qualification_override": [
                            *expired,
                            _("Choose another lead auditor, or give the reason to let them lead."),
                        ]
                    }
                )
            unqualified[:] = expired

    unqualified: list[str] = []  # the expired qualification the override lets lead

    def record_override(saved: Audit, changed: Iterable[str]) -> None:
        if unqualified:
            trail.record(
                action="audits.audit.qualification_overridden",
                actor=actor,
                organization=organization,
                obj=saved,
                changes={"lead_auditor": [None, list(unqualified)]},
                reason=qualification_override.strip(),
            )
        if overridden and set(changed) & set(INDEPENDENCE_FIELDS):
            trail.record(
                action="audits.audit.independence_justified",
                actor=actor,
                organization=organization,
                obj=saved,
                changes={
                    "independence": [None, list(overridden)],
                    "independence_justification": [None, saved.independence_justification],
                },
                reason=saved.independence_justification,
            )

    try:
        return _audit_write(
            actor, organization, audit, expected_version, values, m2m, check, record_override
        )
    except IndependenceRefused as refusal:
        # Recorded after the write's transaction rolled back, so that the refusal stays.
        trail.record(
            action="audits.audit.independence_refused",
            actor=actor,
            organization=organization,
            obj=audit,
            changes={"independence": [None, refusal.problems]},
            reason=_("The audit team is not independent."),
        )
        raise


def _lead_or_start_changed(before: Audit | None, current: Audit) -> bool:
    """A new audit, or its lead auditor or start changed: the lead's qualification counts."""
    if before is None or not before.pk:
        return current.lead_auditor_id is not None
    return current.lead_auditor_id is not None and (
        before.lead_auditor_id != current.lead_auditor_id
        or before.planned_start != current.planned_start
    )


def qualification_warnings(audit: Audit) -> list[str]:
    """What planning warns about: the lead auditor and team of an internal audit without a
    valid auditor qualification on its start (see `audits.qualification`)."""
    if audit.kind != Audit.Kind.INTERNAL:
        return []
    return [
        q.message
        for q in auditor_problems(
            organization=audit.organization,
            users=[audit.lead_auditor, *audit.team.all()],
            on=audit.planned_start or datetime.date.today(),
        )
    ]


def _with_hs(clauses: list[Clause]) -> list[Clause]:
    """The clauses with their harmonized clause loaded (one query, not one per clause)."""
    ids = [c.pk for c in clauses]
    return list(Clause.objects.filter(pk__in=ids).select_related("edition", "hs")) if ids else []


def _audit_write(
    actor: User,
    organization: Organization,
    audit: Audit | None,
    expected_version: int | None,
    values: dict[str, Any],
    m2m: dict[str, list[Any]],
    check: Callable[[Audit], None],
    record_override: Callable[[Audit, Iterable[str]], None],
) -> Audit:
    if audit is not None:
        if Audit.objects.filter(pk=audit.pk, status=Audit.Status.CLOSED).exists():
            raise ValidationError(_("A closed audit cannot be changed."))  # whatever the version
        with transaction.atomic():
            saved, changes = model_update(
                instance=audit,
                actor=actor,
                fields=values,
                allowed=(*AUDIT_FIELDS, *M2M_FIELDS),
                expected_version=expected_version,
                action="audits.audit.updated",
                validate=check,
                related=m2m,
                clean_exclude=("reference",),
            )
            record_override(saved, changes)
        return saved
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
        record_override(audit, INDEPENDENCE_FIELDS)
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
    if auditee is not None and (
        auditee.pk == audit.lead_auditor_id or audit.team.filter(pk=auditee.pk).exists()
    ):
        raise ValidationError(
            {
                "auditee": _("%(user)s is on the audit team: they cannot be audited in it.")
                % {"user": auditee}
            }
        )
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
