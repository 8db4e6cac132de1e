"""The risk method as a service every register rates with (risks, opportunities, ISMS risks,
and other modules' registers such as hazards).

A rating always names the method version it was made under; approving a new version never
rescores older ratings: they stay "scored under method vN" until someone rates them again.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core.access import ensure_allowed
from pdca.core.assignable import check_assignable
from pdca.core.models import Organization, User
from pdca.core.updating import model_create, model_transition
from pdca.core.validators import check_single_line
from pdca.risks.models import RiskMethod

METHOD_FIELDS = (
    "number",
    "title",
    "likelihood_levels",
    "consequence_levels",
    "acceptance_threshold",
    "acceptance_criteria",
    "owner",
)
MIN_LEVELS, MAX_LEVELS = 2, 10


@dataclass(frozen=True)
class Rating:
    method_id: int
    method_number: int
    likelihood: int
    consequence: int
    score: int
    acceptable: bool


def current(organization: Organization) -> RiskMethod | None:
    """The approved method new ratings are made under (one query)."""
    return (
        RiskMethod.objects.filter(organization=organization, status=RiskMethod.Status.APPROVED)
        .order_by("-number")
        .first()
    )


def rate(method: RiskMethod, likelihood: Any, consequence: Any) -> Rating:
    """Score a likelihood and a consequence on the method's scales; refuse values outside them
    (the error names the field)."""
    errors: dict[str, str] = {}
    values: dict[str, int] = {}
    for name, raw, levels in (
        ("likelihood", likelihood, method.likelihood_levels),
        ("consequence", consequence, method.consequence_levels),
    ):
        value = _whole_number(raw)
        if value is None:
            errors[name] = _("Choose a level of the method's scale.")
            continue
        if not 1 <= value <= len(levels):
            errors[name] = _("Outside the method's scale of 1 to %(n)s.") % {"n": len(levels)}
            continue
        values[name] = value
    if errors:
        raise ValidationError(errors)
    score = values["likelihood"] * values["consequence"]
    return Rating(
        method_id=method.pk,
        method_number=method.number,
        likelihood=values["likelihood"],
        consequence=values["consequence"],
        score=score,
        acceptable=score <= method.acceptance_threshold,
    )


def _whole_number(raw: Any) -> int | None:
    """`raw` as a whole number, or None: 2.5 or "two" is no level (int() would make 2.5 a 2)."""
    if isinstance(raw, bool):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if value == raw or str(raw).strip() == str(value) else None


def _clean_levels(name: str, levels: Any) -> list[str]:
    if not isinstance(levels, (list, tuple)) or not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
        raise ValidationError(
            {name: _("Give %(a)s to %(b)s levels.") % {"a": MIN_LEVELS, "b": MAX_LEVELS}}
        )
    cleaned = [str(level).strip() for level in levels]
    if any(not level for level in cleaned) or len(set(cleaned)) != len(cleaned):
        raise ValidationError({name: _("Every level needs its own name.")})
    check_single_line(**{name: " ".join(cleaned)})
    return cleaned


def method_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    likelihood_levels: list[str],
    consequence_levels: list[str],
    acceptance_threshold: int,
    owner: User,
    acceptance_criteria: str = "",
) -> RiskMethod:
    """Draft the next version of the method."""
    ensure_allowed(actor=actor, organization=organization, permission="risks.manage_method")
    check_assignable(organization, owner, "owner")
    likelihood = _clean_levels("likelihood_levels", likelihood_levels)
    consequence = _clean_levels("consequence_levels", consequence_levels)
    threshold = _whole_number(acceptance_threshold)
    if threshold is None or not 1 <= threshold <= len(likelihood) * len(consequence):
        raise ValidationError(
            {"acceptance_threshold": _("The threshold must be a score of the matrix.")}
        )
    check_single_line(title=title)
    with transaction.atomic():
        last = (
            RiskMethod.objects.select_for_update(no_key=True)
            .filter(organization=organization)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        return model_create(
            model=RiskMethod,
            organization=organization,
            actor=actor,
            fields={
                "number": (last or 0) + 1,
                "title": title,
                "likelihood_levels": likelihood,
                "consequence_levels": consequence,
                "acceptance_threshold": threshold,
                "acceptance_criteria": acceptance_criteria,
                "owner": owner,
            },
            allowed=METHOD_FIELDS,
            action="risks.method.created",
        )


def method_approve(*, actor: User, method: RiskMethod) -> RiskMethod:
    """Approve a draft: by its owner, and only if the actor may approve methods. The version
    approved before it is superseded; its ratings keep their method version."""
    organization = method.organization
    ensure_allowed(actor=actor, organization=organization, permission="risks.approve_method")

    def check(locked: RiskMethod) -> None:
        if locked.status != RiskMethod.Status.DRAFT:
            raise ValidationError(_("Only a draft method can be approved."))
        if locked.owner_id != actor.pk:
            raise ValidationError(_("Only the method's owner can approve it."))

    with transaction.atomic():
        previous = current(organization)
        approved = model_transition(
            instance=method,
            actor=actor,
            action="risks.method.approved",
            to={
                "status": RiskMethod.Status.APPROVED,
                "approved_by": actor,
                "approved_at": timezone.now(),
            },
            record=("status",),
            check=check,
        )
        if previous is not None and previous.pk != approved.pk:
            model_transition(
                instance=previous,
                actor=actor,
                action="risks.method.superseded",
                to={"status": RiskMethod.Status.SUPERSEDED},
                context={"superseded_by": [None, approved.number]},
            )
    return approved
