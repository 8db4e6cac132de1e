"""The stage 1 readiness checklist: pass/fail gates per standard, computed from live data.

The readiness percentage says how far the work has come; the gates say whether a certification
body's stage 1 audit can be booked. Each gate is a small function registered here; a module
that brings the data a gate needs (management reviews, risks) registers its own gate with the
same code and replaces the "not yet possible" one:

    register_gate("management_review", _("Management review held"), check, order=40)

`check(ctx)` returns a `GateResult`; `applies(edition)` limits a gate to some standards.
`stage1_checklist(org, edition)` (in `pdca.standards.selectors`) runs them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PASS, FAIL, NOT_YET = "pass", "fail", "not_yet"
STATE_LABELS = {
    PASS: gettext_lazy("passed"),
    FAIL: gettext_lazy("not passed"),
    NOT_YET: gettext_lazy("not yet possible"),
}


@dataclass
class GateResult:
    state: str
    detail: str


@dataclass
class GateContext:
    """What a gate reads: the standard, its readiness and the loaded data (no new queries for
    what these hold)."""

    organization: Any
    org_standard: Any
    readiness: Any  # selectors.readiness.Readiness
    data: Any  # selectors.readiness.OrgData
    # Shared by the standards of one run: a gate reads organization-wide figures once.
    cache: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


@dataclass
class Gate:
    code: str
    title: Any
    check: Callable[[GateContext], GateResult]
    order: int = 100
    applies: Callable[[Any], bool] = field(default=lambda edition: True)


@dataclass
class CheckedGate:
    code: str
    title: str
    state: str
    detail: str

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def badge(self) -> str:
        return {PASS: "ok", FAIL: "danger"}.get(self.state, "muted")


GATES: dict[str, Gate] = {}


def register_gate(
    code: str,
    title: Any,
    check: Callable[[GateContext], GateResult],
    *,
    order: int = 100,
    applies: Callable[[Any], bool] | None = None,
) -> None:
    """Add (or replace, by code) a gate of the stage 1 checklist."""
    GATES[code] = Gate(code, title, check, order, applies or (lambda edition: True))


def run_gates(ctx: GateContext) -> list[CheckedGate]:
    edition = ctx.org_standard.edition
    checked = []
    for gate in sorted(GATES.values(), key=lambda g: (g.order, g.code)):
        if not gate.applies(edition):
            continue
        result = gate.check(ctx)
        checked.append(CheckedGate(gate.code, str(gate.title), result.state, result.detail))
    return checked


def _standard(*codes: str) -> Callable[[Any], bool]:
    return lambda edition: edition.standard.code in codes


# --- The gates pdca computes today ---------------------------------------------------------


def _scope(ctx: GateContext) -> GateResult:
    if ctx.org_standard.scope.strip():
        return GateResult(PASS, _("The scope statement is written."))
    return GateResult(FAIL, _("Write the scope statement (products, services, sites covered)."))


def _mandatory(ctx: GateContext) -> GateResult:
    missing = ctx.readiness.required_missing
    if not missing:
        return GateResult(
            PASS,
            _("All %(n)s mandatory documented information items are present and current.")
            % {"n": len(ctx.readiness.required_applicable)},
        )
    names = "; ".join(f"{r.clause_number} {r.title}" for r in missing[:5])
    more = len(missing) - 5
    return GateResult(
        FAIL,
        _("%(n)s missing or not current: %(items)s") % {"n": len(missing), "items": names}
        + (" " + _("and %(n)s more.") % {"n": more} if more > 0 else ""),
    )


def _internal_audit(ctx: GateContext) -> GateResult:
    from pdca.standards.selectors.basis import audited_clause_ids, closed_internal_audits

    if closed_internal_audits(ctx.organization) is None:
        return GateResult(NOT_YET, _("The internal audit module is not installed."))
    infos = ctx.data.clauses.get(ctx.org_standard.edition_id, [])
    not_applicable = ctx.data.not_applicable_map(ctx.org_standard)
    named = ctx.data.audited_clauses
    if named is None:
        named = ctx.once("audited", lambda: audited_clause_ids(ctx.organization))
    # An audit naming a clause, one of its sub-clauses or its section covers it.
    by_id = {i.id: i for i in infos}
    covered: set[int] = set()
    for clause_id in named:
        info = by_id.get(clause_id)
        while info is not None:
            covered.add(info.id)
            info = by_id.get(info.parent_id) if info.parent_id else None
    sections = {i.id for i in infos if i.depth == 0 and i.id in named}
    needed = [
        i for i in infos if i.kind == "clause" and i.depth == 1 and i.id not in not_applicable
    ]
    uncovered = [i for i in needed if i.id not in covered and i.parent_id not in sections]
    if not needed or not uncovered:
        return GateResult(
            PASS, _("Closed internal audits cover every applicable clause of the scope.")
        )
    names = ", ".join(i.number for i in uncovered[:10])
    return GateResult(
        FAIL,
        _("No closed internal audit covers %(n)s clauses yet: %(numbers)s")
        % {"n": len(uncovered), "numbers": names + (" …" if len(uncovered) > 10 else "")},
    )


def _management_review(ctx: GateContext) -> GateResult:
    return GateResult(
        NOT_YET,
        _(
            "pdca has no management review module yet: check by hand that a review was held "
            "with every required input (9.3.2) and its results are recorded."
        ),
    )


def _audit_ncs(ctx: GateContext) -> GateResult:
    from pdca.standards.selectors.basis import other_model

    nc = other_model("improvement.Nonconformity")
    if nc is None:
        return GateResult(NOT_YET, _("The nonconformity module is not installed."))
    waiting_by, unraised_by = ctx.once("audit_ncs", lambda: _audit_nc_counts(ctx.organization))
    waiting = waiting_by.get(ctx.org_standard.edition_id, 0)
    unraised = unraised_by.get(ctx.org_standard.edition_id, 0)
    if not waiting and not unraised:
        return GateResult(
            PASS,
            _(
                "Every internal-audit nonconformity is raised and analysed, with its "
                "corrective action under way or closed."
            ),
        )
    parts = []
    if waiting:
        parts.append(_("%(n)s awaiting analysis") % {"n": waiting})
    if unraised:
        parts.append(_("%(n)s findings not raised as nonconformities") % {"n": unraised})
    return GateResult(FAIL, _("Internal-audit nonconformities: %s.") % ", ".join(parts))


def _audit_nc_counts(organization: Any) -> tuple[dict[int, int], dict[int, int]]:
    """Per edition: internal-audit nonconformities awaiting analysis, and nonconformity
    findings of internal audits not raised as nonconformities (two queries in all)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from pdca.standards.selectors.basis import other_model

    nc = other_model("improvement.Nonconformity")
    finding = other_model("audits.Finding")
    waiting: dict[int, int] = {}
    unraised: dict[int, int] = {}
    if nc is None:
        return waiting, unraised
    waiting = dict(
        nc._default_manager.filter(organization=organization, source="audit", status="open")
        .filter(clauses__isnull=False)
        .values_list("clauses__edition")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    if finding is not None:
        raised = nc._default_manager.filter(
            organization=organization, source_type=ContentType.objects.get_for_model(finding)
        ).values("source_id")
        unraised = dict(
            finding._default_manager.filter(
                organization=organization,
                grade__in=["minor", "major"],
                audit__kind="internal",
                clause__isnull=False,
            )
            .exclude(pk__in=raised)
            .values_list("clause__edition")
            .annotate(n=Count("pk"))
            .order_by()
        )
    return waiting, unraised


def _evaluation_of_compliance(ctx: GateContext) -> GateResult:
    rows = [r for r in ctx.readiness.required if r.clause_number == "9.1.2"]
    if rows and all(r.present for r in rows):
        return GateResult(
            PASS,
            _(
                "Decided from the compliance-evaluation record linked to 9.1.2 (pdca has no "
                "compliance-evaluation register yet): present and current."
            ),
        )
    return GateResult(
        FAIL,
        _(
            "Link a current record of the evaluation of compliance to 9.1.2 (pdca has no "
            "compliance-evaluation register yet, so this is decided from that record)."
        ),
    )


def _soa(ctx: GateContext) -> GateResult:
    undecided = ctx.readiness.soa_undecided
    if undecided:
        return GateResult(
            FAIL,
            _("%(n)s Annex A controls have no decision in the Statement of Applicability.")
            % {"n": undecided},
        )
    return GateResult(
        PASS,
        _(
            "Every Annex A control is decided, with its justification, in the Statement of "
            "Applicability."
        ),
    )


def _risks(ctx: GateContext) -> GateResult:
    return GateResult(
        NOT_YET,
        _(
            "pdca has no risk module yet: check by hand that the risk assessment is done, the "
            "Statement of Applicability and the risk treatment plan are approved and the "
            "risk owners accepted the residual risks."
        ),
    )


register_gate("scope", gettext_lazy("Scope statement"), _scope, order=10)
register_gate(
    "mandatory",
    gettext_lazy("Mandatory documented information present and current"),
    _mandatory,
    order=20,
)
register_gate(
    "internal_audit",
    gettext_lazy("Internal audit of the whole scope completed"),
    _internal_audit,
    order=30,
)
register_gate(
    "management_review",
    gettext_lazy("Management review held with every required input"),
    _management_review,
    order=40,
)
register_gate(
    "audit_ncs", gettext_lazy("Internal-audit nonconformities addressed"), _audit_ncs, order=50
)
register_gate(
    "compliance",
    gettext_lazy("Evaluation of compliance done"),
    _evaluation_of_compliance,
    order=60,
    applies=_standard("iso14001", "iso45001"),
)
register_gate(
    "soa",
    gettext_lazy("Statement of Applicability complete"),
    _soa,
    order=70,
    applies=_standard("iso27001"),
)
register_gate(
    "risks",
    gettext_lazy("Risk assessment done, treatment plan approved, residual risks accepted"),
    _risks,
    order=80,
    applies=_standard("iso27001"),
)
