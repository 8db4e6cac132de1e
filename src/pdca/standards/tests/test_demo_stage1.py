"""Issue 13 item 16: Acme's demo passes its stage 1 gates for ISO 9001 and ISO 14001, except
the management review gate that waits for its module; Northwind shows honest figures."""

from io import StringIO

import pytest
from django.core.management import call_command

from pdca.core.models import Organization
from pdca.standards.models import OrgStandard
from pdca.standards.selectors import stage1_checklist
from pdca.standards.selectors.readiness import readiness


@pytest.mark.django_db
def test_acme_demo_passes_its_stage1_gates_and_northwind_shows_its_gaps():
    # The shared test world may hold an "acme" already: the demo builds its own beside it.
    Organization.objects.filter(slug="acme").update(slug="acme-world")
    call_command("demo", stdout=StringIO())
    acme = Organization.objects.get(slug="acme")
    for os in OrgStandard.objects.filter(organization=acme):
        states = {g.code: g.state for g in stage1_checklist(acme, os.edition)}
        assert states.pop("management_review") == "not_yet"
        assert set(states.values()) == {"pass"}, (os.edition, states)
    percents = {str(r.org_standard.edition): r.percent for r in readiness(acme)}
    assert percents == {"ISO 9001:2015": 88, "ISO 14001:2015": 87}
    northwind = Organization.objects.get(slug="northwind")
    os = OrgStandard.objects.get(organization=northwind)
    states = {g.code: g.state for g in stage1_checklist(northwind, os.edition)}
    assert states["mandatory"] == "fail" and states["soa"] == "fail"
    assert states["risks"] == "not_yet"
    assert [r.percent for r in readiness(northwind)] == [26]
