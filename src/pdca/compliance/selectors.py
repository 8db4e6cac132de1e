"""Reads of the register of legal and other requirements: the filtered list, an obligation's
page (its earlier versions)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.compliance.models import (
    Discipline,
    Evaluation,
    EvaluationResult,
    Obligation,
    ObligationStatus,
    ObligationVersion,
)
from pdca.core.access import visible_rows

# The "next check for amendments" filter: how far ahead a check counts as coming up.
SOON_DAYS = 30


def visible_obligations(membership: Any) -> QuerySet[Obligation]:
    return visible_rows(membership, Obligation)


def obligation_list(membership: Any, data: dict[str, Any]) -> QuerySet[Obligation]:
    """The register as filtered: in force unless the status says otherwise, by title."""
    qs = visible_obligations(membership)
    status = data.get("status") or ObligationStatus.ACTIVE
    if status != "all":
        qs = qs.filter(status=status)
    if data.get("discipline"):
        qs = qs.filter(discipline=data["discipline"])
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("responsible"):
        qs = qs.filter(responsible=data["responsible"])
    if data.get("q"):
        q = data["q"]
        qs = qs.filter(
            Q(title__icontains=q) | Q(citation__icontains=q) | Q(permit_number__icontains=q)
        )
    check = data.get("next_check")
    today = timezone.localdate()
    if check == "overdue":
        qs = qs.filter(next_check_on__lt=today)
    elif check == "soon":
        qs = qs.filter(
            next_check_on__gte=today, next_check_on__lte=today + datetime.timedelta(SOON_DAYS)
        )
    elif check == "none":
        qs = qs.filter(next_check_on__isnull=True)
    if check in ("overdue", "soon"):
        return qs.select_related("responsible").order_by("next_check_on", "pk")
    return qs.select_related("responsible").order_by("title", "pk")


def obligation_versions(obligation: Obligation) -> list[ObligationVersion]:
    """The versions before the current one, newest first, with who changed them."""
    return list(obligation.versions.select_related("changed_by").order_by("-number"))


@dataclass
class ComplianceStatus:
    """What the organization knows of its compliance, for one discipline (or all): the
    "knowledge and understanding of its compliance status" 9.1.2 asks for, and the input to
    management review."""

    discipline: str
    label: str
    obligations: int = 0
    compliant: int = 0
    non_compliant: int = 0
    not_assessed: int = 0
    never_evaluated: int = 0
    evaluation_overdue: int = 0
    permits_expired: int = 0
    permits_expiring: int = 0  # within PERMIT_WARNING_DAYS

    @property
    def evaluated_in_time(self) -> int:
        return self.obligations - self.evaluation_overdue

    @property
    def all_evaluated(self) -> bool:
        return self.obligations > 0 and not self.evaluation_overdue and not self.never_evaluated


PERMIT_WARNING_DAYS = 90


APPLIES_TO_SHOWN = 50


def applies_to(obligation: Obligation) -> dict[str, list[Any]]:
    """What the obligation applies to: its processes and sites, and the current entries of the
    aspect and hazard registers that cite it (the first of each, by name)."""
    shown = APPLIES_TO_SHOWN
    return {
        "processes": list(obligation.processes.order_by("code", "name")[:shown]),
        "sites": list(obligation.sites.order_by("name")[:shown]),
        "aspects": list(
            obligation.aspects.filter(status="active").order_by("activity", "pk")[:shown]  # type: ignore[attr-defined]
        ),
        "hazards": list(
            obligation.hazards.filter(status="active").order_by("location_or_task", "pk")[:shown]  # type: ignore[attr-defined]
        ),
    }


def compliance_status(organization: Any) -> dict[str, ComplianceStatus]:
    """The status per discipline of the obligations in force, and "all" (one query)."""
    today = timezone.localdate()
    soon = today + datetime.timedelta(PERMIT_WARNING_DAYS)
    rows = (
        Obligation.objects.filter(organization=organization, status=ObligationStatus.ACTIVE)
        .values("discipline")
        .annotate(
            obligations=Count("pk"),
            compliant=Count("pk", filter=Q(last_result=EvaluationResult.COMPLIANT)),
            non_compliant=Count("pk", filter=Q(last_result=EvaluationResult.NON_COMPLIANT)),
            not_assessed=Count("pk", filter=Q(last_result=EvaluationResult.NOT_ASSESSED)),
            never_evaluated=Count("pk", filter=Q(last_evaluated_on__isnull=True)),
            evaluation_overdue=Count("pk", filter=Q(next_evaluation_on__lt=today)),
            permits_expired=Count("pk", filter=Q(permit_expires_on__lt=today)),
            permits_expiring=Count(
                "pk", filter=Q(permit_expires_on__gte=today, permit_expires_on__lte=soon)
            ),
        )
        .order_by("discipline")
    )
    total = ComplianceStatus("all", str(_("All disciplines")))
    result: dict[str, ComplianceStatus] = {}
    labels = dict(Discipline.choices)
    for row in rows:
        code = row.pop("discipline")
        result[code] = ComplianceStatus(code, str(labels.get(code, code)), **row)
        for name, value in row.items():
            setattr(total, name, getattr(total, name) + value)
    result["all"] = total
    return result


def evaluation_list(membership: Any, data: dict[str, Any]) -> QuerySet[Evaluation]:
    """The retained evaluations of compliance, newest first, as filtered."""
    qs = visible_rows(membership, Evaluation)
    if data.get("result"):
        qs = qs.filter(result=data["result"])
    if data.get("method"):
        qs = qs.filter(method=data["method"])
    if data.get("discipline"):
        qs = qs.filter(obligation__discipline=data["discipline"])
    if data.get("year"):
        qs = qs.filter(evaluated_on__year=data["year"])
    return qs.select_related("obligation", "evaluator").order_by("-evaluated_on", "-pk")


def evaluations_of(obligation: Obligation, limit: int = 50) -> list[Evaluation]:
    return list(
        obligation.evaluations.select_related("evaluator").order_by("-evaluated_on", "-pk")[:limit]
    )


def with_nonconformities(evaluations: list[Evaluation]) -> list[Evaluation]:
    """The evaluations, each with `nc`: the nonconformity raised from it, or None (one query)."""
    from pdca.improvement.models import Nonconformity

    found: dict[int, Any] = {}
    if evaluations:
        ct = ContentType.objects.get_for_model(Evaluation)
        ncs = Nonconformity.objects.filter(
            source_type=ct, source_id__in=[e.pk for e in evaluations]
        ).only("pk", "number", "title", "status", "source_id")
        found = {int(nc.source_id or 0): nc for nc in ncs}
    for evaluation in evaluations:
        evaluation.nc = found.get(evaluation.pk)  # type: ignore[attr-defined]
    return evaluations
