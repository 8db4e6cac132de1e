"""Readiness rules a certification auditor would sign: exclusions cascade, excluded clauses
demand nothing, one register of applicability, "verified" needs its basis, the stage 1 gates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pdca.audits.models import Audit
from pdca.core.models import TrailEntry
from pdca.improvement.models import Nonconformity
from pdca.standards import services
from pdca.standards.gates import FAIL, GATES, NOT_YET, PASS, GateResult, register_gate
from pdca.standards.models import (
    Assessment,
    AssessmentConfirmation,
    Clause,
    Exclusion,
    SoAEntry,
)
from pdca.standards.selectors import stage1_checklist
from pdca.standards.selectors.readiness import readiness

pytestmark = pytest.mark.django_db
S = Assessment.Status


def clause(code: str, number: str) -> Clause:
    return Clause.objects.get(edition__standard__code=code, number=number)


def result_of(world, key="iso9001"):
    return readiness(world.org, [world.extra[key]])[0]


def test_an_exclusion_covers_the_sub_clauses(world):
    os9 = world.extra["iso9001"]
    services.exclusion_withdraw(actor=world.mr, exclusion=world.extra["exclusion"])
    services.exclusion_declare(
        actor=world.mr, org_standard=os9, clause=clause("iso9001", "8.3"), justification="No D&D"
    )
    excluded = {c.number for c, _why in result_of(world).excluded}
    assert {"8.3.1", "8.3.2", "8.3.3", "8.3.4", "8.3.5", "8.3.6"} <= excluded
    with pytest.raises(ValidationError, match=r"already excluded with 8\.3"):
        services.exclusion_declare(
            actor=world.mr, org_standard=os9, clause=clause("iso9001", "8.3.4"), justification="x"
        )


def test_excluded_clauses_demand_no_documented_information(world):
    os9 = world.extra["iso9001"]
    services.exclusion_declare(
        actor=world.mr, org_standard=os9, clause=clause("iso9001", "8.3"), justification="No D&D"
    )
    missing = {r.clause_number for r in result_of(world).required_missing}
    assert not missing & {"8.3.2", "8.3.3", "8.3.4", "8.3.5", "8.3.6"}
    assert "4.3" in missing  # what applies is still asked for


def test_the_exclusion_form_says_the_sub_clauses_go_with_it(world, login):
    os9 = world.extra["iso9001"]
    page = login(world.mr).get(
        reverse("standards:exclusions", kwargs={"org": "acme", "pk": os9.pk})
    )
    assert "8.3 Design and development of products and services and its sub-clauses" in (
        page.content.decode()
    )


def test_the_assessment_cannot_make_a_requirement_not_applicable(world, login):
    with pytest.raises(ValidationError, match="Statement of Applicability"):
        services.assessment_update(
            actor=world.mr,
            organization=world.org,
            clause=clause("iso9001", "8.3.2"),
            status="na",
            notes="No design",
        )
    os9, c = world.extra["iso9001"], clause("iso9001", "8.3.2")
    url = reverse("api-standards-assessment", kwargs={"org": "acme", "pk": os9.pk, "clause": c.pk})
    bad = login(world.mr).patch(url, {"status": "na"}, content_type="application/json")
    assert bad.status_code == 400
    assert "na" not in [v for v, _label in Assessment.Status.choices]


def test_old_not_applicable_assessments_become_exclusions_and_soa_lines(world):
    os9, os27 = world.extra["iso9001"], world.extra["iso27001"]
    # As the data was before: "na" written straight to the table.
    Assessment.objects.create(
        organization=world.org, clause=clause("iso9001", "8.5.5"), status="na", notes="No service"
    )
    Assessment.objects.create(
        organization=world.org, clause=clause("iso27001", "A.7.4"), status="na", notes="No site"
    )
    shared = Assessment.objects.create(
        organization=world.org, hs=clause("iso9001", "7.3").hs, status="na", notes="n/a"
    )
    assert services.retire_not_applicable_assessments(world.org) == 3
    assert Exclusion.objects.get(org_standard=os9, clause=clause("iso9001", "8.5.5")).is_active
    entry = SoAEntry.objects.get(org_standard=os27, clause=clause("iso27001", "A.7.4"))
    assert not entry.applicable and entry.justification == "No site"
    shared.refresh_from_db()
    assert shared.status == S.NOT_STARTED and "cannot be left out" in shared.notes
    assert not Assessment.objects.filter(status="na").exists()
    assert (
        TrailEntry.objects.filter(
            organization=world.org, action="standards.assessment.status_changed", actor_label="pdca"
        ).count()
        == 3
    )


def test_verified_needs_evidence_or_a_closed_audit(world, login):
    bare = clause("iso9001", "8.5.4")
    with pytest.raises(ValidationError, match="cannot be verified yet"):
        services.assessment_update(
            actor=world.mr, organization=world.org, clause=bare, status=S.VERIFIED
        )
    os9 = world.extra["iso9001"]
    url = reverse("standards:clause", kwargs={"org": "acme", "pk": os9.pk, "clause": bare.pk})
    page = login(world.mr).post(url, {"status": "verified", "version": 0})
    assert "cannot be verified yet" in page.content.decode()
    api = reverse(
        "api-standards-assessment", kwargs={"org": "acme", "pk": os9.pk, "clause": bare.pk}
    )
    refused = login(world.mr).patch(api, {"status": "verified"}, content_type="application/json")
    assert refused.status_code == 400
    # Evidence is a basis.
    services.evidence_link(
        actor=world.mr, organization=world.org, clause=bare, obj=world.extra["process"]
    )
    services.assessment_update(
        actor=world.mr, organization=world.org, clause=bare, status=S.VERIFIED
    )
    result = result_of(world)
    assert result.verified_by_evidence == 1 and "1 by valid evidence" in result.explanation


def test_a_closed_internal_audit_verifies_unless_a_nonconformity_is_open(world):
    target = clause("iso9001", "8.5.1")
    today = datetime.date.today()
    audit = Audit.objects.create(
        organization=world.org,
        reference="IA-T1",
        title="Production",
        kind="internal",
        status="closed",
        planned_start=today,
        planned_end=today,
    )
    audit.clauses.add(target)
    nc = Nonconformity.objects.create(
        organization=world.org,
        number=901,
        title="Work order missing",
        description="x",
        source="audit",
        found_on=today,
        status="open",
    )
    nc.clauses.add(target)
    with pytest.raises(ValidationError, match="cannot be verified yet"):
        services.assessment_update(
            actor=world.mr, organization=world.org, clause=target, status=S.VERIFIED
        )
    Nonconformity.objects.filter(pk=nc.pk).update(status="closed")
    services.assessment_update(
        actor=world.mr, organization=world.org, clause=target, status=S.VERIFIED
    )
    result = result_of(world)
    assert result.verified_by_audit == 1 and "1 by a closed internal audit" in result.explanation


def test_a_verified_status_without_basis_counts_as_implemented(world, login):
    # Set before the rule existed (straight in the table).
    Assessment.objects.create(
        organization=world.org, clause=clause("iso9001", "8.5.4"), status=S.VERIFIED
    )
    result = result_of(world)
    assert result.by_status[S.VERIFIED] == 0 and result.by_status[S.IMPLEMENTED] == 1
    assert "count as implemented" in result.explanation
    gap = login(world.mr).get(
        reverse("standards:gap", kwargs={"org": "acme", "pk": world.extra["iso9001"].pk})
    )
    assert "Verified, counted as implemented" in gap.content.decode()


def test_missing_mandatory_items_fail_the_stage1_gate_and_the_percentage_is_progress(world):
    os9 = world.extra["iso9001"]
    leaves = Clause.objects.filter(edition=os9.edition, children__isnull=True)
    for leaf in leaves:  # 100 % progress, without one document
        assessment, _created = Assessment.objects.update_or_create(
            organization=world.org,
            **({"hs": leaf.hs, "clause": None} if leaf.hs_id else {"clause": leaf, "hs": None}),
            defaults={"status": S.IMPLEMENTED},
        )
        if leaf.hs_id:  # a shared answer counts for 9001 once confirmed for it
            AssessmentConfirmation.objects.get_or_create(
                assessment=assessment, org_standard=os9, defaults={"confirmed_at": timezone.now()}
            )
    result = result_of(world)
    assert result.percent == 90
    gates = {g.code: g for g in result.gates}
    assert gates["scope"].state == PASS
    assert gates["mandatory"].state == FAIL and "4.3" in gates["mandatory"].detail
    assert gates["internal_audit"].state == FAIL
    assert gates["management_review"].state == FAIL  # no signed review yet
    assert gates["audit_ncs"].state in (PASS, FAIL)  # the test world has audit findings
    assert "compliance" not in gates and "risks" not in gates
    assert not result.stage1_ready
    assert [g.code for g in stage1_checklist(world.org, os9.edition)] == list(gates)


def test_gates_per_standard_and_a_module_can_plug_one_in(world):
    os27 = world.extra["iso27001"]
    gates = {g.code: g for g in result_of(world, "iso27001").gates}
    assert gates["scope"].state == FAIL  # 27001 was chosen without a scope statement
    assert gates["soa"].state == FAIL and gates["risks"].state != NOT_YET  # the risks module
    before = dict(GATES)
    try:
        register_gate(
            "management_review",
            "Management review held",
            lambda ctx: GateResult(PASS, "Held on 3 March"),
            order=40,
        )
        gates = {g.code: g for g in stage1_checklist(world.org, os27.edition)}
        assert gates["management_review"].state == PASS
    finally:
        GATES.clear()
        GATES.update(before)


def test_pages_show_the_gates_before_the_percentage(world, login):
    client = login(world.mr)
    page = client.get(reverse("standards:readiness", kwargs={"org": "acme"})).content.decode()
    assert page.index("Stage 1 readiness checklist") < page.index("Progress")
    assert "not yet possible" in page
    report = client.get(reverse("standards:readiness_print", kwargs={"org": "acme"}))
    assert "Stage 1 readiness checklist" in report.content.decode()
    dashboard = client.get(reverse("core:dashboard", kwargs={"org": "acme"})).content.decode()
    gates = dashboard.index("stage 1 gates")  # in the readiness panel: gates, then progress
    assert gates < dashboard.index('<span class="small muted">progress</span>', gates)
    assert login(world.outsider).get(
        reverse("standards:readiness", kwargs={"org": "acme"})
    ).status_code in (403, 404)


def test_the_api_gives_clause_labels_required_items_themes_and_the_hs_clauses(world, login):
    client = login(world.mr)
    os27 = world.extra["iso27001"]
    rows = client.get(
        reverse("api-standards-clauses", kwargs={"org": "acme", "edition": os27.edition_id})
    ).json()
    by_number = {r["number"]: r for r in rows}
    assert by_number["A.5.1"]["theme_title"] == "Organizational controls"
    assert {"code": "4.3", "kind": "maintain"}.items() <= by_number["4.3"]["required_information"][
        0
    ].items()
    assert by_number["4.1"]["untitled"] is False
    hs = client.get(reverse("api-standards-hs", kwargs={"org": "acme"}))
    assert hs.status_code == 200 and any(h["number"] == "9.3.2" for h in hs.json())
    readiness_rows = client.get(reverse("api-standards-readiness", kwargs={"org": "acme"})).json()
    assert readiness_rows[0]["gates"][0]["code"] == "scope"
    assert login(world.outsider).get(
        reverse("api-standards-hs", kwargs={"org": "acme"})
    ).status_code in (403, 404)


def _audit(world, ref, clauses, status="closed"):
    today = datetime.date.today()
    audit = Audit.objects.create(
        organization=world.org,
        reference=ref,
        title=ref,
        kind="internal",
        status=status,
        planned_start=today,
        planned_end=today,
    )
    audit.clauses.add(*clauses)
    return audit


def test_the_internal_audit_gate_needs_closed_audits_over_the_whole_scope(world):
    os9 = world.extra["iso9001"]
    sections = list(Clause.objects.filter(edition=os9.edition, depth=0))
    _audit(world, "IA-HALF", [c for c in sections if c.number in ("4", "5", "6")])
    _audit(world, "IA-OPEN", [c for c in sections if c.number not in ("4", "5", "6")], "planned")
    gate = {g.code: g for g in result_of(world).gates}["internal_audit"]
    assert gate.state == FAIL and "7.1" in gate.detail and "4.1" not in gate.detail
    _audit(world, "IA-REST", [c for c in sections if c.number not in ("4", "5", "6")])
    assert {g.code: g for g in result_of(world).gates}["internal_audit"].state == PASS


def test_an_open_internal_audit_nonconformity_fails_its_gate(world):
    nc = Nonconformity.objects.create(
        organization=world.org,
        number=902,
        title="Calibration overdue",
        description="x",
        source="audit",
        found_on=datetime.date.today(),
        status="open",
    )
    nc.clauses.add(clause("iso9001", "7.1.5.1"))
    gates = {g.code: g for g in result_of(world).gates}
    assert gates["audit_ncs"].state == FAIL and "awaiting analysis" in gates["audit_ncs"].detail


def test_the_readiness_page_queries_do_not_grow_with_audits_and_nonconformities(
    world, login, django_assert_max_num_queries
):
    client = login(world.mr)
    url = reverse("standards:readiness", kwargs={"org": "acme"})
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    sections = list(Clause.objects.filter(edition=world.extra["iso9001"].edition, depth=0))
    for i in range(8):
        _audit(world, f"IA-{i}", sections)
        nc = Nonconformity.objects.create(
            organization=world.org,
            number=950 + i,
            title=f"NC {i}",
            description="x",
            source="audit",
            found_on=datetime.date.today(),
            status="open",
        )
        nc.clauses.add(clause("iso9001", "8.5.1"))
    Assessment.objects.create(
        organization=world.org, clause=clause("iso9001", "8.5.4"), status=S.VERIFIED
    )
    with django_assert_max_num_queries(len(few.captured_queries) + 3):  # the audit basis, once
        response = client.get(url)
    assert "Stage 1 readiness checklist" in response.content.decode()
