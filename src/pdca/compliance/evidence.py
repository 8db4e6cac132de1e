"""Which clauses the register proves, per discipline: an obligation is the documented
information to maintain for 6.1.3 (A.5.31 in 27001), an evaluation the record to retain for
9.1.2, in the standards the organization chose. Linked through standards' one entry point."""

from typing import Any

from pdca.compliance.models import Discipline
from pdca.standards.evidence import evidence_set
from pdca.standards.models import Clause, OrgStandard

# (standard code, clause number) each discipline's obligations and evaluations prove.
REGISTER_CLAUSES: dict[str, list[tuple[str, str]]] = {
    Discipline.ENVIRONMENT: [("iso14001", "6.1.3")],
    Discipline.OHS: [("iso45001", "6.1.3")],
    Discipline.INFOSEC: [("iso27001", "A.5.31")],
}
EVALUATION_CLAUSES: dict[str, list[tuple[str, str]]] = {
    Discipline.ENVIRONMENT: [("iso14001", "9.1.2")],
    Discipline.OHS: [("iso45001", "9.1.2")],
}
# The standards whose stage 1 gate "evaluation of compliance" reads the register.
DISCIPLINE_OF_STANDARD: dict[str, str] = {
    "iso14001": Discipline.ENVIRONMENT,
    "iso45001": Discipline.OHS,
}


def chosen_clauses(organization: Any, wanted: list[tuple[str, str]]) -> list[Clause]:
    """The clauses `wanted` names in the editions the organization works to (one query)."""
    if not wanted:
        return []
    editions = OrgStandard.objects.filter(organization=organization).exclude(
        status=OrgStandard.Status.WITHDRAWN
    )
    clauses = Clause.objects.filter(
        edition_id__in=editions.filter(
            edition__standard__code__in=[code for code, _ in wanted]
        ).values("edition_id"),
        number__in=[number for _, number in wanted],
    ).select_related("edition__standard")
    pairs = set(wanted)
    return [c for c in clauses if (c.edition.standard.code, c.number) in pairs]


def link_obligation(actor: Any, obligation: Any) -> None:
    clauses = chosen_clauses(
        obligation.organization, REGISTER_CLAUSES.get(obligation.discipline, [])
    )
    evidence_set(actor=actor, organization=obligation.organization, obj=obligation, clauses=clauses)


def link_evaluation(actor: Any, evaluation: Any, discipline: str) -> list[Clause]:
    """Link the evaluation to its discipline's 9.1.2; return those clauses (the NC names them)."""
    clauses = chosen_clauses(evaluation.organization, EVALUATION_CLAUSES.get(discipline, []))
    if clauses:
        evidence_set(
            actor=actor, organization=evaluation.organization, obj=evaluation, clauses=clauses
        )
    return clauses
