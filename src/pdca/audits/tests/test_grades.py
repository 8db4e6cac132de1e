"""Finding grades with their definitions (ISO/IEC 17021-1 3.12/3.13 for major and minor),
observation and opportunity for improvement told apart, and a nonconformity that names its
clause or says why none applies."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from pdca.audits import services
from pdca.audits.models import Finding
from pdca.audits.models.finding import GRADE_DEFINITIONS
from pdca.audits.report import report_content

pytestmark = pytest.mark.django_db


def url(name, **kw):
    return reverse(name, kwargs={"org": "acme", **kw})


def test_every_grade_has_its_own_definition():
    assert set(GRADE_DEFINITIONS) == set(Finding.Grade)
    texts = [str(t) for t in GRADE_DEFINITIONS.values()]
    assert len(set(texts)) == len(texts)
    major, minor = str(GRADE_DEFINITIONS["major"]), str(GRADE_DEFINITIONS["minor"])
    assert "affects the capability of the management system" in major
    assert "several minor nonconformities against the same requirement" in major
    assert "does not affect the capability" in minor
    observation, ofi = str(GRADE_DEFINITIONS["observation"]), str(GRADE_DEFINITIONS["ofi"])
    assert "could become a nonconformity" in observation
    assert "nothing is at risk" in ofi and "suggestion" in ofi


def test_the_finding_form_detail_and_report_show_the_definitions(world, login):
    client = login(world.auditor)
    audit = world.extra["au_audit"]
    form = client.get(url("audits:finding_create", pk=audit.pk)).content.decode()
    for definition in GRADE_DEFINITIONS.values():
        assert escape(str(definition)) in form
    finding = world.extra["au_finding"]
    detail = client.get(url("audits:finding", pk=finding.pk)).content.decode()
    assert str(GRADE_DEFINITIONS["minor"]) in detail
    report = client.get(url("audits:report", pk=audit.pk)).content.decode()
    assert str(GRADE_DEFINITIONS["minor"]) in report
    assert str(GRADE_DEFINITIONS["minor"]) in report_content(audit).as_text()
    api = client.get(url("api-audits-finding", pk=finding.pk)).json()
    assert api["grade_definition"] == str(GRADE_DEFINITIONS["minor"])


def test_a_nonconformity_names_its_clause_or_says_why_none_applies(world):
    audit = world.extra["au_audit"]
    values = {
        "actor": world.auditor,
        "audit": audit,
        "grade": Finding.Grade.MAJOR,
        "statement": "Forklift licences not checked",
        "evidence": "Three drivers without a valid licence",
        "requirement": "Site rule SR-3: licensed drivers only",
    }
    with pytest.raises(ValidationError) as err:
        services.finding_record(**values)
    assert "clause" in err.value.message_dict
    finding = services.finding_record(
        **values, no_clause_reason="The requirement is the site's own rule SR-3."
    )
    assert finding.clause is None and finding.no_clause_reason.startswith("The requirement")
    text = report_content(audit).as_text()
    assert "Why no clause: The requirement is the site's own rule SR-3." in text
    # An observation or an opportunity needs neither.
    services.finding_record(
        actor=world.auditor, audit=audit, grade=Finding.Grade.OFI, statement="Shadow boards"
    )


def test_the_page_and_api_refuse_a_nonconformity_without_clause_or_reason(world, login):
    audit = world.extra["au_audit"]
    client = login(world.auditor)
    data = {
        "grade": "minor",
        "statement": "Gauge overdue",
        "evidence": "Gauge G-12",
        "requirement": "Calibrated equipment",
    }
    r = client.post(url("audits:finding_create", pk=audit.pk), data)
    assert r.status_code == 200 and "names the clause it breaks" in r.content.decode()
    r = client.post(url("api-audits-findings", pk=audit.pk), data, content_type="application/json")
    assert r.status_code == 400 and "clause" in r.json()["errors"]
    r = client.post(
        url("api-audits-findings", pk=audit.pk),
        {**data, "no_clause_reason": "Customer contract clause 4"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["no_clause_reason"] == "Customer contract clause 4"


def test_several_minors_on_one_requirement_are_pointed_out(world, login):
    audit = world.extra["au_audit"]
    first = world.extra["au_finding"]
    services.finding_record(
        actor=world.auditor,
        audit=audit,
        grade=Finding.Grade.MINOR,
        clause=first.clause,
        statement="A third work order without first-off inspection",
        evidence="WO-1201",
        requirement="Release after planned checks",
    )
    content = report_content(audit)
    assert content.systemic == [(f"{first.clause.edition} {first.clause.number}", 2)]
    page = login(world.auditor).get(url("audits:sign", pk=audit.pk)).content.decode()
    assert "systemic failure" in page
