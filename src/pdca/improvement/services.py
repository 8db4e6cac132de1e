"""Every write of nonconformities and corrective actions.

Each service takes the acting user, runs in one transaction and records the audit trail.
Nonconformities are never deleted: `nonconformity_cancel` marks one cancelled with a reason.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core import trail
from pdca.core.access import ensure_allowed
from pdca.core.assignable import check_assignable
from pdca.core.models import Department, Organization, User
from pdca.core.signatures import confirm_password
from pdca.core.updating import (
    check_same_organization,
    check_version,
    model_transition,
    model_update,
)
from pdca.core.validators import check_single_line
from pdca.improvement import notifications
from pdca.improvement.models import (
    Category,
    Cause,
    CorrectiveAction,
    EffectivenessCheck,
    Nonconformity,
    RisksOutcome,
    Similar,
    Source,
    SystemChangeOutcome,
    Why,
)
from pdca.improvement.selectors import raised_from
from pdca.standards.models import Clause, Process
from pdca.standards.registry import NC_SOURCES

NC_FIELDS = (
    "title",
    "description",
    "source",
    "severity",
    "department",
    "process",
    "found_on",
    "owner",
    "containment",
    "no_containment_reason",
)
CLOSURE_STEP_FIELDS = (
    "risks_outcome",
    "risks_notes",
    "system_change_outcome",
    "system_change_notes",
    "system_change_revision",
    "system_change_process",
)
ACTION_FIELDS = ("title", "owner", "due_on", "status", "done_on", "notes")


def nonconformity_raise(
    *,
    actor: User,
    organization: Organization,
    title: str,
    description: str,
    source: str = Source.EMPLOYEE,
    severity: str = Nonconformity.Severity.MINOR,
    found_on: datetime.date | None = None,
    clauses: Iterable[Clause] = (),
    department: Department | None = None,
    process: Process | None = None,
    owner: User | None = None,
    source_object: Any = None,
) -> Nonconformity:
    """Record a nonconformity, from any source; it starts awaiting analysis.

    `source_object` is what it was raised from (an audit finding, ...), of a model registered
    with `register_nc_source`; a second raise from the same object returns the first.
    """
    if not title.strip() or not description.strip():
        raise ValidationError({"description": _("Say what was found: a title and a description.")})
    if source not in Source.values:
        raise ValidationError({"source": _("Unknown source %(source)r.") % {"source": source}})
    found_on = found_on or timezone.localdate()
    if found_on > timezone.localdate():
        raise ValidationError({"found_on": _("The date found cannot be in the future.")})
    check_same_organization(organization, "department", department)
    check_same_organization(organization, "process", process)
    check_assignable(organization, owner, "owner")
    if source_object is not None:
        if source_object._meta.label_lower not in NC_SOURCES:
            raise ValueError(
                f"{source_object._meta.label} is not a registered nonconformity source"
            )
        if getattr(source_object, "organization_id", organization.pk) != organization.pk:
            raise ValidationError(_("The source belongs to another organization."))
    with transaction.atomic():
        # Lock the organization row so two raises cannot take the same number.
        Organization.objects.select_for_update(no_key=True).filter(pk=organization.pk).first()
        if source_object is not None:
            existing = raised_from(source_object)
            if existing is not None:
                return existing
        last = Nonconformity.objects.filter(organization=organization).aggregate(n=Max("number"))
        nc = Nonconformity(
            organization=organization,
            number=(last["n"] or 0) + 1,
            title=title.strip(),
            description=description.strip(),
            source=source,
            severity=severity,
            found_on=found_on,
            department=department,
            process=process,
            owner=owner or (process.owner if process is not None else None),
            raised_by=actor,
            source_object=source_object,
        )
        nc.full_clean(exclude=["source_type", "source_id"])
        nc.save()
        clause_list = list(clauses)
        nc.clauses.set(clause_list)
        changes = trail.created_fields(nc, NC_FIELDS)
        changes["clauses"] = [None, [c.number for c in clause_list]]
        trail.record(
            action="improvement.nonconformity.raised",
            actor=actor,
            organization=organization,
            obj=nc,
            changes=changes,
        )
        notifications.nonconformity_raised(actor=actor, nc=nc)
    return nc


def _locked(nc: Nonconformity, expected_version: int | None = None) -> Nonconformity:
    """The nonconformity, locked: before a change of it (its version required) or of its rows."""
    current = Nonconformity.objects.select_for_update(no_key=True).get(pk=nc.pk)
    if expected_version is not None:
        check_version(current, expected_version)
    return current


def _refuse_if_finished(nc: Nonconformity) -> None:
    if not nc.is_open:
        raise ValidationError(
            _("%(ref)s is %(status)s.")
            % {"ref": nc.reference, "status": nc.get_status_display().lower()}
        )


def nonconformity_update(
    *,
    actor: User,
    nonconformity: Nonconformity,
    expected_version: int,
    clauses: Iterable[Clause] | None = None,
    **values: Any,
) -> Nonconformity:
    """Change an open nonconformity's description, classification or owner."""
    organization = nonconformity.organization
    check_same_organization(organization, "department", values.get("department"))
    check_same_organization(organization, "process", values.get("process"))
    if "owner" in values:
        check_assignable(organization, values["owner"], "owner")
    related = {"clauses": list(clauses)} if clauses is not None else {}
    for name in ("containment", "no_containment_reason"):
        if name in values:
            values[name] = (values[name] or "").strip()
    nc, _changes = model_update(
        instance=nonconformity,
        actor=actor,
        fields=values,
        allowed=(*NC_FIELDS, "clauses"),
        expected_version=expected_version,
        action="improvement.nonconformity.updated",
        validate=_check_update,
        related=related,
        clean_exclude=("source_type", "source_id"),
    )
    return nc


def _check_update(nc: Nonconformity) -> None:
    _refuse_if_finished(nc)
    if nc.containment and nc.no_containment_reason:
        raise ValidationError(
            {
                "no_containment_reason": _(
                    "Either record the containment and correction, or say why none is "
                    "needed, not both."
                )
            }
        )


def analysis_save(
    *,
    actor: User,
    nonconformity: Nonconformity,
    whys: list[str],
    causes: list[tuple[str, str]],
    root_cause: str,
    root_cause_category: str,
    similar: str,
    similar_notes: str = "",
    expected_version: int | None = None,
) -> Nonconformity:
    """Record the root-cause analysis: the five-whys chain, the fishbone causes, the root cause,
    and whether similar nonconformities exist or could occur (ISO 9001 10.2.1 b)."""
    whys = [w.strip() for w in whys if w.strip()]
    causes = [(c, t.strip()) for c, t in causes if t.strip()]
    errors: dict[str, str] = {}
    if not root_cause.strip():
        errors["root_cause"] = _("State the root cause the analysis arrived at.")
    if not whys and not causes:
        errors["whys"] = _("Ask at least one 'why', or name a cause on the fishbone.")
    if root_cause_category not in Category.values:
        errors["root_cause_category"] = _("Choose the category of the root cause.")
    if any(c not in Category.values for c, _ in causes):
        errors["causes"] = _("Unknown fishbone category.")
    similar_notes = similar_notes.strip()
    if similar not in Similar.values:
        errors["similar"] = _("Say whether similar nonconformities exist or could occur.")
    elif similar != Similar.NONE and not similar_notes:
        errors["similar_notes"] = _("Say where, and what is done about them.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        nc = _locked(nonconformity, expected_version)
        _refuse_if_finished(nc)
        before = {
            "whys": list(nc.whys.values_list("text", flat=True)),
            "causes": [f"{c}: {t}" for c, t in nc.causes.values_list("category", "text")],
        }
        Why.objects.filter(nonconformity=nc).delete()
        Cause.objects.filter(nonconformity=nc).delete()
        Why.objects.bulk_create(
            Why(organization=nc.organization, nonconformity=nc, position=i, text=text)
            for i, text in enumerate(whys, start=1)
        )
        Cause.objects.bulk_create(
            Cause(organization=nc.organization, nonconformity=nc, category=c, text=t)
            for c, t in causes
        )
        to = {
            "root_cause": root_cause.strip(),
            "root_cause_category": root_cause_category,
            "similar": similar,
            "similar_notes": similar_notes,
        }
        if nc.status == Nonconformity.Status.OPEN and nc.actions.exists():
            to["status"] = Nonconformity.Status.ACTION
        after = {"whys": whys, "causes": [f"{c}: {t}" for c, t in causes]}
        return model_transition(
            instance=nc,
            actor=actor,
            action="improvement.nonconformity.analysed",
            to=to,
            record=("root_cause", "root_cause_category", "similar", "similar_notes"),
            context=trail.changes_between(before, after),
            always_record=True,  # the analysis was done, even when it came to the same
        )


def action_plan(
    *, actor: User, nonconformity: Nonconformity, title: str, owner: User, due_on: datetime.date
) -> CorrectiveAction:
    if not title.strip():
        raise ValidationError({"title": _("Say what will be done.")})
    check_single_line(title=title)
    check_assignable(nonconformity.organization, owner, "owner")
    with transaction.atomic():
        nc = _locked(nonconformity, None)
        _refuse_if_finished(nc)
        if nc.checks.filter(result=EffectivenessCheck.Result.PENDING, verifier=owner).exists():
            raise ValidationError(
                {
                    "owner": _(
                        "%(name)s verifies the effectiveness of these actions: the verifier "
                        "cannot own one of them."
                    )
                    % {"name": owner}
                }
            )
        action = CorrectiveAction.objects.create(
            organization=nc.organization,
            nonconformity=nc,
            title=title.strip(),
            owner=owner,
            due_on=due_on,
        )
        if nc.status in (Nonconformity.Status.OPEN, Nonconformity.Status.VERIFICATION):
            nc.status = Nonconformity.Status.ACTION if nc.root_cause else Nonconformity.Status.OPEN
            nc.save(update_fields=["status"])
        trail.record(
            action="improvement.action.planned",
            actor=actor,
            organization=nc.organization,
            obj=nc,
            changes=trail.created_fields(action, ("title", "owner", "due_on")),
        )
        notifications.action_assigned(actor=actor, action=action)
    return action


def action_update(
    *,
    actor: User,
    action: CorrectiveAction,
    status: str,
    expected_version: int,
    notes: str = "",
) -> CorrectiveAction:
    """The owner (or a manager) reports progress; when every action is done the nonconformity
    waits for its effectiveness verification."""
    ensure_allowed(
        actor=actor,
        organization=action.organization,
        permission="improvement.update_action",
        obj=action,
        refusal=_("Only the action's owner or a manager can update it."),
    )
    if status not in CorrectiveAction.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == CorrectiveAction.Status.DONE and not notes.strip():
        raise ValidationError({"notes": _("Say what was done before marking the action done.")})
    with transaction.atomic():
        nc = _locked(action.nonconformity)
        _refuse_if_finished(nc)
        current, _changes = model_update(
            instance=action,
            actor=actor,
            fields={"status": status, "notes": notes.strip()},
            # done_on follows the status, the rule of every owned action (core OwnedAction).
            validate=lambda locked: locked.follow_status_with_done_on(timezone.localdate()),
            allowed=ACTION_FIELDS,
            expected_version=expected_version,
            action="improvement.action.updated",
            context={"action": [None, action.title]},
            record_on=nc,
        )
        pending = nc.actions.filter(
            status__in=[CorrectiveAction.Status.OPEN, CorrectiveAction.Status.IN_PROGRESS]
        ).exists()
        if not pending and nc.root_cause and nc.status == Nonconformity.Status.ACTION:
            nc.status = Nonconformity.Status.VERIFICATION
            nc.save(update_fields=["status"])
        elif pending and nc.status == Nonconformity.Status.VERIFICATION:
            nc.status = Nonconformity.Status.ACTION
            nc.save(update_fields=["status"])
    return current


def check_plan(
    *, actor: User, nonconformity: Nonconformity, planned_on: datetime.date, verifier: User
) -> EffectivenessCheck:
    check_assignable(nonconformity.organization, verifier, "verifier")
    with transaction.atomic():
        nc = _locked(nonconformity, None)
        _refuse_if_finished(nc)
        if (
            nc.actions.exclude(status=CorrectiveAction.Status.CANCELLED)
            .filter(owner=verifier)
            .exists()
        ):
            raise ValidationError(
                {
                    "verifier": _(
                        "%(name)s owns one of the corrective actions: the effectiveness is "
                        "verified by someone else."
                    )
                    % {"name": verifier}
                }
            )
        check = EffectivenessCheck.objects.create(
            organization=nc.organization, nonconformity=nc, planned_on=planned_on, verifier=verifier
        )
        trail.record(
            action="improvement.check.planned",
            actor=actor,
            organization=nc.organization,
            obj=nc,
            changes=trail.created_fields(check, ("planned_on", "verifier")),
        )
    return check


def check_record(
    *,
    actor: User,
    check: EffectivenessCheck,
    result: str,
    evidence: str,
    early_reason: str = "",
    today: datetime.date | None = None,
) -> EffectivenessCheck:
    """Record the verification: only its named verifier, or the management representative,
    and not before the planned date unless a reason is given. 'Not effective' sends the
    nonconformity back to analysis."""
    ensure_allowed(
        actor=actor,
        organization=check.organization,
        permission="improvement.record_check",
        obj=check,
        refusal=_("Only the named verifier or the management representative records the result."),
    )
    today = today or timezone.localdate()
    early_reason = early_reason.strip()
    if check.planned_on > today and not early_reason:
        raise ValidationError(
            {
                "early_reason": _(
                    "The check is planned for %(date)s: say why it can be verified already."
                )
                % {"date": check.planned_on}
            }
        )
    if check.planned_on <= today:
        early_reason = ""
    if result not in (
        EffectivenessCheck.Result.EFFECTIVE,
        EffectivenessCheck.Result.NOT_EFFECTIVE,
    ):
        raise ValidationError({"result": _("Choose effective or not effective.")})
    if not evidence.strip():
        raise ValidationError({"evidence": _("Describe the evidence the result rests on.")})
    with transaction.atomic():
        current = EffectivenessCheck.objects.select_for_update(no_key=True).get(pk=check.pk)
        if current.result != EffectivenessCheck.Result.PENDING:
            raise ValidationError(_("This check already has a result; plan a new one."))
        nc = _locked(current.nonconformity, None)
        _refuse_if_finished(nc)
        current.result = result
        current.evidence = evidence.strip()
        current.early_reason = early_reason
        current.checked_at = timezone.now()
        current.checked_by = actor
        current.save()
        changes = {"result": [None, result], "evidence": [None, current.evidence]}
        if early_reason:
            changes["early_reason"] = [None, early_reason]
        trail.record(
            action="improvement.check.recorded",
            actor=actor,
            organization=nc.organization,
            obj=nc,
            changes=changes,
        )
        if result == EffectivenessCheck.Result.NOT_EFFECTIVE:
            model_transition(
                instance=nc,
                actor=actor,
                action="improvement.nonconformity.reopened",
                to={"status": Nonconformity.Status.OPEN},
                reason=current.evidence,
            )
    return current


def closing_refusal(nc: Nonconformity, *, correction_only: bool = False) -> str:
    """Why `nc` cannot be closed now, or "" when it can (the same rules the service applies).

    `correction_only`: closed by its correction alone, without corrective action."""
    actions = list(nc.actions.exclude(status=CorrectiveAction.Status.CANCELLED).values("status"))
    open_actions = sum(1 for a in actions if a["status"] != CorrectiveAction.Status.DONE)
    # A pass counts only if it came after the last "not effective" (a reopened analysis).
    last = (
        nc.checks.exclude(result=EffectivenessCheck.Result.PENDING).order_by("-checked_at").first()
    )
    has_analysis = bool(nc.root_cause) and (nc.whys.exists() or nc.causes.exists())
    return nc.closing_refusal(
        has_analysis=has_analysis,
        actions=len(actions),
        open_actions=open_actions,
        passed_check=last is not None and last.result == EffectivenessCheck.Result.EFFECTIVE,
        correction_only=correction_only,
    )


def closure_steps_save(
    *,
    actor: User,
    nonconformity: Nonconformity,
    expected_version: int,
    risks_outcome: str,
    system_change_outcome: str,
    risks_notes: str = "",
    system_change_notes: str = "",
    system_change_revision: Any = None,
    system_change_process: Process | None = None,
) -> Nonconformity:
    """Record the last steps of 10.2.1 e) and f): whether the risks and opportunities were
    updated, and whether the management system was changed (linking the document revision or
    the process that changed)."""
    errors: dict[str, str] = {}
    risks_notes, system_change_notes = risks_notes.strip(), system_change_notes.strip()
    if risks_outcome not in RisksOutcome.values:
        errors["risks_outcome"] = _("Say whether the risks and opportunities were updated.")
    elif risks_outcome == RisksOutcome.UPDATED and not risks_notes:
        errors["risks_notes"] = _("Say which risks or opportunities were updated.")
    if system_change_outcome not in SystemChangeOutcome.values:
        errors["system_change_outcome"] = _("Say whether the management system was changed.")
    elif system_change_outcome == SystemChangeOutcome.CHANGED:
        if system_change_revision is None and system_change_process is None:
            errors["system_change_revision"] = _(
                "Link the document revision or the process that was changed."
            )
    else:
        system_change_revision = system_change_process = None
    if errors:
        raise ValidationError(errors)
    organization = nonconformity.organization
    check_same_organization(organization, "system_change_revision", system_change_revision)
    check_same_organization(organization, "system_change_process", system_change_process)
    nc, _changes = model_update(
        instance=nonconformity,
        actor=actor,
        fields={
            "risks_outcome": risks_outcome,
            "risks_notes": risks_notes,
            "system_change_outcome": system_change_outcome,
            "system_change_notes": system_change_notes,
            "system_change_revision": system_change_revision,
            "system_change_process": system_change_process,
        },
        allowed=CLOSURE_STEP_FIELDS,
        expected_version=expected_version,
        action="improvement.nonconformity.closure_steps",
        validate=_refuse_if_finished,
        clean_exclude=("source_type", "source_id"),
    )
    return nc


def nonconformity_close(
    *, actor: User, nonconformity: Nonconformity, password: str, no_action_reason: str = ""
) -> Nonconformity:
    """The management representative closes the nonconformity, signing with the password.

    With `no_action_reason`, a minor internal nonconformity is closed by its correction alone:
    the reason why no corrective action is needed is recorded with it."""
    no_action_reason = no_action_reason.strip()
    ensure_allowed(
        actor=actor,
        organization=nonconformity.organization,
        permission="improvement.close",
        refusal=_("Only the management representative can close a nonconformity."),
    )
    confirm_password(
        actor=actor,
        password=password,
        organization=nonconformity.organization,
        obj=nonconformity,
        refused_action="improvement.nonconformity.closure_refused",
    )
    to: dict[str, Any] = {
        "status": Nonconformity.Status.CLOSED,
        "closed_at": timezone.now(),
        "closed_by": actor,
    }
    if no_action_reason:
        to["no_action_reason"] = no_action_reason
    return model_transition(
        instance=nonconformity,
        actor=actor,
        action="improvement.nonconformity.closed",
        to=to,
        record=("status", "no_action_reason") if no_action_reason else ("status",),
        check=lambda nc: _closable(nc, correction_only=bool(no_action_reason)),
        reason=_("Signed by the management representative with password re-entry."),
    )


def _closable(nc: Nonconformity, *, correction_only: bool = False) -> None:
    refusal = closing_refusal(nc, correction_only=correction_only)
    if refusal:
        raise ValidationError(
            _("%(ref)s cannot be closed: %(refusal)s") % {"ref": nc.reference, "refusal": refusal}
        )


def nonconformity_cancel(
    *, actor: User, nonconformity: Nonconformity, reason: str
) -> Nonconformity:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this nonconformity is cancelled.")})
    return model_transition(
        instance=nonconformity,
        actor=actor,
        action="improvement.nonconformity.cancelled",
        to={"status": Nonconformity.Status.CANCELLED, "cancel_reason": reason.strip()},
        record=("status",),
        check=_cancellable,
        reason=reason.strip(),
    )


def cancel_refusal(nc: Nonconformity) -> str:
    """Why `nc` cannot be cancelled, or "" when it can."""
    if nc.from_certification_body:
        return _(
            "It was raised from a certification body's finding: only the certification body "
            "closes its finding, so it is closed through corrective action, never cancelled."
        )
    return ""


def _cancellable(nc: Nonconformity) -> None:
    _refuse_if_finished(nc)
    refusal = cancel_refusal(nc)
    if refusal:
        raise ValidationError(refusal)
