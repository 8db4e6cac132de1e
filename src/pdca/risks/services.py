"""Every write of the register of risks and opportunities (6.1) and of the actions on them.

Each service takes the acting user, runs in one transaction and records the audit trail.
Scores are made under the method in force (`risks.method.rate`) and keep its version; a risk
scored under an older version shows so until it is reassessed, never rescored silently.
Risks are never deleted: `risk_close` closes one with a reason.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core.access import ensure_allowed
from pdca.core.assignable import check_assignable
from pdca.core.models import Organization, User
from pdca.core.signatures import confirm_password
from pdca.core.updating import (
    check_same_organization,
    model_create,
    model_transition,
    model_update,
)
from pdca.core.validators import check_single_line
from pdca.risks import method as methods
from pdca.risks.models import (
    ContextIssue,
    Effectiveness,
    Kind,
    PartyRequirement,
    Risk,
    RiskAction,
    RiskMethod,
    Treatment,
)
from pdca.standards.models import Process, Standard

RISK_FIELDS = (
    "number",
    "kind",
    "title",
    "cause",
    "effect",
    "process",
    "source_issue",
    "source_requirement",
    "standards",
    "owner",
    "method",
    "likelihood",
    "consequence",
    "score",
    "assessed_on",
    "review_on",
)
DESCRIPTION_FIELDS = (
    "title",
    "cause",
    "effect",
    "process",
    "source_issue",
    "source_requirement",
    "standards",
    "owner",
    "review_on",
)
ASSESS_FIELDS = (
    "method",
    "likelihood",
    "consequence",
    "score",
    "assessed_on",
    "residual_likelihood",
    "residual_consequence",
    "residual_score",
    "accepted_by",
    "accepted_at",
)
TREATMENT_FIELDS = (
    "treatment",
    "residual_likelihood",
    "residual_consequence",
    "residual_score",
    "accepted_by",
    "accepted_at",
)
EFFECTIVENESS_FIELDS = ("effectiveness", "effectiveness_notes", "effectiveness_evaluated_on")
ACTION_FIELDS = ("risk", "title", "owner", "due_on", "process", "status", "done_on", "notes")


def _residual_above() -> str:
    return _("The residual risk cannot be above the risk before treatment.")


def method_in_force(organization: Organization) -> RiskMethod:
    """The approved method, or the refusal that says one is needed first."""
    current = methods.current(organization)
    if current is None:
        raise ValidationError(
            _("Approve a risk method first: every score is made under the method in force.")
        )
    return current


def _check_owner(organization: Organization, owner: User | None) -> None:
    if owner is None:
        raise ValidationError({"owner": _("Every risk and opportunity needs an owner.")})
    check_assignable(organization, owner, "owner")


def _check_text(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the risk or opportunity a title.")})
    check_single_line(title=title)
    return title


def _refuse_if_closed(risk: Risk) -> None:
    if not risk.is_open:
        raise ValidationError(_("%(ref)s is closed.") % {"ref": risk.reference})


def risk_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    owner: User | None,
    likelihood: Any,
    consequence: Any,
    kind: str = Kind.RISK,
    cause: str = "",
    effect: str = "",
    process: Process | None = None,
    standards: Iterable[Standard] = (),
    review_on: datetime.date | None = None,
    source_issue: ContextIssue | None = None,
    source_requirement: PartyRequirement | None = None,
) -> Risk:
    """Enter a risk or opportunity in the register, scored under the method in force."""
    ensure_allowed(actor=actor, organization=organization, permission="risks.manage")
    title = _check_text(title)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose a risk or an opportunity.")})
    _check_owner(organization, owner)
    check_same_organization(organization, "process", process)
    check_same_organization(organization, "source_issue", source_issue)
    check_same_organization(organization, "source_requirement", source_requirement)
    current = method_in_force(organization)
    rating = methods.rate(current, likelihood, consequence)
    with transaction.atomic():
        # Lock the organization row so two entries cannot take the same number.
        Organization.objects.select_for_update(no_key=True).filter(pk=organization.pk).first()
        last = Risk.objects.filter(organization=organization).aggregate(n=Max("number"))["n"]
        return model_create(
            model=Risk,
            organization=organization,
            actor=actor,
            fields={
                "number": (last or 0) + 1,
                "kind": kind,
                "title": title,
                "cause": cause.strip(),
                "effect": effect.strip(),
                "process": process,
                "source_issue": source_issue,
                "source_requirement": source_requirement,
                "owner": owner,
                "method": current,
                "likelihood": rating.likelihood,
                "consequence": rating.consequence,
                "score": rating.score,
                "assessed_on": timezone.localdate(),
                "review_on": review_on,
            },
            related={"standards": list(standards)},
            allowed=RISK_FIELDS,
            action="risks.risk.created",
        )


def risk_update(
    *,
    actor: User,
    risk: Risk,
    expected_version: int | None,
    fields: dict[str, Any],
    standards: Iterable[Standard] | None = None,
) -> Risk:
    """Change what the entry says (title, cause and effect, process, standards, owner, review
    date); the score changes only through `risk_assess`."""
    organization = risk.organization
    ensure_allowed(actor=actor, organization=organization, permission="risks.manage")
    if "title" in fields:
        fields["title"] = _check_text(fields["title"])
    if "owner" in fields:
        _check_owner(organization, fields["owner"])
    for name in ("process", "source_issue", "source_requirement"):
        check_same_organization(organization, name, fields.get(name))
    with transaction.atomic():
        updated, _changes = model_update(
            instance=risk,
            actor=actor,
            fields=fields,
            related={"standards": list(standards)} if standards is not None else None,
            allowed=DESCRIPTION_FIELDS,
            expected_version=expected_version,
            validate=_refuse_if_closed,
            action="risks.risk.updated",
        )
    return updated


def risk_assess(
    *,
    actor: User,
    risk: Risk,
    expected_version: int | None,
    likelihood: Any,
    consequence: Any,
    residual_likelihood: Any = None,
    residual_consequence: Any = None,
) -> Risk:
    """Score the risk again under the method in force (the way out of "scored under an older
    method version"). A changed score asks the owner to accept the residual risk again."""
    organization = risk.organization
    ensure_allowed(actor=actor, organization=organization, permission="risks.manage")
    current = method_in_force(organization)
    rating = methods.rate(current, likelihood, consequence)
    fields: dict[str, Any] = {
        "method": current,
        "likelihood": rating.likelihood,
        "consequence": rating.consequence,
        "score": rating.score,
        "assessed_on": timezone.localdate(),
    }
    fields.update(_residual(current, residual_likelihood, residual_consequence))

    before = (risk.method_id, risk.score, risk.residual_score)

    def validate(locked: Risk) -> None:
        _refuse_if_closed(locked)
        if "residual_score" not in fields and locked.method_id != before[0]:
            # A residual level from an older method is not comparable: it is scored again.
            locked.residual_likelihood = locked.residual_consequence = None
            locked.residual_score = None
        if locked.residual_score is not None and locked.residual_score > locked.score:
            raise ValidationError({"residual_likelihood": _residual_above()})
        if (locked.method_id, locked.score, locked.residual_score) != before:
            # A changed score asks the owner to accept the residual risk again.
            locked.accepted_by = None
            locked.accepted_at = None

    with transaction.atomic():
        updated, _changes = model_update(
            instance=risk,
            actor=actor,
            fields=fields,
            allowed=ASSESS_FIELDS,
            expected_version=expected_version,
            validate=validate,
            action="risks.risk.assessed",
        )
    return updated


def _residual(current: RiskMethod, likelihood: Any, consequence: Any) -> dict[str, Any]:
    if likelihood in (None, "") and consequence in (None, ""):
        return {}
    try:
        rating = methods.rate(current, likelihood, consequence)
    except ValidationError as error:
        raise ValidationError(
            {f"residual_{name}": messages for name, messages in error.message_dict.items()}
        ) from error
    return {
        "residual_likelihood": rating.likelihood,
        "residual_consequence": rating.consequence,
        "residual_score": rating.score,
    }


def risk_treat(
    *,
    actor: User,
    risk: Risk,
    expected_version: int | None,
    treatment: str,
    residual_likelihood: Any = None,
    residual_consequence: Any = None,
    password: str = "",
) -> Risk:
    """Choose the treatment option and the residual risk expected after it (6.1.3).

    Retaining a risk above the acceptance criteria needs the owner's signed acceptance: the
    owner chooses it with the password, or it is refused."""
    organization = risk.organization
    # The register's keepers choose treatments; so may the risk's owner, whatever their role,
    # since the owner answers for the risk.
    ensure_allowed(actor=actor, organization=organization, permission="risks.treat", obj=risk)
    if treatment not in Treatment.values:
        raise ValidationError({"treatment": _("Choose a treatment option.")})
    used = risk.method
    fields: dict[str, Any] = {"treatment": treatment}
    fields.update(_residual(used, residual_likelihood, residual_consequence))
    if fields.get("residual_score") is not None and fields["residual_score"] > risk.score:
        raise ValidationError({"residual_likelihood": _residual_above()})
    residual = fields.get("residual_score", risk.residual_score)
    level = residual if residual is not None else risk.score
    signed = False
    if treatment == Treatment.RETAIN and level > used.acceptance_threshold:
        if actor.pk != risk.owner_id:
            raise ValidationError(
                {
                    "treatment": _(
                        "Retaining a risk above the acceptance criteria (score %(score)s, "
                        "accepted up to %(limit)s) needs the risk owner's signed acceptance: "
                        "%(owner)s chooses it, with the password."
                    )
                    % {"score": level, "limit": used.acceptance_threshold, "owner": risk.owner}
                }
            )
        if not password:
            raise ValidationError(
                {"password": _("Sign the acceptance of the residual risk with your password.")}
            )
        confirm_password(
            actor=actor,
            password=password,
            organization=organization,
            obj=risk,
            refused_action="risks.risk.acceptance_refused",
            nothing_done=_("Nothing was changed."),
        )
        signed = True
    if signed:
        fields.update({"accepted_by": actor, "accepted_at": timezone.now()})
    else:
        # A new plan is the owner's to approve again.
        fields.update({"accepted_by": None, "accepted_at": None})
    with transaction.atomic():
        updated, _changes = model_update(
            instance=risk,
            actor=actor,
            fields=fields,
            allowed=TREATMENT_FIELDS,
            expected_version=expected_version,
            validate=_refuse_if_closed,
            action="risks.risk.treatment_set",
        )
    return updated


def acceptance_refusal(risk: Risk, actor: User) -> str:
    """Why `actor` cannot sign the acceptance of `risk`'s treatment and residual risk, or ""."""
    if not risk.is_open:
        return _("%(ref)s is closed.") % {"ref": risk.reference}
    if actor.pk != risk.owner_id:
        return _(
            "Only the risk owner, %(owner)s, can approve the treatment and accept the "
            "residual risk."
        ) % {"owner": risk.owner}
    if not risk.treatment:
        return _("Choose the treatment first.")
    if risk.is_accepted:
        return _("The owner has already accepted this plan and its residual risk.")
    return ""


def risk_accept(*, actor: User, risk: Risk, password: str) -> Risk:
    """The risk owner approves the treatment plan and accepts the residual risk, signing with
    the password (27001 6.1.3 f)). Anyone else is refused."""
    organization = risk.organization
    ensure_allowed(actor=actor, organization=organization, permission="risks.accept", obj=risk)
    refusal = acceptance_refusal(risk, actor)
    if refusal:
        raise ValidationError(refusal)
    confirm_password(
        actor=actor,
        password=password,
        organization=organization,
        obj=risk,
        refused_action="risks.risk.acceptance_refused",
    )

    def check(locked: Risk) -> None:
        refused = acceptance_refusal(locked, actor)
        if refused:
            raise ValidationError(refused)

    return model_transition(
        instance=risk,
        actor=actor,
        action="risks.risk.accepted",
        to={"accepted_by": actor, "accepted_at": timezone.now()},
        record=("accepted_by",),
        check=check,
        reason=_("Signed by the risk owner with password re-entry."),
    )


def risk_evaluate(
    *, actor: User, risk: Risk, expected_version: int | None, effectiveness: str, notes: str
) -> Risk:
    """Record the evaluation of the actions' effectiveness and its result (9001 6.1.2,
    9.1.3 e))."""
    ensure_allowed(actor=actor, organization=risk.organization, permission="risks.manage")
    if effectiveness not in Effectiveness.values:
        raise ValidationError({"effectiveness": _("Say whether the actions were effective.")})
    if not notes.strip():
        raise ValidationError({"effectiveness_notes": _("Say how the effectiveness was judged.")})
    with transaction.atomic():
        updated, _changes = model_update(
            instance=risk,
            actor=actor,
            fields={
                "effectiveness": effectiveness,
                "effectiveness_notes": notes.strip(),
                "effectiveness_evaluated_on": timezone.localdate(),
            },
            allowed=EFFECTIVENESS_FIELDS,
            expected_version=expected_version,
            validate=_refuse_if_closed,
            action="risks.risk.evaluated",
        )
    return updated


def risk_close(
    *, actor: User, risk: Risk, reason: str, expected_version: int | None = None
) -> Risk:
    """Close an entry that no longer applies, with the reason; it stays in the register."""
    ensure_allowed(actor=actor, organization=risk.organization, permission="risks.manage")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this entry is closed.")})
    return model_transition(
        instance=risk,
        actor=actor,
        action="risks.risk.closed",
        to={"status": Risk.Status.CLOSED, "close_reason": reason, "closed_at": timezone.now()},
        record=("status", "close_reason"),
        check=_refuse_if_closed,
        reason=reason,
        expected_version=expected_version,
    )


def action_add(
    *,
    actor: User,
    risk: Risk,
    title: str,
    owner: User | None,
    due_on: datetime.date | None,
    process: Process | None = None,
) -> RiskAction:
    """Plan an action on a risk or opportunity, integrated into a process (6.1.2 b 1)."""
    organization = risk.organization
    ensure_allowed(actor=actor, organization=organization, permission="risks.manage")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Say what will be done.")})
    check_single_line(title=title)
    if owner is None:
        raise ValidationError({"owner": _("Every action needs an owner.")})
    check_assignable(organization, owner, "owner")
    if due_on is None:
        raise ValidationError({"due_on": _("Give the action a due date.")})
    check_same_organization(organization, "process", process)
    _refuse_if_closed(risk)
    return model_create(
        model=RiskAction,
        organization=organization,
        actor=actor,
        fields={"risk": risk, "title": title, "owner": owner, "due_on": due_on, "process": process},
        allowed=ACTION_FIELDS,
        action="risks.action.planned",
    )


def action_update(
    *, actor: User, action: RiskAction, expected_version: int | None, status: str, notes: str = ""
) -> RiskAction:
    """The action's owner (or a manager) reports progress."""
    ensure_allowed(
        actor=actor,
        organization=action.organization,
        permission="risks.update_action",
        obj=action,
    )
    if status not in RiskAction.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == RiskAction.Status.DONE and not notes.strip():
        raise ValidationError({"notes": _("Say what was done before marking the action done.")})
    updated, _changes = model_update(
        instance=action,
        actor=actor,
        fields={"status": status, "notes": notes.strip()},
        validate=lambda locked: locked.follow_status_with_done_on(timezone.localdate()),
        allowed=ACTION_FIELDS,
        expected_version=expected_version,
        action="risks.action.updated",
    )
    return updated
