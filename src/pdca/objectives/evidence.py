"""Objectives and KPIs as evidence for readiness.

An objective is the documented information 6.2 asks to maintain, linked to the clause of each
standard it serves that holds that item (9001 and 14001 6.2.1, 27001 6.2, 45001 6.2.2). A KPI
of an objective, once it has results, is the retained evidence of monitoring and measurement
(9.1.1, 27001 9.1), and of customer satisfaction (9001 9.1.2) when it measures that. The links
follow the objective's standards: `evidence_set` keeps exactly the clauses computed here.
"""

from pdca.core.models import User
from pdca.objectives.models import Indicator, Objective, SetApproval
from pdca.standards.evidence import evidence_set
from pdca.standards.models import Clause, RequiredInformation

# The clauses holding 6.2's "maintain" item, and 9.1's results to retain (item code), by
# standard code; the catalogues number them differently.
OBJECTIVE_CLAUSES = {
    "iso9001": "6.2.1",
    "iso14001": "6.2.1",
    "iso27001": "6.2",
    "iso45001": "6.2.2",
}
RESULT_ITEMS = {
    "iso9001": ("9.1.1", "9.1.1"),
    "iso14001": ("9.1.1", "9.1.1"),
    "iso27001": ("9.1", "9.1"),
    "iso45001": ("9.1.1", "9.1.1"),
}
SATISFACTION_CLAUSE = ("iso9001", "9.1.2")


def link_objective(*, actor: User | None, objective: Objective) -> None:
    """Link the objective to its 6.2 clauses, and each of its KPIs to its 9.1 clauses."""
    editions = list(objective.editions.select_related("standard"))
    wanted = [
        (e.pk, OBJECTIVE_CLAUSES[e.standard.code])
        for e in editions
        if e.standard.code in OBJECTIVE_CLAUSES
    ]
    clauses = _clauses(wanted)
    evidence_set(actor=actor, organization=objective.organization, obj=objective, clauses=clauses)
    for indicator in objective.indicators.all():
        link_indicator(actor=actor, indicator=indicator, editions=editions)


def link_indicator(
    *, actor: User | None, indicator: Indicator, editions: list | None = None
) -> None:
    """Link a KPI to the 9.1 clauses of its objective's standards (none without an objective)."""
    if editions is None:
        objective = indicator.objective
        editions = list(objective.editions.select_related("standard")) if objective else []
    wanted = [
        (e.pk, RESULT_ITEMS[e.standard.code][0])
        for e in editions
        if e.standard.code in RESULT_ITEMS
    ]
    if indicator.customer_satisfaction:
        wanted += [
            (e.pk, SATISFACTION_CLAUSE[1])
            for e in editions
            if e.standard.code == SATISFACTION_CLAUSE[0]
        ]
    clauses = _clauses(wanted)
    items: dict[int, RequiredInformation | None] = {}
    if clauses:
        codes = {
            e.pk: RESULT_ITEMS[e.standard.code][1]
            for e in editions
            if e.standard.code in RESULT_ITEMS
        }
        for item in RequiredInformation.objects.filter(
            clause__in=clauses, kind="retain"
        ).select_related("clause"):
            if codes.get(item.clause.edition_id) == item.code:
                items[item.clause_id] = item
    evidence_set(
        actor=actor,
        organization=indicator.organization,
        obj=indicator,
        clauses=clauses,
        items=items,
    )


def _clauses(wanted: list[tuple[int, str]]) -> list[Clause]:
    if not wanted:
        return []
    found = Clause.objects.filter(
        edition_id__in={e for e, _n in wanted}, number__in={n for _e, n in wanted}
    )
    return [c for c in found if (c.edition_id, c.number) in set(wanted)]


def link_approval(
    *, actor: User | None, approval: SetApproval, objectives: list[Objective]
) -> None:
    """Link a signed set to the 6.2 clauses of the standards its objectives serve: the approved
    set is maintained documented information, valid while it is current."""
    wanted = sorted(
        {
            (e.pk, OBJECTIVE_CLAUSES[e.standard.code])
            for o in objectives
            for e in o.editions.all()
            if e.standard.code in OBJECTIVE_CLAUSES
        }
    )
    evidence_set(
        actor=actor, organization=approval.organization, obj=approval, clauses=_clauses(wanted)
    )
