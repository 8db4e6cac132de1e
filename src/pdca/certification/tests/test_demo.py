import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from pdca.certification.models import (
    BodySelection,
    Certificate,
    CertificationBody,
    ExternalAudit,
)
from pdca.certification.selectors import certificates_with_cycles
from pdca.core.models import Organization
from pdca.improvement.selectors import raised_from
from pdca.standards.models import OrgStandard
from pdca.standards.selectors import stage1_checklist


@pytest.mark.django_db
def test_demo_certification_is_realistic_and_safe_to_run_twice():
    Organization.objects.filter(slug="acme").update(slug="acme-world")
    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    today = datetime.date.today()
    acme = Organization.objects.get(slug="acme")
    # the body chosen in 2024, and the two compared then (retired)
    assert CertificationBody.objects.filter(organization=acme, is_active=True).count() == 1
    assert CertificationBody.objects.filter(organization=acme).count() == 3
    chosen = BodySelection.objects.get(organization=acme)
    assert chosen.status == "decided" and chosen.candidates.count() == 3 and chosen.approved_by
    qm = Certificate.objects.get(organization=acme, standards__edition__standard__code="iso9001")
    s1 = qm.audits.get(kind="surveillance1")
    assert s1.status == "held"
    assert sorted(f.status for f in s1.findings.all()) == ["accepted", "verified"]
    assert all(raised_from(f) is not None for f in s1.findings.all())
    s2 = qm.audits.get(kind="surveillance2")
    assert s2.status == "planned" and 0 < (s2.starts_on - today).days <= 90
    em = Certificate.objects.get(organization=acme, standards__edition__standard__code="iso14001")
    assert set(em.audits.values_list("kind", flat=True)) >= {"stage1", "stage2", "surveillance1"}
    for os in OrgStandard.objects.filter(organization=acme):
        assert os.status == "certified"
    cycles = certificates_with_cycles(acme, today)
    assert all(c.gaps == [] for c in cycles)
    northwind = Organization.objects.get(slug="northwind")
    assert CertificationBody.objects.filter(organization=northwind).count() == 2
    assert BodySelection.objects.get(organization=northwind).candidates.count() == 2
    stage1 = ExternalAudit.objects.get(organization=northwind, kind="stage1")
    assert stage1.status == "planned" and 80 <= (stage1.starts_on - today).days <= 95
    os = OrgStandard.objects.get(organization=northwind)
    assert "fail" in {g.state for g in stage1_checklist(northwind, os.edition)}
