"""The stage 1 checklist says which gates wait for a module pdca does not have yet: the
dashboard, the readiness page, its printable report and the API show them as "not yet
possible" with the reason (someone checks them by hand), and no other gate as such."""

import re

import pytest
from django.urls import reverse

from pdca.standards.models import OrgStandard

pytestmark = pytest.mark.django_db
ROW = re.compile(r'<tr data-gate="(\w+)">(.*?)</tr>', re.S)
WAITING = {
    # gate: words of the reason it gives
    "management_review": "no management review module yet",
    "risks": "no risk module yet",
}


def rows(html: str) -> list[tuple[str, str]]:
    return ROW.findall(html)


@pytest.mark.parametrize(
    "page", ["core:dashboard", "standards:readiness", "standards:readiness_print"]
)
def test_the_checklist_names_the_gates_that_wait_for_a_module_with_the_reason(world, login, page):
    html = login(world.mr).get(reverse(page, kwargs={"org": "acme"})).content.decode()
    found = rows(html)
    codes = [code for code, _row in found]
    chosen = OrgStandard.objects.filter(organization=world.org).select_related("edition__standard")
    # A management review gate for every standard, the risk gate for 27001 alone.
    assert codes.count("management_review") == len(chosen) >= 2
    assert codes.count("risks") == sum(os.edition.standard.code == "iso27001" for os in chosen) == 1
    for code, row in found:
        if code in WAITING:
            assert "not yet possible" in row and WAITING[code] in row, (page, code, row)
            assert "check by hand" in row
        else:
            assert "not yet possible" not in row, (page, code, row)


def test_the_api_gives_the_waiting_gates_with_the_reason(world, login):
    results = login(world.mr).get(reverse("api-standards-readiness", kwargs={"org": "acme"}))
    assert results.status_code == 200
    waiting = {
        (r["edition"], g["code"]): g["detail"]
        for r in results.json()
        for g in r["gates"]
        if g["state"] == "not_yet"
    }
    chosen = [os.edition.label for os in OrgStandard.objects.filter(organization=world.org)]
    assert set(waiting) == {(label, "management_review") for label in chosen} | {
        ("ISO/IEC 27001:2022", "risks")
    }
    for (_edition, code), detail in waiting.items():
        assert WAITING[code] in detail
    assert all(not r["stage1_ready"] for r in results.json())


def test_the_evaluation_of_compliance_gate_follows_the_9_1_2_record(world):
    import datetime

    from pdca.records import services as records
    from pdca.records.testing import make_record_type
    from pdca.standards import services
    from pdca.standards.models import Clause, RequiredInformation
    from pdca.standards.selectors import stage1_checklist

    os14 = OrgStandard.objects.get(organization=world.org, edition__standard__code="iso14001")
    gates = {g.code: g for g in stage1_checklist(world.org, os14.edition)}
    assert gates["compliance"].state == "fail" and "9.1.2" in gates["compliance"].detail
    clause = Clause.objects.get(edition=os14.edition, number="9.1.2")
    evaluation = records.record_create(
        actor=world.mr,
        organization=world.org,
        record_type=make_record_type(world, "Compliance evaluations"),
        title="Evaluation of compliance, spring",
        date=datetime.date.today() - datetime.timedelta(days=20),
    )
    services.evidence_link(
        actor=world.mr,
        organization=world.org,
        clause=clause,
        obj=evaluation,
        required=RequiredInformation.objects.get(clause=clause, kind="retain"),
    )
    gates = {g.code: g for g in stage1_checklist(world.org, os14.edition)}
    assert gates["compliance"].state == "pass"
    # Only 14001 and 45001 have the gate.
    os9 = OrgStandard.objects.get(organization=world.org, edition__standard__code="iso9001")
    assert "compliance" not in {g.code for g in stage1_checklist(world.org, os9.edition)}
