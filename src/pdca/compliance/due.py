"""What the register contributes to the due-item registry, for each obligation in force and its
responsible person: the next evaluation of compliance (9.1.2), a permit's or licence's expiry,
and the next check for amendments. Every member sees the register, so the viewer narrows
nothing; three fixed queries each, whatever the size of the register."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from pdca.compliance.models import Obligation, ObligationStatus
from pdca.core.due import DueItem, DueQuery, dated_items
from pdca.standards.due import evidence_of_standard, evidence_standards


def _due(
    query: DueQuery, field: str, kind: str, label: str, title: Callable[[Any], str]
) -> list[DueItem]:
    qs = Obligation.objects.filter(organization=query.organization, status=ObligationStatus.ACTIVE)
    if query.standard:
        qs = qs.filter(evidence_of_standard(query.organization, Obligation, query.standard))
    return dated_items(
        query,
        qs,
        kind=kind,
        label=label,
        date=field,
        url_name="compliance:detail",
        owner="responsible",
        fields=("title", "permit_number"),
        title=lambda r: title((r["title"], r["permit_number"])),
        standards=lambda rows: evidence_standards(
            query.organization, Obligation, [r["pk"] for r in rows]
        ),
    )


def evaluations_due(query: DueQuery) -> list[DueItem]:
    return _due(
        query,
        "next_evaluation_on",
        "compliance.evaluation",
        _("Evaluation of compliance"),
        lambda row: _("Evaluate compliance: %(title)s") % {"title": row[0]},
    )


def permits_expiring(query: DueQuery) -> list[DueItem]:
    return _due(
        query,
        "permit_expires_on",
        "compliance.permit",
        _("Permit expires"),
        lambda row: f"{row[0]} {row[1]}".strip(),
    )


def amendment_checks_due(query: DueQuery) -> list[DueItem]:
    return _due(
        query,
        "next_check_on",
        "compliance.amendment_check",
        _("Check for amendments"),
        lambda row: _("Check for amendments: %(title)s") % {"title": row[0]},
    )
