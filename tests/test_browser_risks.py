"""The ISMS risk assessment end to end in a real browser (issue 17, "Done when"): the
management representative defines the method, assesses a risk with its owner, plans its
treatment with two Annex A controls; the owner signs the acceptance of the residual risk; the
Statement of Applicability shows the risk as the reason for both controls; the Statement is
approved as a new revision and readiness counts it."""

import pytest
from django.urls import reverse

from pdca.core.testing import PASSWORD
from pdca.risks.models import Risk, RiskMethod, SoARevision
from pdca.standards import services as standards
from pdca.standards.models import Clause
from pdca.standards.selectors.readiness import load, soa_held
from tests.browsing import sign_in, submit


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_risk_assessment_to_an_approved_statement_of_applicability(live_server, browser, world):
    org, base = world.org.slug, live_server.url
    os27 = world.extra["iso27001"]
    controls = {
        c.number: c
        for c in Clause.objects.filter(edition=os27.edition, number__in=["A.5.15", "A.8.5"])
    }
    # Every other control is decided already; no revision is approved yet.
    for control in Clause.objects.filter(edition=os27.edition, kind="control", children=None):
        if not os27.soa_entries.filter(clause=control).exists():
            standards.soa_set(
                actor=world.mr,
                org_standard=os27,
                clause=control,
                applicable=True,
                justification="Within the scope.",
            )
    SoARevision.objects.filter(org_standard=os27).delete()
    assert not soa_held(load(world.org, [os27]), os27)

    def url(name, **kwargs):
        return base + reverse(f"risks:{name}", kwargs={"org": org, **kwargs})

    context, mr, errors = sign_in(browser, base, world.mr)
    # 1. The method: drafted and approved by its owner.
    mr.goto(url("method_create"))
    mr.fill("[name=title]", "Information security risk method")
    mr.fill("[name=likelihood_levels]", "Rare\nPossible\nLikely\nAlmost certain")
    mr.fill("[name=consequence_levels]", "Minor\nModerate\nMajor\nSevere")
    mr.fill("[name=acceptance_threshold]", "4")
    mr.select_option("select[name=owner]", str(world.mr.pk), force=True)
    submit(mr, "likelihood_levels")
    method = RiskMethod.objects.filter(organization=world.org).order_by("-number").first()
    mr.goto(url("method_approve", pk=method.pk))
    with mr.expect_navigation():
        mr.get_by_role("button", name="Approve").click()
    method.refresh_from_db()
    assert method.status == "approved"

    # 2. A risk assessed with its owner, under the new method.
    mr.goto(url("create"))
    mr.fill("[name=title]", "Stolen credentials open the WMS")
    mr.select_option("select[name=owner]", str(world.owner.pk), force=True)
    mr.select_option("select[name=likelihood]", "3", force=True)
    mr.select_option("select[name=consequence]", "4", force=True)
    submit(mr, "likelihood")
    risk = Risk.objects.get(organization=world.org, title="Stolen credentials open the WMS")
    assert risk.method_id == method.pk and risk.score == 12
    mr.goto(url("scenario", pk=risk.pk))
    mr.fill("[name=threat]", "Phished passwords give an outsider the WMS.")
    mr.check("[name=confidentiality]")
    submit(mr, "threat")

    # 3. The treatment plan: two Annex A controls, modify, the residual risk.
    mr.goto(url("controls", pk=risk.pk))
    mr.select_option("select[name=controls]", [str(c.pk) for c in controls.values()], force=True)
    submit(mr, "controls")
    mr.goto(url("treat", pk=risk.pk))
    mr.select_option("select[name=treatment]", "modify", force=True)
    mr.select_option("select[name=residual_likelihood]", "2", force=True)
    mr.select_option("select[name=residual_consequence]", "2", force=True)
    submit(mr, "treatment")
    risk.refresh_from_db()
    assert risk.treatment == "modify" and risk.residual_score == 4
    assert set(risk.controls.values_list("number", flat=True)) == set(controls)

    # 4. The owner signs the acceptance of the residual risk.
    owner_context, owner, owner_errors = sign_in(browser, base, world.owner)
    owner.goto(url("accept", pk=risk.pk))
    owner.fill("[name=password]", PASSWORD)
    submit(owner, "password")
    risk.refresh_from_db()
    assert risk.accepted_by_id == world.owner.pk
    assert "signed" in owner.inner_text("body")
    assert not owner_errors, owner_errors
    owner_context.close()

    # 5. The Statement of Applicability names the risk on both controls' lines.
    mr.goto(base + reverse("standards:soa", kwargs={"org": org, "pk": os27.pk}))
    for number in controls:
        row = mr.locator("tr", has_text=f"{number} ").first
        assert risk.reference in row.inner_text(), number

    # 6. Approved as a new revision, signed; readiness counts it.
    mr.goto(url("soa_revisions"))
    with mr.expect_navigation():
        mr.get_by_role("button", name="Approve as a new revision").click()
    mr.fill("[name=note]", "The controls the first risk assessment calls for.")
    mr.fill("[name=password]", PASSWORD)
    submit(mr, "note")
    assert "revision 1" in mr.inner_text("h1").lower()
    revision = SoARevision.objects.get(org_standard=os27)
    lines = {line["number"]: line for line in revision.lines}
    assert all(risk.reference in " ".join(lines[n]["reasons"]) for n in controls)
    assert soa_held(load(world.org, [os27]), os27)
    assert not errors, errors
    context.close()
