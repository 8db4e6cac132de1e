"""Acme's demo register: the obligations, this year's evaluations with one non-compliance and
its nonconformity, the permit expiring in four months; safe to run twice."""

import datetime

import pytest
from django_scopes import scopes_disabled

from pdca.compliance import demo
from pdca.compliance.models import Evaluation, Obligation
from pdca.core.demo import build_foundation
from pdca.core.models import Organization
from pdca.improvement.models import Nonconformity, Source


@pytest.mark.django_db
def test_acme_register_and_its_evaluations_built_once():
    Organization.objects.filter(slug="acme").update(slug="acme-world")
    ctx = build_foundation()
    with scopes_disabled():
        demo.build(ctx)
        demo.build(ctx)
        acme = ctx.orgs["acme"]
        obligations = Obligation.objects.filter(organization=acme)
        assert obligations.count() == 7
        assert set(obligations.values_list("kind", flat=True)) >= {
            "law",
            "permit",
            "regulation",
            "customer",
        }
        permit = obligations.get(permit_number="BImSchG-ES-2021-044")
        assert permit.permit_expires_on == ctx.today + datetime.timedelta(days=120)
        evaluations = Evaluation.objects.filter(organization=acme)
        assert evaluations.count() == 5
        assert all(e.evaluated_on.year >= ctx.today.year - 1 for e in evaluations)
        bad = evaluations.get(result="non_compliant")
        nc = Nonconformity.objects.get(organization=acme, source=Source.COMPLIANCE)
        assert nc.source_id == bad.pk
