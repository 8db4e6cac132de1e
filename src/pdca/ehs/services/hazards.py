"""Every write to the hazard register (45001 6.1.2, 8.1.2).

A hazard is rated with the risk method in force (the risks app's method, `pdca.risks.method`),
or with the 5 × 5 default while none is approved; the score, whether it is above the
acceptance threshold and the flag "high risk controlled by PPE alone" are computed here, never
typed in. Controls are owned actions at a level of the hierarchy of controls. Nothing is
deleted: a hazard is reassessed with a reason (on change, after an incident, at its planned
review) or withdrawn."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.compliance.evidence import chosen_clauses
from pdca.core.access import ensure_allowed
from pdca.core.assignable import check_assignable
from pdca.core.models import Organization, User
from pdca.core.updating import (
    model_create,
    model_transition,
    model_update,
    take_related,
)
from pdca.core.validators import check_single_line
from pdca.ehs import awareness
from pdca.ehs.models import ControlLevel, EntryStatus, Exposed, Hazard, HazardControl
from pdca.risks import method as risk_method
from pdca.risks.models import RiskMethod
from pdca.standards.evidence import evidence_set

DEFAULT_LEVELS = 5
DEFAULT_ACCEPTANCE = 8
"""The default until a risk method is approved: likelihood and consequence 1 to 5, scores up
to 8 accepted; above it a risk is high."""

HAZARD_FIELDS = (
    "location_or_task",
    "routine",
    "hazard_type",
    "hazard",
    "harm",
    "people_exposed",
    "existing_controls",
    "opportunities",
    "workers_consulted",
    "owner",
    "review_on",
)
RATING_FIELDS = (
    "method",
    "likelihood",
    "consequence",
    "score",
    "high",
    "residual_likelihood",
    "residual_consequence",
    "residual_score",
    "ppe_only",
)
HAZARD_RELATED = ("obligations",)
CONTROL_FIELDS = ("hazard", "level", "title", "owner", "due_on", "status", "done_on", "notes")
HAZARD_CLAUSES = [("iso45001", "6.1.2.1"), ("iso45001", "8.1.2")]


def default_method() -> RiskMethod:
    """The 5 × 5 default as an unsaved method (ratings under it name no method)."""
    levels = [str(n) for n in range(1, DEFAULT_LEVELS + 1)]
    return RiskMethod(
        number=0,
        title=_("5 × 5 default"),
        likelihood_levels=levels,
        consequence_levels=levels,
        acceptance_threshold=DEFAULT_ACCEPTANCE,
    )


def method_for(organization: Organization) -> RiskMethod:
    """The approved risk method new ratings are made under, or the default."""
    return risk_method.current(organization) or default_method()


def _rate(organization: Organization, values: dict[str, Any], old: Hazard | None) -> dict[str, Any]:
    """The rating fields from the likelihood and consequence (before and after the controls),
    each refused on its own field when outside the method's scales."""
    method = method_for(organization)

    def given(name: str) -> Any:
        return values[name] if name in values else getattr(old, name, None)

    errors: dict[str, Any] = {}
    rating = None
    try:
        rating = risk_method.rate(method, given("likelihood"), given("consequence"))
    except ValidationError as error:
        errors.update(error.message_dict)
    residual_l, residual_c = given("residual_likelihood"), given("residual_consequence")
    residual = None
    if (residual_l is None) != (residual_c is None):
        missing = "residual_consequence" if residual_c is None else "residual_likelihood"
        errors[missing] = [_("Rate the residual risk by both likelihood and consequence.")]
    elif residual_l is not None:
        try:
            residual = risk_method.rate(method, residual_l, residual_c)
        except ValidationError as error:
            errors.update(
                {f"residual_{name}": messages for name, messages in error.message_dict.items()}
            )
    if rating and residual and residual.score > rating.score:
        errors["residual_likelihood"] = [
            _("The residual risk cannot be above the risk before the controls.")
        ]
    if errors:
        raise ValidationError(errors)
    assert rating is not None
    return {
        "method": method if method.pk else None,
        "likelihood": rating.likelihood,
        "consequence": rating.consequence,
        "score": rating.score,
        "high": not rating.acceptable,
        "residual_likelihood": residual.likelihood if residual else None,
        "residual_consequence": residual.consequence if residual else None,
        "residual_score": residual.score if residual else None,
    }


def _check(organization: Organization, values: dict[str, Any]) -> dict[str, Any]:
    if "owner" in values:
        if values["owner"] is None:
            raise ValidationError({"owner": _("Every hazard needs an owner.")})
        check_assignable(organization, values["owner"], "owner")
    if "people_exposed" in values:
        exposed = list(dict.fromkeys(values["people_exposed"] or []))
        if not exposed or set(exposed) - set(Exposed.values):
            raise ValidationError({"people_exposed": _("Say who is exposed to the hazard.")})
        values["people_exposed"] = exposed
    return values


def ppe_only(high: bool, levels: list[str]) -> bool:
    """A high risk whose controls (those not cancelled) are all personal protective equipment."""
    return high and bool(levels) and all(level == ControlLevel.PPE for level in levels)


def _control_levels(hazard: Hazard) -> list[str]:
    return list(
        hazard.controls.exclude(status=HazardControl.Status.CANCELLED).values_list(
            "level", flat=True
        )
    )


def hazard_create(*, actor: User, organization: Organization, **values: Any) -> Hazard:
    ensure_allowed(actor=actor, organization=organization, permission="ehs.edit")
    values = _check(organization, {"people_exposed": [], **values})
    related = take_related(organization, values, HAZARD_RELATED)
    rating = _rate(organization, values, None)
    with transaction.atomic():
        hazard = model_create(
            model=Hazard,
            organization=organization,
            actor=actor,
            fields={**values, **rating},
            allowed=(*HAZARD_FIELDS, *HAZARD_RELATED, *RATING_FIELDS),
            action="ehs.hazard.created",
            related=related or None,
        )
        awareness.newly(actor, hazard, False, hazard.high)
        # The register is the information 45001 6.1.2 and 8.1.2 ask for.
        clauses = chosen_clauses(organization, HAZARD_CLAUSES)
        if clauses:
            evidence_set(actor=actor, organization=organization, obj=hazard, clauses=clauses)
    return hazard


def hazard_update(
    *, actor: User, entry: Hazard, version: int | None, reason: str, **values: Any
) -> Hazard:
    """Reassess the register's `entry` (a change, 8.1.3; after an incident; its planned
    review): rated again under the method in force, with the reason in its history. (`hazard`
    is one of its fields: what could cause harm.)"""
    hazard = entry
    organization = hazard.organization
    ensure_allowed(actor=actor, organization=organization, permission="ehs.edit", obj=hazard)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the hazard is reassessed.")})
    if hazard.status != EntryStatus.ACTIVE:
        raise ValidationError(_("A withdrawn hazard is not reassessed."))
    values = _check(organization, values)
    related = take_related(organization, values, HAZARD_RELATED)
    rating = _rate(organization, values, hazard)
    rating["ppe_only"] = ppe_only(rating["high"], _control_levels(hazard))
    with transaction.atomic():
        updated, _changes = model_update(
            instance=hazard,
            actor=actor,
            fields={**values, **rating},
            allowed=(*HAZARD_FIELDS, *HAZARD_RELATED, *RATING_FIELDS),
            expected_version=version,
            action="ehs.hazard.reassessed",
            reason=reason,
            related=related or None,
        )
        awareness.newly(actor, updated, hazard.high, updated.high)
    return updated


def hazard_withdraw(
    *, actor: User, hazard: Hazard, reason: str, version: int | None = None
) -> Hazard:
    ensure_allowed(actor=actor, organization=hazard.organization, permission="ehs.edit", obj=hazard)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the hazard is withdrawn.")})

    def check(locked: Hazard) -> None:
        if locked.status != EntryStatus.ACTIVE:
            raise ValidationError(_("The hazard is already withdrawn."))

    return model_transition(
        instance=hazard,
        actor=actor,
        action="ehs.hazard.withdrawn",
        to={"status": EntryStatus.WITHDRAWN, "withdrawn_reason": reason},
        record=("status",),
        check=check,
        reason=reason,
        expected_version=version,
    )


def _reflag(actor: User, hazard: Hazard) -> None:
    locked = Hazard.objects.select_for_update(no_key=True).get(pk=hazard.pk)
    flag = ppe_only(locked.high, _control_levels(locked))
    if flag != locked.ppe_only:
        model_update(
            instance=locked,
            actor=actor,
            fields={"ppe_only": flag},
            allowed=("ppe_only",),
            expected_version=locked.version,
            action="ehs.hazard.flag_changed",
        )


def control_add(
    *,
    actor: User,
    hazard: Hazard,
    level: str,
    title: str,
    owner: User | None,
    due_on: datetime.date | None,
) -> HazardControl:
    """Plan a control at its level of the hierarchy, owned and due; a high risk left with only
    personal protective equipment is flagged."""
    organization = hazard.organization
    ensure_allowed(actor=actor, organization=organization, permission="ehs.edit", obj=hazard)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Say what the control is.")
    if level not in ControlLevel.values:
        errors["level"] = _("Choose a level of the hierarchy of controls.")
    if owner is None:
        errors["owner"] = _("Every control needs an owner.")
    if due_on is None:
        errors["due_on"] = _("Give the control a due date.")
    if errors:
        raise ValidationError(errors)
    check_single_line(title=title)
    check_assignable(organization, owner, "owner")
    if hazard.status != EntryStatus.ACTIVE:
        raise ValidationError(_("A withdrawn hazard gets no new controls."))
    with transaction.atomic():
        control = model_create(
            model=HazardControl,
            organization=organization,
            actor=actor,
            fields={
                "hazard": hazard,
                "level": level,
                "title": title,
                "owner": owner,
                "due_on": due_on,
            },
            allowed=CONTROL_FIELDS,
            action="ehs.control.planned",
        )
        _reflag(actor, hazard)
    return control


def control_update(
    *,
    actor: User,
    control: HazardControl,
    expected_version: int | None,
    status: str,
    notes: str = "",
) -> HazardControl:
    """The control's owner (or a keeper of the register) reports its progress; a cancelled
    control no longer counts for the PPE flag."""
    ensure_allowed(
        actor=actor,
        organization=control.organization,
        permission="ehs.update_control",
        obj=control,
    )
    if status not in HazardControl.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == HazardControl.Status.DONE and not (notes or "").strip():
        raise ValidationError({"notes": _("Say what was done before marking the control done.")})
    with transaction.atomic():
        updated, _changes = model_update(
            instance=control,
            actor=actor,
            fields={"status": status, "notes": (notes or "").strip()},
            validate=lambda locked: locked.follow_status_with_done_on(timezone.localdate()),
            allowed=CONTROL_FIELDS,
            expected_version=expected_version,
            action="ehs.control.updated",
        )
        _reflag(actor, control.hazard)
    return updated
