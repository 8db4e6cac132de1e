"""The stage 1 gate "evaluation of compliance" (14001 and 45001 9.1.2), read from the register.

When the register holds obligations of the standard's discipline, it decides: every one in
force must be evaluated within its frequency. Without any, the gate keeps the rule it had before
the register existed: a current record of the evaluation linked to 9.1.2 passes it."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.compliance.evidence import DISCIPLINE_OF_STANDARD
from pdca.compliance.models import Obligation, ObligationStatus
from pdca.compliance.selectors import compliance_status
from pdca.standards.gates import FAIL, PASS, GateContext, GateResult


def evaluation_of_compliance(ctx: GateContext) -> GateResult:
    code = ctx.org_standard.edition.standard.code
    discipline = DISCIPLINE_OF_STANDARD.get(code)
    by_discipline = ctx.once("compliance_status", lambda: compliance_status(ctx.organization))
    status = by_discipline.get(discipline) if discipline else None
    if status is None or not status.obligations:
        return _from_linked_record(ctx)
    late = status.evaluation_overdue
    if not late:
        detail = _(
            "All %(n)s compliance obligations in the register are evaluated within their frequency."
        ) % {"n": status.obligations}
        if status.non_compliant:
            detail += " " + _("%(n)s found non-compliant, each with its nonconformity raised.") % {
                "n": status.non_compliant
            }
        return GateResult(PASS, detail)
    titles = list(
        Obligation.objects.filter(
            organization=ctx.organization,
            status=ObligationStatus.ACTIVE,
            discipline=discipline,
            next_evaluation_on__lt=ctx.once("today", _today),
        )
        .order_by("next_evaluation_on", "pk")
        .values_list("title", flat=True)[:5]
    )
    return GateResult(
        FAIL,
        _("%(n)s of %(total)s obligations are not evaluated within their frequency: %(titles)s")
        % {"n": late, "total": status.obligations, "titles": "; ".join(titles)}
        + (" …" if late > len(titles) else ""),
    )


def _today() -> datetime.date:
    return timezone.localdate()


def _from_linked_record(ctx: GateContext) -> GateResult:
    rows = [r for r in ctx.readiness.required if r.clause_number == "9.1.2"]
    if rows and all(r.present for r in rows):
        return GateResult(
            PASS,
            _(
                "Decided from the compliance-evaluation record linked to 9.1.2 (the register "
                "holds no obligations of this standard yet): present and current."
            ),
        )
    return GateResult(
        FAIL,
        _(
            "Enter the compliance obligations in the register and evaluate each of them, or "
            "link a current record of the evaluation of compliance to 9.1.2."
        ),
    )
