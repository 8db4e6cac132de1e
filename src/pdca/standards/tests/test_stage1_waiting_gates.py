"""The stage 1 checklist said which gates waited for a module pdca did not have yet. Every module
is in now: the dashboard, the readiness page, its printable report and the API decide every gate,
and the management review and risk gates give what is missing, not "check by hand".

Each module's gate is tested with its module (reviews/tests/test_readiness_due, risks/tests/
test_readiness, compliance/tests/test_evaluations)."""

import re

import pytest
from django.urls import reverse

from pdca.standards.models import OrgStandard

pytestmark = pytest.mark.django_db
ROW = re.compile(r'<tr data-gate="(\w+)">(.*?)</tr>', re.S)
DECIDED = {
    # gate: (its state in the test world, words of its badge) — no review yet, one run assessed
    "management_review": "not passed",
    "risks": "passed",
}


def rows(html: str) -> list[tuple[str, str]]:
    return ROW.findall(html)


@pytest.mark.parametrize(
    "page", ["core:dashboard", "standards:readiness", "standards:readiness_print"]
)
def test_no_gate_waits_for_a_module(world, login, page):
    html = login(world.mr).get(reverse(page, kwargs={"org": "acme"})).content.decode()
    found = rows(html)
    codes = [code for code, _row in found]
    chosen = OrgStandard.objects.filter(organization=world.org).select_related("edition__standard")
    # A management review gate for every standard, the risk gate for 27001 alone.
    assert codes.count("management_review") == len(chosen) >= 2
    assert codes.count("risks") == sum(os.edition.standard.code == "iso27001" for os in chosen) == 1
    for code, row in found:
        assert "not yet possible" not in row and "check by hand" not in row, (page, code, row)
        if code in DECIDED:
            assert f">{DECIDED[code]}<" in row, (page, code, row)


def test_the_api_decides_every_gate(world, login):
    results = login(world.mr).get(reverse("api-standards-readiness", kwargs={"org": "acme"}))
    assert results.status_code == 200
    states = {(r["edition"], g["code"]): g["state"] for r in results.json() for g in r["gates"]}
    chosen = [os.edition.label for os in OrgStandard.objects.filter(organization=world.org)]
    assert "not_yet" not in states.values()
    assert {states[(label, "management_review")] for label in chosen} == {"fail"}
    assert states[("ISO/IEC 27001:2022", "risks")] == "pass"
    assert all(not r["stage1_ready"] for r in results.json())
