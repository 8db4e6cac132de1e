"""What the register tells readiness: the stage 1 gate for ISO/IEC 27001 (risk assessment done,
treatment plan approved by the risk owners, residual risks accepted) and the records it keeps
itself (the assessment runs, for the retain items of 27001 6.1)."""

from typing import Any

from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from pdca.standards.gates import FAIL, PASS, GateContext, GateResult


def _isms_facts(organization: Any) -> dict[str, Any]:

    with scopes_disabled():  # the gate also runs outside a request (jobs, the dashboard cache)
        return _facts(organization)


def _facts(organization: Any) -> dict[str, Any]:
    from pdca.risks import method as methods
    from pdca.risks.isms import isms_risks
    from pdca.risks.models import AssessmentRun
    from pdca.risks.selectors import excluded_but_needed

    current = methods.current(organization)
    risks = list(
        isms_risks(organization).values_list(
            "method_id", "score", "residual_score", "treatment", "accepted_at"
        )
    )
    last = AssessmentRun.objects.filter(organization=organization).order_by("-number").first()
    threshold = current.acceptance_threshold if current else 0
    return {
        "method": current,
        "count": len(risks),
        "stale": sum(1 for r in risks if current is None or r[0] != current.pk),
        "untreated": sum(1 for r in risks if not r[3]),
        "unaccepted": sum(
            1
            for r in risks
            if r[3] and r[4] is None and (r[2] if r[2] is not None else r[1]) > threshold
        ),
        "last_run": last,
        "excluded": excluded_but_needed(organization),
    }


def risks_gate(ctx: GateContext) -> GateResult:
    facts = ctx.once("risks.isms", lambda: _isms_facts(ctx.organization))
    problems = []
    if facts["method"] is None:
        problems.append(_("no approved risk method"))
    if not facts["count"]:
        problems.append(_("no information security risk assessed"))
    if facts["stale"]:
        problems.append(
            _("%(n)s risks scored under an older method version") % {"n": facts["stale"]}
        )
    if facts["last_run"] is None:
        problems.append(_("no assessment run kept"))
    if facts["untreated"]:
        problems.append(_("%(n)s risks without a treatment") % {"n": facts["untreated"]})
    if facts["unaccepted"]:
        problems.append(
            _("%(n)s residual risks above the criteria not accepted by their owners")
            % {"n": facts["unaccepted"]}
        )
    if facts["excluded"]:
        problems.append(
            _("%(n)s controls needed by risks are excluded in the Statement of Applicability")
            % {"n": len(facts["excluded"])}
        )
    if problems:
        return GateResult(FAIL, "; ".join(problems) + ".")
    return GateResult(
        PASS,
        _(
            "%(n)s risks assessed in run #%(run)s, each treated, residual risks above the "
            "criteria accepted by their owners."
        )
        % {"n": facts["count"], "run": facts["last_run"].number},
    )


def run_editions(organization: Any) -> set[int]:
    """The ISO/IEC 27001 editions of the organization once an assessment run is kept."""
    from pdca.risks.models import AssessmentRun
    from pdca.standards.models import OrgStandard

    with scopes_disabled():  # readiness is computed outside requests too
        if not AssessmentRun.objects.filter(organization=organization).exists():
            return set()
        return set(
            OrgStandard.objects.filter(
                organization=organization, edition__standard__code="iso27001"
            ).values_list("edition_id", flat=True)
        )


def _latest_revisions(organization: Any) -> dict[int, dict[str, Any]]:
    """Each ISO/IEC 27001 standard's latest approved revision: its number, approval and the
    decisions it approved (one query)."""
    from pdca.risks.models import SoARevision

    latest: dict[int, dict[str, Any]] = {}
    with scopes_disabled():
        rows = SoARevision.objects.filter(organization=organization).order_by("-number")
        for row in rows.values("org_standard_id", "number", "approved_at", "lines"):
            latest.setdefault(row["org_standard_id"], dict(row))
    return latest


def soa_gate(ctx: GateContext) -> GateResult:
    """Complete means decided, approved and still what was approved: every Annex A control has
    a decision, a revision is approved (signed), and no decision or justification changed
    since (an implementation status moves with the work and needs no new revision)."""
    undecided = ctx.readiness.soa_undecided
    if undecided:
        return GateResult(
            FAIL,
            _("%(n)s Annex A controls have no decision in the Statement of Applicability.")
            % {"n": undecided},
        )
    os = ctx.org_standard
    revision = ctx.once("risks.soa_revisions", lambda: _latest_revisions(ctx.organization)).get(
        os.id
    )
    if revision is None:
        return GateResult(
            FAIL,
            _(
                "Every Annex A control is decided, but no revision of the Statement of "
                "Applicability is approved: approve it, signed, as revision 1."
            ),
        )
    approved = {line["number"]: line for line in revision["lines"]}
    changed = []
    for info in ctx.data.clauses.get(os.edition_id, []):
        if info.kind != "control" or not info.is_leaf:
            continue
        entry = ctx.data.soa.get((os.id, info.id)) or {}
        line = approved.get(info.number)
        if line is None or (line["applicable"], line["justification"]) != (
            entry.get("applicable"),
            entry.get("justification"),
        ):
            changed.append(info.number)
    if changed:
        return GateResult(
            FAIL,
            _(
                "%(n)s controls were decided differently since revision %(rev)s was approved "
                "(%(numbers)s): approve a new revision."
            )
            % {
                "n": len(changed),
                "rev": revision["number"],
                "numbers": ", ".join(changed[:5]) + (" …" if len(changed) > 5 else ""),
            },
        )
    return GateResult(
        PASS,
        _(
            "Every Annex A control is decided, with its justification, as approved in "
            "revision %(rev)s of the Statement of Applicability (%(day)s)."
        )
        % {"rev": revision["number"], "day": revision["approved_at"].date().isoformat()},
    )
