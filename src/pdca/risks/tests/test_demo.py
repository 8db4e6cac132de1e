"""The risks demo: Acme's context, parties and a dozen risks and opportunities with actions
and a heat map; Northwind's assets, forty ISMS risks with owners, treatments with Annex A
controls, signed acceptances and a kept run, the Statement of Applicability naming the risks;
safe to run twice."""

import pytest
from django_scopes import scopes_disabled

from pdca.core.demo import build_foundation
from pdca.core.models import Organization
from pdca.risks import demo
from pdca.risks.models import (
    AssessmentRun,
    Asset,
    ContextIssue,
    PartyRequirement,
    Risk,
    RiskAction,
    RiskMethod,
)
from pdca.risks.selectors import heat_map
from pdca.standards import demo as standards_demo
from pdca.standards.models import OrgStandard
from pdca.standards.registry import soa_reasons


@pytest.mark.django_db
def test_the_demo_builds_both_registers_once():
    Organization.objects.filter(slug="acme").update(slug="acme-world")
    ctx = build_foundation()
    with scopes_disabled():
        standards_demo.build(ctx)
        demo.build(ctx)
        demo.build(ctx)
        acme, northwind = ctx.orgs["acme"], ctx.orgs["northwind"]

        method = RiskMethod.objects.get(organization=acme)
        assert method.status == "approved"
        issues = ContextIssue.objects.filter(organization=acme)
        assert issues.count() == 6 and issues.filter(climate_related=True).exists()
        assert PartyRequirement.objects.filter(organization=acme, is_obligation=True).count() == 3
        register = Risk.objects.filter(organization=acme)
        assert register.count() == 12
        assert register.filter(kind="opportunity").count() == 3
        assert register.exclude(process=None).count() == 12
        assert RiskAction.objects.filter(organization=acme).count() >= 12
        assert register.exclude(effectiveness="").count() == 3
        grid = heat_map(acme, method)
        before = {(c.likelihood, c.consequence) for _l, row in grid.rows for c in row if c.before}
        after = {(c.likelihood, c.consequence) for _l, row in grid.rows for c in row if c.after}
        assert len(before) >= 6 and before != after

        assert Asset.objects.filter(organization=northwind).count() == 14
        isms = Risk.objects.filter(organization=northwind)
        assert isms.count() == 40
        assert all(r.is_isms and r.treatment for r in isms)
        assert {r.owner.email for r in isms} == {"mr@northwind.example", "staff@northwind.example"}
        assert isms.exclude(accepted_at=None).count() >= 10
        run = AssessmentRun.objects.get(organization=northwind)
        assert run.risk_count == 40
        # The warehouse coordinator has still to sign two residual risks above the criteria.
        waiting = [r for r in isms if r.above_acceptance() and not r.is_accepted]
        assert len(waiting) == 2
        assert all(r.owner.email == "staff@northwind.example" for r in waiting)

        os = OrgStandard.objects.get(organization=northwind)
        entries = {e.clause.number: e for e in os.soa_entries.select_related("clause")}
        reasons = soa_reasons(os, [e.clause_id for e in entries.values()])
        outsourced = entries["A.8.30"]
        assert outsourced.applicable and "R-0002" in outsourced.justification
        assert reasons[outsourced.clause_id][0][0].startswith("R-0002")
        assert entries["A.8.33"].applicable
        assert any(reasons.get(e.clause_id) for n, e in entries.items() if n.startswith("A.5."))
        assert any(
            label.startswith("Law or regulation: GDPR")
            for label, _u in reasons[entries["A.5.34"].clause_id]
        )
