"""Every write to the registers of environmental aspects and OH&S hazards.

An aspect's score and significance are computed here from the organization's maintained
criteria, never typed in; a rating outside the criteria's scale is refused on its field. A
change names its reason and the version it was based on; nothing is deleted, only withdrawn."""

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
    conflict,
    model_create,
    model_transition,
    model_update,
    take_related,
)
from pdca.ehs import awareness
from pdca.ehs.models import Aspect, EntryStatus, Hazard, SignificanceCriteria
from pdca.standards.evidence import evidence_set

CRITERIA_FIELDS = ("scale", "threshold", "legal_points", "legal_makes_significant", "notes")
ASPECT_FIELDS = (
    "activity",
    "aspect",
    "impact_on",
    "impact",
    "condition",
    "life_cycle_stage",
    "control",
    "severity",
    "frequency",
    "stakeholder_concern",
    "operational_control",
    "emergency_plan",
    "monitoring",
    "owner",
    "review_on",
)
RATINGS = ("severity", "frequency", "stakeholder_concern")


def criteria_for(organization: Organization) -> SignificanceCriteria:
    """The organization's criteria; the defaults (five levels, significant from 15) until it
    saves its own."""
    found = SignificanceCriteria.objects.filter(organization=organization).first()
    # Version 0 until saved: whoever saves first makes version 1, so a second person's save of
    # the defaults they opened is a conflict, not a silent overwrite.
    return found or SignificanceCriteria(organization=organization, version=0)


def criteria_save(
    *, actor: User, organization: Organization, version: int | None = None, **values: Any
) -> SignificanceCriteria:
    """Set the criteria; the aspects rated are judged again by them (their scores and
    significance change with the method, each change in its aspect's trail)."""
    ensure_allowed(actor=actor, organization=organization, permission="ehs.manage")
    scale = values.get("scale")
    if scale is not None:
        rated = Aspect.objects.filter(organization=organization, status=EntryStatus.ACTIVE)
        highest = max((max(row) for row in rated.values_list(*RATINGS)), default=0)
        if highest > scale:
            raise ValidationError(
                {
                    "scale": _(
                        "Aspects are rated up to %(n)s: reassess them before narrowing the scale."
                    )
                    % {"n": highest}
                }
            )
    with transaction.atomic():
        current = (
            SignificanceCriteria.objects.select_for_update(no_key=True)
            .filter(organization=organization)
            .first()
        )
        if current is None:
            if version not in (None, 0):
                raise conflict(SignificanceCriteria(organization=organization))
            criteria = model_create(
                model=SignificanceCriteria,
                organization=organization,
                actor=actor,
                fields=values,
                allowed=CRITERIA_FIELDS,
                action="ehs.criteria.saved",
            )
        else:
            criteria, _changes = model_update(
                instance=current,
                actor=actor,
                fields=values,
                allowed=CRITERIA_FIELDS,
                expected_version=version,
                action="ehs.criteria.saved",
            )
        became: list[Aspect] = []
        for aspect in Aspect.objects.filter(organization=organization, status=EntryStatus.ACTIVE):
            score, significant = _judge(criteria, aspect, aspect.obligations.exists())
            if (score, significant) != (aspect.score, aspect.significant):
                model_update(
                    instance=aspect,
                    actor=actor,
                    fields={"score": score, "significant": significant},
                    allowed=("score", "significant"),
                    expected_version=aspect.version,
                    action="ehs.aspect.rejudged",
                )
                if significant and not aspect.significant:
                    became.append(aspect)
        # Everyone is asked once for all the aspects the new criteria make significant.
        awareness.newly_significant(actor, organization, became)
    return criteria


def _check_ratings(criteria: SignificanceCriteria, values: dict[str, Any]) -> None:
    errors = {}
    for name in RATINGS:
        value = values.get(name)
        if value is None:
            continue
        if not isinstance(value, int) or not 1 <= value <= criteria.scale:
            errors[name] = _("Rate from 1 to %(n)s, as the significance criteria say.") % {
                "n": criteria.scale
            }
    if errors:
        raise ValidationError(errors)


def _judge(criteria: SignificanceCriteria, aspect: Aspect, legal: bool) -> tuple[int, bool]:
    score = criteria.score(aspect.severity, aspect.frequency, aspect.stakeholder_concern, legal)
    return score, criteria.is_significant(score, legal)


ASPECT_RELATED = ("obligations", "documents", "objectives")


def aspect_create(*, actor: User, organization: Organization, **values: Any) -> Aspect:
    ensure_allowed(actor=actor, organization=organization, permission="ehs.edit")
    check_assignable(organization, values.get("owner"), "owner")
    criteria = criteria_for(organization)
    _check_ratings(criteria, values)
    related = take_related(organization, values, ASPECT_RELATED)
    probe = Aspect(**{k: values.get(k) for k in RATINGS})
    score, significant = _judge(criteria, probe, bool(related.get("obligations")))
    with transaction.atomic():
        aspect = model_create(
            model=Aspect,
            organization=organization,
            actor=actor,
            fields=values,
            allowed=(*ASPECT_FIELDS, *ASPECT_RELATED),
            action="ehs.aspect.created",
            defaults={"score": score, "significant": significant},
            related=related or None,
        )
        awareness.newly(actor, aspect, False, aspect.significant)
        # The register is the 6.1.2 information ISO 14001 asks to maintain.
        clauses = chosen_clauses(organization, [("iso14001", "6.1.2")])
        if clauses:
            evidence_set(actor=actor, organization=organization, obj=aspect, clauses=clauses)
    return aspect


def aspect_update(
    *, actor: User, entry: Aspect, version: int | None, reason: str, **values: Any
) -> Aspect:
    """Reassess the register's `entry` (a new or changed activity, a planned review): its score
    and significance follow from the criteria. (`aspect` is one of its fields: what the
    activity does to the environment.)"""
    aspect = entry
    organization = aspect.organization
    ensure_allowed(actor=actor, organization=organization, permission="ehs.edit", obj=aspect)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the aspect is reassessed.")})
    if aspect.status != EntryStatus.ACTIVE:
        raise ValidationError(_("A withdrawn aspect is not reassessed."))
    if "owner" in values:
        check_assignable(organization, values["owner"], "owner")
    criteria = criteria_for(organization)
    _check_ratings(criteria, values)
    related = take_related(organization, values, ASPECT_RELATED)
    if "obligations" in related:
        legal = bool(related["obligations"])
    else:
        legal = aspect.obligations.exists()
    probe = Aspect(**{k: values.get(k, getattr(aspect, k)) for k in RATINGS})
    score, significant = _judge(criteria, probe, legal)
    with transaction.atomic():
        updated, _changes = model_update(
            instance=aspect,
            actor=actor,
            fields={**values, "score": score, "significant": significant},
            allowed=(*ASPECT_FIELDS, *ASPECT_RELATED, "score", "significant"),
            expected_version=version,
            action="ehs.aspect.reassessed",
            reason=reason,
            related=related or None,
        )
        awareness.newly(actor, updated, aspect.significant, updated.significant)
    return updated


def aspect_withdraw(
    *, actor: User, aspect: Aspect, reason: str, version: int | None = None
) -> Aspect:
    ensure_allowed(actor=actor, organization=aspect.organization, permission="ehs.edit", obj=aspect)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the aspect is withdrawn.")})

    def check(locked: Aspect) -> None:
        if locked.status != EntryStatus.ACTIVE:
            raise ValidationError(_("The aspect is already withdrawn."))

    return model_transition(
        instance=aspect,
        actor=actor,
        action="ehs.aspect.withdrawn",
        to={"status": EntryStatus.WITHDRAWN, "withdrawn_reason": reason},
        record=("status",),
        check=check,
        reason=reason,
        expected_version=version,
    )


def ask_review(actor: User, entries: Any, action: str, why: str) -> int:
    """Make the current `entries` (aspects or hazards) due for review today, each in its trail
    with `why`, its owner seeing it among the due items; one already due keeps its date.
    Returns how many were asked."""
    today = timezone.localdate()
    asked = 0
    for entry in entries.filter(status=EntryStatus.ACTIVE).exclude(review_on__lte=today):
        model_update(
            instance=entry,
            actor=actor,
            fields={"review_on": today},
            allowed=("review_on",),
            expected_version=entry.version,
            action=action,
            reason=why,
        )
        asked += 1
    return asked


def review_after_obligation_change(actor: User, obligation: Any, reason: str) -> None:
    """A new version of a compliance obligation asks for the review of the aspects and hazards
    it applies to (14001 and 45001 6.1.3; their controls are reviewed with them)."""
    why = _("The compliance obligation “%(title)s” changed: %(reason)s") % {
        "title": obligation.title,
        "reason": reason,
    }
    org = obligation.organization
    ask_review(
        actor,
        Aspect.objects.filter(organization=org, obligations=obligation),
        "ehs.aspect.review_asked",
        why,
    )
    ask_review(
        actor,
        Hazard.objects.filter(organization=org, obligations=obligation),
        "ehs.hazard.review_asked",
        why,
    )
