"""Acme's demo registers: thirty aspects judged by the criteria (six significant, a legal link
adding to the score without deciding it), forty hazards with the one controlled by gloves alone
flagged, controls at each level of the hierarchy, two near misses and one lost-time injury
investigated with the worker representative, its corrective action raised and its hazard
reassessed; the participation log with two topics still to cover and one barrier open; safe to
run twice."""

import datetime

import pytest
from django_scopes import scopes_disabled

from pdca.compliance import demo as compliance_demo
from pdca.core.demo import build_foundation
from pdca.core.models import Organization
from pdca.ehs import demo
from pdca.ehs.models import Aspect, Barrier, Hazard, HazardControl, Incident, ParticipationEvent
from pdca.ehs.services.participation import coverage
from pdca.improvement.models import Nonconformity


@pytest.mark.django_db
def test_acme_registers_and_incidents_built_once():
    Organization.objects.filter(slug="acme").update(slug="acme-world")
    ctx = build_foundation()
    with scopes_disabled():
        compliance_demo.build(ctx)
        demo.build(ctx)
        demo.build(ctx)
        acme = ctx.orgs["acme"]
        aspects = Aspect.objects.filter(organization=acme, status="active")
        assert aspects.count() == 30
        significant = aspects.filter(significant=True)
        assert significant.count() == 6
        # The service judged them by the default criteria: significant from 15, a legal link
        # worth 5 points; linked aspects below the threshold stay not significant.
        assert all(a.score >= 15 for a in significant)
        assert all(a.score < 15 for a in aspects.filter(significant=False))
        linked = aspects.filter(obligations__isnull=False).distinct()
        assert linked.filter(significant=True).count() == 4
        assert linked.filter(significant=False).exists()
        assert set(aspects.values_list("condition", flat=True)) == {
            "normal",
            "abnormal",
            "emergency",
        }
        assert significant.filter(condition="emergency").count() == 1
        assert set(aspects.values_list("impact_on", flat=True)) == {
            "air",
            "water",
            "land",
            "resources",
            "climate",
            "biodiversity",
        }
        assert len(set(aspects.values_list("life_cycle_stage", flat=True))) == 6
        assert aspects.filter(control="influence").exists()
        hazards = Hazard.objects.filter(organization=acme, status="active")
        assert hazards.count() == 40
        assert set(hazards.values_list("hazard_type", flat=True)) == {
            "physical",
            "chemical",
            "biological",
            "ergonomic",
            "psychosocial",
        }
        assert list(hazards.filter(ppe_only=True).values_list("hazard", flat=True)) == [
            "Sharp swarf"
        ]
        assert hazards.filter(residual_score__isnull=False).count() >= 5
        controls = HazardControl.objects.filter(organization=acme)
        assert set(controls.values_list("level", flat=True)) == {
            "elimination",
            "substitution",
            "engineering",
            "administrative",
            "ppe",
        }
        assert controls.filter(due_on__lt=ctx.today).count() == 1
        incidents = Incident.objects.filter(organization=acme).order_by("number")
        assert [i.status for i in incidents] == ["closed", "reported", "investigating"]
        assert incidents.filter(kind="near_miss").count() == 2
        lost_time = incidents.filter(kind="injury", days_lost__gt=0)
        assert lost_time.count() == 1
        injury = lost_time.get()
        assert injury.status == "closed" and injury.days_lost == 3
        assert injury.worker_representative == ctx.users["staff@acme.example"]
        # Its hazard was reviewed and reassessed after it; still gloves alone, still flagged.
        (swarf,) = injury.hazards.all()
        assert swarf.ppe_only and swarf.residual_score == 12
        # The corrective action, raised once, from the incident.
        actions = Nonconformity.objects.filter(organization=acme, source="incident")
        raised = [nc for nc in actions if nc.source_object == injury]
        assert len(raised) == 1 and raised[0].owner == injury.lead
        events = ParticipationEvent.objects.filter(organization=acme)
        assert events.count() == 5
        covered = coverage(acme, ctx.today - datetime.timedelta(days=365), ctx.today)
        assert {t.code for t in covered.missing} == {"outsourcing", "audit_programme"}
        assert covered.workers == 2
        assert list(
            Barrier.objects.filter(organization=acme, removed_on__isnull=True).values_list(
                "kind", flat=True
            )
        ) == ["time"]
        # The committee's minutes are attached, as PDFs the page serves.
        with_minutes = events.exclude(minutes="")
        assert with_minutes.count() == 3
        assert all(e.minutes_name.endswith(".pdf") for e in with_minutes)
        assert with_minutes.first().minutes.read().startswith(b"%PDF-")
        # The machines' hazards cite the Industrial Safety and Health Ordinance.
        machinery = Hazard.objects.filter(
            organization=acme, obligations__citation__startswith="BetrSichV"
        )
        assert machinery.count() == 2
