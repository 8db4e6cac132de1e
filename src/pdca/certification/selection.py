"""Choosing a certification body: the candidates compared side by side on the criteria the
organization weighted (accreditation, sector experience, reputation, support services, the
audit days and price offered, auditor availability, languages), then the decision with its
reason, approved by top management. Every write is here, with its trail entry."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.certification.models import (
    DEFAULT_CRITERIA,
    MAX_SCORE,
    BodySelection,
    CertificationBody,
    SelectionCandidate,
)
from pdca.core.access import ensure_allowed
from pdca.core.models import Organization, User
from pdca.core.updating import check_same_organization, model_create, model_transition, model_update


def default_criteria() -> list[dict[str, Any]]:
    return [
        {"code": code, "label": str(label), "weight": weight}
        for code, label, weight in DEFAULT_CRITERIA
    ]


def shown_criteria(criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The criteria as the reader sees them: a default criterion whose label nobody changed is
    shown in the reader's language, whatever language it was saved in."""
    from django.utils import translation

    shown = []
    for c in criteria:
        default = next(
            (label for code, label, _w in DEFAULT_CRITERIA if code == c.get("code")), None
        )
        if default is not None:
            with translation.override("en"):
                english = str(default)
            if c.get("label") in (english, str(default)):
                c = {**c, "label": str(default)}
        shown.append(c)
    return shown


def check_criteria(criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each criterion with a label and a weight from 0 to 10; at least one weighs."""
    cleaned = []
    for c in criteria:
        label = str(c.get("label", "")).strip()
        try:
            weight = int(c.get("weight", 0))
        except (TypeError, ValueError):
            weight = -1
        if not label or not 0 <= weight <= 10:
            raise ValidationError({"criteria": _("Each criterion has a name and a weight 0–10.")})
        cleaned.append({"code": str(c.get("code") or label)[:40], "label": label, "weight": weight})
    if not any(c["weight"] for c in cleaned):
        raise ValidationError({"criteria": _("Give at least one criterion a weight.")})
    return cleaned


def selection_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    standards: list[Any] | None = None,
    criteria: list[dict[str, Any]] | None = None,
) -> BodySelection:
    ensure_allowed(actor=actor, organization=organization, permission="certification.manage")
    check_same_organization(organization, "standards", standards or [])
    return model_create(
        model=BodySelection,
        organization=organization,
        actor=actor,
        fields={"title": title, "criteria": check_criteria(criteria or default_criteria())},
        related={"standards": standards or []},
        allowed=("title", "criteria", "standards"),
        action="certification.selection.created",
    )


def _check_open(selection: BodySelection) -> None:
    if selection.status != BodySelection.Status.OPEN:
        raise ValidationError(_("The selection is decided: it is kept as it was."))


def check_scores(selection: BodySelection, scores: dict[str, Any]) -> dict[str, int]:
    codes = {c["code"] for c in selection.criteria}
    cleaned: dict[str, int] = {}
    for code, value in scores.items():
        if code not in codes:
            raise ValidationError({"scores": _("Unknown criterion %(code)s.") % {"code": code}})
        if value in (None, ""):
            continue
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = -1
        if not 0 <= score <= MAX_SCORE:
            raise ValidationError(
                {"scores": _("Scores run from 0 to %(max)s.") % {"max": MAX_SCORE}}
            )
        cleaned[code] = score
    return cleaned


def candidate_add(
    *, actor: User, selection: BodySelection, body: CertificationBody, **values: Any
) -> SelectionCandidate:
    """Put a body into the comparison, with its scores and offer."""
    ensure_allowed(
        actor=actor,
        organization=selection.organization,
        permission="certification.manage",
        obj=selection,
    )
    check_same_organization(selection.organization, "body", body)
    _check_open(selection)
    if selection.candidates.filter(body=body).exists():
        raise ValidationError({"body": _("This body is already compared.")})
    values["scores"] = check_scores(selection, values.get("scores") or {})
    return model_create(
        model=SelectionCandidate,
        organization=selection.organization,
        actor=actor,
        fields={"selection": selection, "body": body, **values},
        allowed=("selection", "body", "scores", "audit_days", "price", "notes"),
        action="certification.selection.candidate",
    )


def candidate_update(
    *, actor: User, candidate: SelectionCandidate, expected_version: int | None, **values: Any
) -> SelectionCandidate:
    selection = candidate.selection
    ensure_allowed(
        actor=actor,
        organization=selection.organization,
        permission="certification.manage",
        obj=selection,
    )
    _check_open(selection)
    if "scores" in values:
        values["scores"] = check_scores(selection, values["scores"] or {})
    updated, _changes = model_update(
        instance=candidate,
        actor=actor,
        fields=values,
        allowed=("scores", "audit_days", "price", "notes"),
        expected_version=expected_version,
        action="certification.selection.scored",
    )
    return updated


@dataclass
class Column:
    candidate: SelectionCandidate
    total: float  # percent of the best possible weighted score
    scored: int  # criteria scored


def comparison(selection: BodySelection, candidates: list[SelectionCandidate]) -> list[Column]:
    """Each candidate's weighted total (0–100 %), best first; an unscored criterion counts 0."""
    weights = {c["code"]: c["weight"] for c in selection.criteria}
    best = sum(weights.values()) * MAX_SCORE
    columns = []
    for cand in candidates:
        points = sum(weights.get(code, 0) * score for code, score in cand.scores.items())
        columns.append(
            Column(cand, round(100 * points / best, 1) if best else 0.0, len(cand.scores))
        )
    return sorted(columns, key=lambda col: (-col.total, col.candidate.pk))


def selection_decide(
    *,
    actor: User,
    selection: BodySelection,
    chosen: CertificationBody,
    reason: str,
    expected_version: int | None = None,
) -> BodySelection:
    """Top management decides among the candidates, with a reason; the decision is approved
    by them and recorded (the selection is then kept as it was)."""
    ensure_allowed(
        actor=actor,
        organization=selection.organization,
        permission="certification.decide_selection",
        obj=selection,
        refusal=_("Top management approves the choice of the certification body."),
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this body is chosen.")})
    if not selection.candidates.filter(body=chosen).exists():
        raise ValidationError({"chosen": _("Choose one of the compared bodies.")})

    def check(locked: BodySelection) -> None:
        _check_open(locked)

    return model_transition(
        instance=selection,
        actor=actor,
        action="certification.selection.decided",
        to={
            "status": BodySelection.Status.DECIDED,
            "chosen": chosen,
            "reason": reason.strip(),
            "decided_on": timezone.localdate(),
            "approved_by": actor,
        },
        record=("status", "chosen", "reason"),
        check=check,
        expected_version=expected_version,
    )
