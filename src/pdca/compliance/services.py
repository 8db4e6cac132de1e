"""Every write to the register of legal and other requirements.

A change keeps the version it replaces (with the reason for the change) before it is saved;
an obligation is never deleted, only withdrawn with a reason; each write has its trail entry."""

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.compliance.evidence import link_evaluation, link_obligation
from pdca.compliance.models import (
    Evaluation,
    EvaluationResult,
    EvaluationStatus,
    Obligation,
    ObligationStatus,
    ObligationVersion,
)
from pdca.core import trail
from pdca.core.access import ensure_allowed
from pdca.core.assignable import check_assignable
from pdca.core.dates import add_months
from pdca.core.models import Organization, User
from pdca.core.updating import (
    model_create,
    model_transition,
    model_update,
    related_snapshot,
    take_related,
)

FIELDS = (
    "title",
    "discipline",
    "kind",
    "jurisdiction",
    "citation",
    "requirement",
    "permit_number",
    "permit_expires_on",
    "responsible",
    "source",
    "source_version",
    "last_checked_on",
    "next_check_on",
    "evaluation_months",
)
# What the obligation applies to besides the aspects and hazards that cite it.
RELATED = ("processes", "sites")
EVALUATION_FIELDS = ("evaluated_on", "method", "result", "evidence", "evaluator", "notes")

# What a new version of an obligation asks of the modules that cite it (the aspects it applies
# to are reviewed): fn(actor, obligation, reason), called inside the change's transaction.
ON_CHANGE: list[Callable[[User, Obligation, str], None]] = []


def register_on_change(listener: Callable[[User, Obligation, str], None]) -> None:
    if listener not in ON_CHANGE:
        ON_CHANGE.append(listener)


def obligation_create(*, actor: User, organization: Organization, **values: Any) -> Obligation:
    ensure_allowed(actor=actor, organization=organization, permission="compliance.edit")
    if "responsible" in values:
        check_assignable(organization, values["responsible"], "responsible")
    related = take_related(organization, values, RELATED)
    with transaction.atomic():
        obligation = model_create(
            model=Obligation,
            organization=organization,
            actor=actor,
            fields=values,
            allowed=(*FIELDS, *RELATED),
            action="compliance.obligation.created",
            # A new obligation is due for its first evaluation at once.
            defaults={"next_evaluation_on": timezone.localdate()},
            related=related or None,
        )
        link_obligation(actor, obligation)
    return obligation


def obligation_update(
    *, actor: User, obligation: Obligation, version: int | None, reason: str, **values: Any
) -> Obligation:
    """A new version of `obligation`; the one it replaces is kept with `reason`."""
    organization = obligation.organization
    ensure_allowed(
        actor=actor, organization=organization, permission="compliance.edit", obj=obligation
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the obligation changes.")})
    if "responsible" in values:
        check_assignable(organization, values["responsible"], "responsible")
    related = take_related(organization, values, RELATED)
    with transaction.atomic():
        before = Obligation.objects.select_for_update(no_key=True).get(pk=obligation.pk)
        # Checked on the locked row: a withdrawal committed a moment ago must win.
        if before.status != ObligationStatus.ACTIVE:
            raise ValidationError(_("A withdrawn obligation is not changed."))
        kept = {**trail.snapshot(before, FIELDS), **related_snapshot(before, RELATED)}
        updated, changes = model_update(
            instance=obligation,
            actor=actor,
            fields=values,
            allowed=(*FIELDS, *RELATED),
            expected_version=version,
            action="compliance.obligation.updated",
            reason=reason,
            related=related or None,
        )
        if changes:
            ObligationVersion.objects.create(
                obligation=updated,
                number=before.version,
                data=kept,
                reason=reason,
                changed_by=actor,
            )
        if "evaluation_months" in changes:
            _schedule_next_evaluation(updated)
        if "discipline" in changes:
            link_obligation(actor, updated)
        if changes:
            for listener in ON_CHANGE:
                listener(actor, updated, reason)
    return updated


def _schedule_next_evaluation(obligation: Obligation) -> None:
    """The next evaluation falls due one frequency after the latest assessed one (at once when
    there is none, or when the latest could not assess compliance)."""
    last = obligation.last_evaluated_on
    if last is None:
        due = obligation.next_evaluation_on or timezone.localdate()
    elif obligation.last_result == EvaluationResult.NOT_ASSESSED:
        due = last
    else:
        due = add_months(last, obligation.evaluation_months)
    Obligation.objects.filter(pk=obligation.pk).update(next_evaluation_on=due)
    obligation.next_evaluation_on = due


def _latest_evaluation(obligation: Obligation) -> None:
    """Keep the obligation's latest date and result (the register, the due items and the
    status read them) from its evaluations."""
    latest = (
        Evaluation.objects.filter(obligation=obligation)
        .order_by("-evaluated_on", "-pk")
        .values_list("evaluated_on", "result")
        .first()
    )
    obligation.last_evaluated_on, obligation.last_result = latest or (None, "")
    Obligation.objects.filter(pk=obligation.pk).update(
        last_evaluated_on=obligation.last_evaluated_on, last_result=obligation.last_result
    )
    _schedule_next_evaluation(obligation)


def evaluation_record(
    *,
    actor: User,
    obligation: Obligation,
    evaluated_on: datetime.date,
    method: str,
    result: str,
    evidence: str,
    evaluator: User,
    notes: str = "",
) -> Evaluation:
    """Record an evaluation of compliance (the retained 9.1.2 record): it sets when the next
    one falls due, links it to 9.1.2 of the discipline's standard, and a non-compliance raises
    a nonconformity (source: compliance evaluation) owned by the obligation's responsible."""
    organization = obligation.organization
    ensure_allowed(
        actor=actor, organization=organization, permission="compliance.evaluate", obj=obligation
    )
    check_assignable(organization, evaluator, "evaluator")
    with transaction.atomic():
        locked = Obligation.objects.select_for_update(no_key=True).get(pk=obligation.pk)
        if locked.status != ObligationStatus.ACTIVE:
            raise ValidationError(_("A withdrawn obligation is not evaluated."))
        evaluation = model_create(
            model=Evaluation,
            organization=organization,
            actor=actor,
            fields={
                "evaluated_on": evaluated_on,
                "method": method,
                "result": result,
                "evidence": evidence,
                "evaluator": evaluator,
                "notes": notes,
            },
            allowed=EVALUATION_FIELDS,
            action="compliance.evaluation.recorded",
            defaults={"obligation": locked},
        )
        _latest_evaluation(locked)
        clauses = link_evaluation(actor, evaluation, locked.discipline)
        if result == EvaluationResult.NON_COMPLIANT:
            _raise_nonconformity(actor, evaluation, locked, clauses)
    return evaluation


def _raise_nonconformity(
    actor: User, evaluation: Evaluation, obligation: Obligation, clauses: list[Any]
) -> Any:
    from pdca.improvement import services as improvement
    from pdca.improvement.models import Source

    return improvement.nonconformity_raise(
        actor=actor,
        organization=obligation.organization,
        title=_("Non-compliance: %(title)s") % {"title": obligation.title[:150]},
        description=_("%(requirement)s\n\nEvaluated on %(date)s (%(method)s): %(evidence)s")
        % {
            "requirement": obligation.requirement,
            "date": evaluation.evaluated_on,
            "method": evaluation.get_method_display(),
            "evidence": evaluation.evidence,
        },
        source=Source.COMPLIANCE,
        found_on=evaluation.evaluated_on,
        clauses=clauses,
        owner=obligation.responsible,
        source_object=evaluation,
    )


def evaluation_correct(
    *, actor: User, evaluation: Evaluation, version: int | None, reason: str, **values: Any
) -> Evaluation:
    """Correct a recorded evaluation (never deleted): the trail keeps the old values with the
    reason; a correction to non-compliant raises its nonconformity."""
    obligation = evaluation.obligation
    ensure_allowed(
        actor=actor,
        organization=evaluation.organization,
        permission="compliance.evaluate",
        obj=obligation,
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the evaluation is corrected.")})
    if "evaluator" in values:
        check_assignable(evaluation.organization, values["evaluator"], "evaluator")
    with transaction.atomic():
        updated, changes = model_update(
            instance=evaluation,
            actor=actor,
            fields={**values, "status": EvaluationStatus.CORRECTED},
            allowed=(*EVALUATION_FIELDS, "status"),
            expected_version=version,
            action="compliance.evaluation.corrected",
            reason=reason,
        )
        if set(changes) & {"evaluated_on", "result"}:
            locked = Obligation.objects.select_for_update(no_key=True).get(pk=obligation.pk)
            _latest_evaluation(locked)
        if "result" in changes and updated.result == EvaluationResult.NON_COMPLIANT:
            clauses = link_evaluation(actor, updated, obligation.discipline)
            _raise_nonconformity(actor, updated, obligation, clauses)
    return updated


def obligation_withdraw(
    *, actor: User, obligation: Obligation, reason: str, version: int | None = None
) -> Obligation:
    ensure_allowed(
        actor=actor,
        organization=obligation.organization,
        permission="compliance.withdraw",
        obj=obligation,
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the obligation is withdrawn.")})

    def check(locked: Obligation) -> None:
        if locked.status != ObligationStatus.ACTIVE:
            raise ValidationError(_("The obligation is already withdrawn."))

    return model_transition(
        instance=obligation,
        actor=actor,
        action="compliance.obligation.withdrawn",
        to={"status": ObligationStatus.WITHDRAWN, "withdrawn_reason": reason},
        record=("status",),
        check=check,
        reason=reason,
        expected_version=version,
    )
