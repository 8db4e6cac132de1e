"""Acme's demo registers: aspects judged by the criteria (the legal link makes two significant),
the hazard controlled by gloves alone flagged, controls due, a near miss waiting for its
investigation and a closed injury; the participation log with two topics still to cover and
one barrier open; safe to run twice."""

import datetime

import pytest
from django_scopes import scopes_disabled

from pdca.compliance import demo as compliance_demo
from pdca.core.demo import build_foundation
from pdca.core.models import Organization
from pdca.ehs import demo
from pdca.ehs.models import Aspect, Barrier, Hazard, HazardControl, Incident, ParticipationEvent
from pdca.ehs.services.participation import coverage


@pytest.mark.django_db
def test_acme_registers_and_incidents_built_once():
    Organization.objects.filter(slug="acme").update(slug="acme-world")
    ctx = build_foundation()
    with scopes_disabled():
        compliance_demo.build(ctx)
        demo.build(ctx)
        demo.build(ctx)
        acme = ctx.orgs["acme"]
        aspects = Aspect.objects.filter(organization=acme)
        assert aspects.count() == 5
        # Both aspects with a compliance obligation are significant, through their legal link.
        linked = aspects.filter(obligations__isnull=False).distinct()
        assert linked.count() == 2 and all(a.significant for a in linked)
        assert aspects.filter(condition="emergency").exists()
        hazards = Hazard.objects.filter(organization=acme)
        assert hazards.count() == 4
        assert list(hazards.filter(ppe_only=True).values_list("hazard", flat=True)) == [
            "Sharp swarf"
        ]
        controls = HazardControl.objects.filter(organization=acme)
        assert controls.count() == 4 and controls.filter(due_on__lt=ctx.today).count() == 1
        incidents = Incident.objects.filter(organization=acme).order_by("number")
        assert [i.status for i in incidents] == ["closed", "reported", "investigating"]
        assert incidents.filter(kind="near_miss").count() == 2
        closed = incidents.get(status="closed")
        assert closed.worker_representative == ctx.users["staff@acme.example"]
        assert closed.hazards.count() == 1
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
