"""Example risk objects for the shared test world, and ids for every URL."""

import datetime
from typing import Any

from django.utils import timezone

from pdca.core.testing import World, register_url_examples, register_world_builder
from pdca.risks import context, isms, method, services, soa
from pdca.risks.models import Heading, InterestedParty, Origin, SoARevision, Treatment

LIKELIHOOD = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
CONSEQUENCE = ["Negligible (1)", "Limited (2)", "Moderate (3)", "Serious (4)", "Severe (5)"]


def build_risks_world(world: World) -> None:
    v1 = method.method_approve(
        actor=world.mr,
        method=method.method_create(
            actor=world.mr,
            organization=world.org,
            title="Risk and opportunity method",
            likelihood_levels=LIKELIHOOD,
            consequence_levels=CONSEQUENCE,
            acceptance_threshold=6,
            owner=world.mr,
        ),
    )
    draft = method.method_create(
        actor=world.mr,
        organization=world.org,
        title="Risk and opportunity method, revised scales",
        likelihood_levels=LIKELIHOOD,
        consequence_levels=CONSEQUENCE,
        acceptance_threshold=8,
        owner=world.mr,
    )
    risk = services.risk_create(
        actor=world.mr,
        organization=world.org,
        title="Key supplier of castings fails",
        owner=world.owner,
        likelihood=3,
        consequence=4,
        cause="Single source for the main housing",
        effect="Line stops within two weeks",
    )
    risk = services.risk_treat(
        actor=world.mr,
        risk=risk,
        expected_version=risk.version,
        treatment=Treatment.MODIFY,
        residual_likelihood=2,
        residual_consequence=3,
    )
    action = services.action_add(
        actor=world.mr,
        risk=risk,
        title="Qualify a second foundry",
        owner=world.employee,
        due_on=timezone.localdate() + datetime.timedelta(days=45),
    )
    world.extra.update({"rk_method": v1, "rk_draft": draft, "rk_risk": risk, "rk_action": action})
    context.profile_save(
        actor=world.mr,
        organization=world.org,
        expected_version=None,
        framework="swot",
        climate_relevant=True,
        climate_reasoning="Heavy rain floods the yard more often",
    )
    issue = context.issue_save(
        actor=world.mr,
        organization=world.org,
        issue=None,
        expected_version=None,
        fields={
            "title": "Rising energy prices",
            "heading": Heading.THREAT,
            "origin": Origin.EXTERNAL,
            "effect": "Margins shrink on the heat-treated parts",
        },
    )
    party = context.party_save(
        actor=world.mr,
        organization=world.org,
        party=None,
        expected_version=None,
        fields={"name": "Key customer", "category": InterestedParty.Category.CUSTOMER},
    )
    need = context.requirement_save(
        actor=world.mr,
        organization=world.org,
        requirement=None,
        expected_version=None,
        fields={
            "party": party,
            "need": "Parts with a first-article inspection report",
            "is_obligation": True,
            "addressed_by": "Inspection procedure and records",
        },
    )
    world.extra.update({"rk_issue": issue, "rk_party": party, "rk_need": need})
    asset = isms.asset_save(
        actor=world.mr,
        organization=world.org,
        asset=None,
        expected_version=None,
        fields={"name": "Order database", "kind": "information", "owner": world.owner},
    )
    risk = isms.scenario_set(
        actor=world.mr,
        risk=risk,
        expected_version=risk.version,
        threat="Ransomware encrypts the order database",
        confidentiality=False,
        integrity=True,
        availability=True,
        assets=[asset],
    )
    run = isms.assessment_run(actor=world.mr, organization=world.org, reason="planned")
    world.extra.update({"rk_risk": risk, "rk_asset": asset, "rk_run": run})
    # A revision approved earlier (the service refuses while controls are undecided, as the
    # world's are): the example for the revision's pages.
    os27 = world.extra["iso27001"]
    revision = SoARevision.objects.create(
        organization=world.org,
        org_standard=os27,
        number=1,
        lines=soa.current_lines(os27),
        note="First issue",
        approved_by=world.mr,
        approved_at=timezone.now(),
    )
    reason = soa.reason_save(
        actor=world.mr,
        organization=world.org,
        reason=None,
        expected_version=None,
        fields={
            "clause": isms.annex_controls(world.org).get(number="A.5.34"),
            "kind": "law",
            "reference": "GDPR Art. 32",
        },
    )
    world.extra.update({"rk_soa_revision": revision, "rk_reason": reason})


def risks_url_examples(world: World) -> dict[str, dict[str, Any]]:
    risk = world.extra["rk_risk"].pk
    return {
        "risks:method_approve": {"pk": world.extra["rk_draft"].pk},
        "risks:detail": {"pk": risk},
        "risks:edit": {"pk": risk},
        "risks:assess": {"pk": risk},
        "risks:treat": {"pk": risk},
        "risks:accept": {"pk": risk},
        "risks:evaluate": {"pk": risk},
        "risks:close": {"pk": risk},
        "risks:action_add": {"pk": risk},
        "risks:action_update": {"pk": world.extra["rk_action"].pk},
        "risks:asset_edit": {"pk": world.extra["rk_asset"].pk},
        "risks:scenario": {"pk": risk},
        "risks:controls": {"pk": risk},
        "risks:run": {"pk": world.extra["rk_run"].pk},
        "risks:soa_approve": {"pk": world.extra["iso27001"].pk},
        "risks:soa_revision": {"pk": world.extra["rk_soa_revision"].pk},
        "risks:reason_edit": {"pk": world.extra["rk_reason"].pk},
        "risks:from_nc": {"pk": world.extra["im_nc"].pk},
        "api-risks-from-nc": {"pk": world.extra["im_nc"].pk},
        "api-risks-soa-revision": {"pk": world.extra["rk_soa_revision"].pk},
        "api-risks-risk": {"pk": risk},
        "api-risks-assess": {"pk": risk},
        "api-risks-treat": {"pk": risk},
        "api-risks-accept": {"pk": risk},
        "api-risks-close": {"pk": risk},
        "api-risks-actions": {"pk": risk},
        "api-risks-action": {"pk": world.extra["rk_action"].pk},
        "risks:issue_edit": {"pk": world.extra["rk_issue"].pk},
        "risks:issue_retire": {"pk": world.extra["rk_issue"].pk},
        "risks:party_edit": {"pk": world.extra["rk_party"].pk},
        "risks:requirement_add": {"pk": world.extra["rk_party"].pk},
        "risks:requirement_edit": {"pk": world.extra["rk_need"].pk},
    }


register_world_builder(build_risks_world)
register_url_examples(risks_url_examples)
