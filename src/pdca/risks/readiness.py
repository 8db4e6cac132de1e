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
