"""The ISMS risk assessment: assets, scenarios with C/I/A, Annex A controls compared with the
Statement of Applicability, assessment runs kept as dated result sets."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pdca.core.models import TrailEntry
from pdca.risks import isms, method, selectors, services
from pdca.risks.models import AssessmentResult, Asset
from pdca.standards import services as standards_services
from pdca.standards.models import Clause

pytestmark = pytest.mark.django_db


def url(world, name, **kwargs):
    return reverse(f"risks:{name}", kwargs={"org": world.org.slug, **kwargs})


def control(world, number):
    return Clause.objects.get(edition=world.extra["iso27001"].edition, number=number)


def test_assets_are_named_once_and_need_a_kind(world):
    with pytest.raises(ValidationError) as caught:
        isms.asset_save(
            actor=world.mr,
            organization=world.org,
            asset=None,
            expected_version=None,
            fields={"name": "order database", "kind": "information"},
        )
    assert "name" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        isms.asset_save(
            actor=world.mr,
            organization=world.org,
            asset=None,
            expected_version=None,
            fields={"name": "WMS", "kind": "gadget"},
        )
    assert "kind" in caught.value.message_dict
    with pytest.raises(ValidationError):
        isms.asset_save(
            actor=world.employee,
            organization=world.org,
            asset=None,
            expected_version=None,
            fields={"name": "WMS", "kind": "system"},
        )


def test_a_scenario_names_what_it_would_cost_and_assets_of_the_organization(world):
    risk = world.extra["rk_risk"]
    with pytest.raises(ValidationError) as caught:
        isms.scenario_set(
            actor=world.mr,
            risk=risk,
            expected_version=risk.version,
            threat="Phishing",
            confidentiality=False,
            integrity=False,
            availability=False,
        )
    assert "confidentiality" in caught.value.message_dict
    foreign = Asset.objects.create(organization=world.other_org, name="Foreign", kind="system")
    with pytest.raises(ValidationError):
        isms.scenario_set(
            actor=world.mr,
            risk=risk,
            expected_version=risk.version,
            threat="Phishing",
            confidentiality=True,
            integrity=False,
            availability=False,
            assets=[foreign],
        )


def test_controls_are_annex_a_and_the_soa_shows_the_risk_and_warns_on_exclusion(world, login):
    risk = world.extra["rk_risk"]
    with pytest.raises(ValidationError) as caught:
        isms.controls_set(
            actor=world.mr,
            risk=risk,
            expected_version=risk.version,
            controls=[Clause.objects.filter(kind="clause").first()],
        )
    assert "controls" in caught.value.message_dict
    backup, malware = control(world, "A.8.13"), control(world, "A.8.7")
    risk = isms.controls_set(
        actor=world.mr, risk=risk, expected_version=risk.version, controls=[backup, malware]
    )
    os27 = world.extra["iso27001"]
    standards_services.soa_set(
        actor=world.mr,
        org_standard=os27,
        clause=malware,
        applicable=False,
        justification="No Windows machines",
    )
    page = login(world.mr).get(
        reverse("standards:soa", kwargs={"org": world.org.slug, "pk": os27.pk})
    )
    body = page.content.decode()
    assert risk.reference in body and "needed by a risk, yet excluded" in body
    assert selectors.excluded_but_needed(world.org) == [("A.8.7", risk.reference)]
    detail = login(world.mr).get(url(world, "detail", pk=risk.pk)).content.decode()
    assert "excluded in the Statement of Applicability" in detail


def test_an_assessment_run_keeps_the_levels_of_that_day(world):
    risk = world.extra["rk_risk"]
    before = AssessmentResult.objects.count()
    run = isms.assessment_run(actor=world.mr, organization=world.org, reason="change")
    assert run.risk_count == 1 and AssessmentResult.objects.count() == before + 1
    assert TrailEntry.objects.filter(action="risks.run.created", object_id=run.pk).exists()
    services.risk_assess(
        actor=world.mr,
        risk=risk,
        expected_version=risk.version,
        likelihood=1,
        consequence=1,
        residual_likelihood=1,
        residual_consequence=1,
    )
    kept = AssessmentResult.objects.get(run=run)
    assert kept.score == 12  # as it was on the day, not as it is now
    with pytest.raises(ValidationError):
        isms.assessment_run(actor=world.mr, organization=world.org, reason="whenever")


def test_a_run_refuses_risks_scored_under_an_older_method(world):
    method.method_approve(actor=world.mr, method=world.extra["rk_draft"])
    with pytest.raises(ValidationError, match="older method version"):
        isms.assessment_run(actor=world.mr, organization=world.org, reason="planned")


def test_isms_pages(world, login, django_assert_max_num_queries):
    client = login(world.mr)
    assert "Order database" in client.get(url(world, "assets")).content.decode()
    bad = client.post(url(world, "asset_create"), {"name": "", "kind": "system"})
    assert bad.status_code == 400 and "name" in bad.context["form"].errors
    run = world.extra["rk_run"]
    with django_assert_max_num_queries(14):
        page = client.get(url(world, "run", pk=run.pk))
    assert world.extra["rk_risk"].reference in page.content.decode()
    created = client.post(url(world, "run_create"), {"reason": "planned"})
    assert created.status_code == 302
    risk = world.extra["rk_risk"]
    bad = client.post(
        url(world, "scenario", pk=risk.pk), {"version": risk.version, "threat": "Fire"}
    )
    assert bad.status_code == 400 and "confidentiality" in bad.context["form"].errors
    empty = login(world.outsider).get(reverse("risks:runs", kwargs={"org": world.other_org.slug}))
    assert "No assessment run yet." in empty.content.decode()


def test_the_soa_names_the_first_risks_of_a_control_and_links_to_the_rest(
    world, login, django_assert_max_num_queries
):
    backup = control(world, "A.8.13")
    os27 = world.extra["iso27001"]
    soa = reverse("standards:soa", kwargs={"org": world.org.slug, "pk": os27.pk})
    client = login(world.mr)

    def needing_backup(first, n):
        for i in range(first, first + n):
            risk = services.risk_create(
                actor=world.mr,
                organization=world.org,
                title=f"Data loss on server {i}",
                owner=world.owner,
                likelihood=2,
                consequence=3,
            )
            isms.controls_set(
                actor=world.mr, risk=risk, expected_version=risk.version, controls=[backup]
            )

    needing_backup(0, selectors.SOA_RISKS_SHOWN)
    client.get(soa)
    with django_assert_max_num_queries(60) as first:
        body = client.get(soa).content.decode()
    assert "Data loss on server 4" in body and "more risk" not in body
    needing_backup(selectors.SOA_RISKS_SHOWN, 3)
    with django_assert_max_num_queries(len(first.captured_queries)):
        body = client.get(soa).content.decode()
    assert "Data loss on server 5" not in body and "and 3 more risks" in body
    more = reverse("risks:list", kwargs={"org": world.org.slug}) + f"?control={backup.pk}"
    assert more in body.replace("&amp;", "&")
    # The register filtered by the control lists every risk that needs it, and only those.
    listed = client.get(more).content.decode()
    assert all(f"Data loss on server {i}" in listed for i in range(8))
    assert world.extra["rk_risk"].title not in listed
    # A control that is no number leaves the register unfiltered, as every list's bad filter.
    unfiltered = client.get(more.replace(str(backup.pk), "x"))
    assert unfiltered.status_code == 200
    assert world.extra["rk_risk"].title in unfiltered.content.decode()
