"""Scope, exclusions, SoA, HS-shared assessments, readiness arithmetic, pages and API."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pdca.core.models import TrailEntry
from pdca.core.services import ConflictError
from pdca.standards import services
from pdca.standards.models import Assessment, Clause, Edition, OrgStandard, Process
from pdca.standards.registry import EVIDENCE_KINDS, register_evidence_kind
from pdca.standards.selectors.readiness import readiness

pytestmark = pytest.mark.django_db
S = Assessment.Status


def clause(code: str, number: str) -> Clause:
    return Clause.objects.get(edition__standard__code=code, number=number)


def choose(world, code: str) -> OrgStandard:
    # Other apps' world builders may have chosen the standard already (an integrated audit).
    edition = Edition.objects.get(standard__code=code)
    existing = OrgStandard.objects.filter(organization=world.org, edition=edition).first()
    return existing or services.org_standard_choose(
        actor=world.mr, organization=world.org, edition=edition
    )


def test_an_hs_clause_is_assessed_once_and_shown_under_every_standard(world, login):
    iso14001 = choose(world, "iso14001")
    services.assessment_update(
        actor=world.mr,
        organization=world.org,
        clause=clause("iso9001", "4.1"),
        status=S.VERIFIED,
        owner=world.owner,
    )
    shared = services.assessment_for(world.org, clause("iso14001", "4.1"))
    assert shared.status == S.VERIFIED and shared.owner == world.owner
    assert Assessment.objects.filter(organization=world.org).count() == 1
    page = login(world.mr).get(
        reverse(
            "standards:clause",
            kwargs={"org": "acme", "pk": iso14001.pk, "clause": clause("iso14001", "4.1").pk},
        )
    )
    assert (
        "Verified" in page.content.decode() or 'value="verified" selected' in page.content.decode()
    )
    # The status counts under 14001 only once confirmed for it (test_sharing.py has the rule).
    lines = {r.org_standard.edition.standard.code: r for r in readiness(world.org)}
    assert lines["iso14001"].by_status[S.VERIFIED] == 0
    services.assessment_confirm(
        actor=world.mr,
        org_standard=iso14001,
        clause=clause("iso14001", "4.1"),
        expected_version=shared.version,
    )
    lines = {r.org_standard.edition.standard.code: r for r in readiness(world.org)}
    assert lines["iso14001"].by_status[S.VERIFIED] == 1


def test_a_status_change_is_written_to_the_audit_trail(world):
    a = services.assessment_update(
        actor=world.mr, organization=world.org, clause=clause("iso9001", "7.2"), status=S.PLANNED
    )
    services.assessment_update(
        actor=world.mr,
        organization=world.org,
        clause=clause("iso9001", "7.2"),
        status=S.PARTLY,
        expected_version=a.version,
    )
    entry = (
        TrailEntry.objects.filter(action="standards.assessment.status_changed")
        .order_by("seq")
        .last()
    )
    assert entry.changes["status"] == ["planned", "partly"]


def test_a_stale_assessment_edit_is_refused(world):
    c = clause("iso9001", "7.3")
    services.assessment_update(actor=world.mr, organization=world.org, clause=c, status=S.PLANNED)
    with pytest.raises(ConflictError, match="Someone else changed"):
        services.assessment_update(
            actor=world.mr,
            organization=world.org,
            clause=c,
            status=S.PARTLY,
            expected_version=7,
        )


def test_exclusion_rules(world):
    os9 = world.extra["iso9001"]
    with pytest.raises(ValidationError, match=r"allows no exclusion of 4\.1"):
        services.exclusion_declare(
            actor=world.mr, org_standard=os9, clause=clause("iso9001", "4.1"), justification="x"
        )
    with pytest.raises(ValidationError, match="Say why"):
        services.exclusion_declare(
            actor=world.mr, org_standard=os9, clause=clause("iso9001", "8.3.2"), justification=" "
        )
    with pytest.raises(ValidationError, match="Statement of Applicability"):
        services.exclusion_declare(
            actor=world.mr,
            org_standard=world.extra["iso27001"],
            clause=clause("iso27001", "A.5.2"),
            justification="x",
        )
    ex = world.extra["exclusion"]
    services.exclusion_withdraw(actor=world.mr, exclusion=ex, reason="We design now")
    ex.refresh_from_db()
    assert not ex.is_active  # kept on record


def test_exclusion_form_shows_why_it_is_refused(world, login):
    os9 = world.extra["iso9001"]
    url = reverse("standards:exclusions", kwargs={"org": "acme", "pk": os9.pk})
    response = login(world.mr).post(
        url, {"clause": clause("iso9001", "5.2").pk, "justification": "x"}
    )
    assert response.status_code == 200
    assert "allows no exclusion of 5.2" in response.content.decode()
    assert login(world.employee).post(url, {"clause": 1}).status_code == 403


def test_readiness_arithmetic(world):
    os9 = world.extra["iso9001"]
    leaves = list(
        Clause.objects.filter(edition=os9.edition, children__isnull=True).order_by("sort_key")
    )
    excluded = {c.pk for c in leaves if c.number == "8.3.1"}
    counted = [c for c in leaves if c.pk not in excluded]
    result = readiness(world.org, [os9])[0]
    assert result.counted == len(counted) and result.percent == 0
    assert [c.number for c, _ in result.excluded] == ["8.3.1"]
    # Two clauses that share no HS clause: verified (1.0) and partly (0.5).
    a, b = clause("iso9001", "5.1.2"), clause("iso9001", "8.5.4")
    assert a.hs_id is None and b.hs_id is None
    services.evidence_link(
        actor=world.mr, organization=world.org, clause=a, obj=world.extra["process"]
    )
    services.assessment_update(actor=world.mr, organization=world.org, clause=a, status=S.VERIFIED)
    services.assessment_update(actor=world.mr, organization=world.org, clause=b, status=S.PARTLY)
    result = readiness(world.org, [os9])[0]
    assert result.points == pytest.approx(1.5)
    assert result.percent == round(100 * 1.5 / len(counted))
    assert (
        "1 verified × 1" in result.explanation
        and "1 partly implemented × 0.5" in result.explanation
    )
    section8 = next(p for p in result.sections if p.code == "8")
    assert section8.points == pytest.approx(0.5)
    # An exclusion leaves the count.
    services.exclusion_declare(
        actor=world.mr, org_standard=os9, clause=clause("iso9001", "8.3.2"), justification="No"
    )
    assert readiness(world.org, [os9])[0].counted == len(counted) - 1


def test_gaps_put_missing_mandatory_documents_first_and_evidence_kinds_count(world):
    os9 = world.extra["iso9001"]
    result = readiness(world.org, [os9])[0]
    assert result.gaps[0].missing_required
    assert any(r.clause_number == "4.1" for r in result.required) is False
    scope_info = [r for r in result.required if r.clause_number == "4.3"]
    assert scope_info and not scope_info[0].present
    # A process linked to 4.3 counts as a document to maintain once its kind is registered.
    services.evidence_link(
        actor=world.mr,
        organization=world.org,
        clause=clause("iso9001", "4.3"),
        obj=world.extra["process"],
    )
    before = set(EVIDENCE_KINDS["maintain"])
    try:
        register_evidence_kind("standards.process", "maintain")
        result = readiness(world.org, [os9])[0]
        assert [r.present for r in result.required if r.clause_number == "4.3"] == [True]
    finally:
        EVIDENCE_KINDS["maintain"] = before


def test_soa_export_has_the_93_controls(world, login):
    os27 = world.extra["iso27001"]
    response = login(world.external).get(
        reverse("standards:soa_export", kwargs={"org": "acme", "pk": os27.pk})
    )
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 93
    first = next(r for r in rows if r[1] == "A.5.1")
    assert first[3] == "Yes" and first[4] == "Needed."


def test_soa_needs_a_justification(world):
    with pytest.raises(ValidationError, match="Give the reason"):
        services.soa_set(
            actor=world.mr,
            org_standard=world.extra["iso27001"],
            clause=clause("iso27001", "A.5.2"),
            applicable=False,
            justification="",
        )


def test_readiness_export_and_print(world, login):
    client = login(world.mr)
    response = client.get(reverse("standards:readiness_export", kwargs={"org": "acme"}))
    wb = load_workbook(io.BytesIO(response.content))
    chosen = set(
        OrgStandard.objects.filter(organization=world.org).values_list("edition__label", flat=True)
    )
    assert wb["Readiness"]["A2"].value in chosen
    assert (
        client.get(reverse("standards:readiness_print", kwargs={"org": "acme"})).status_code == 200
    )


def test_gap_page_runs_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world.mr)
    url = reverse("standards:gap", kwargs={"org": "acme", "pk": world.extra["iso27001"].pk})
    client.get(url)
    # A fixed number: the stage 1 gates of the risks, objectives and review modules and the
    # signed SoA revisions read a query or two each, whatever the number of clauses.
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.content.decode().count('class="depth-') >= 93 + 30


def test_process_list_queries_do_not_grow(world, login, django_assert_max_num_queries):
    for i in range(15):
        services.process_save(
            actor=world.mr, organization=world.org, name=f"P{i}", owner=world.owner
        )
    client = login(world.mr)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("standards:processes", kwargs={"org": "acme"}))
    assert "P14" in response.content.decode()


def test_process_owner_edits_only_own_processes(world, login):
    mine = world.extra["process"]
    other = services.process_save(
        actor=world.mr, organization=world.org, name="Audit", owner=world.mr
    )
    client = login(world.owner)
    assert (
        client.get(
            reverse("standards:process_edit", kwargs={"org": "acme", "pk": mine.pk})
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("standards:process_edit", kwargs={"org": "acme", "pk": other.pk})
        ).status_code
        == 403
    )


def test_process_page_shows_sections_from_other_modules(world, login):
    from pdca.standards.registry import PROCESS_SECTIONS, register_process_section

    def section(request, process):
        return f"<p>KPIs of {process.name}</p>"

    register_process_section(section)
    try:
        page = login(world.employee).get(
            reverse("standards:process", kwargs={"org": "acme", "pk": world.extra["process"].pk})
        )
        assert "KPIs of Sales" in page.content.decode()
    finally:
        PROCESS_SECTIONS[:] = [p for p in PROCESS_SECTIONS if p[1] is not section]


def test_process_map_draws_interactions(world, login):
    a = world.extra["process"]
    b = services.process_save(
        actor=world.mr, organization=world.org, name="Delivery", owner=world.owner
    )
    services.process_save(
        actor=world.mr,
        organization=world.org,
        process=a,
        interacts_with=[b],
        expected_version=a.version,
    )
    page = login(world.employee).get(reverse("standards:process_map", kwargs={"org": "acme"}))
    html = page.content.decode()
    # Only the map's own lines: the navigation's icons draw lines too.
    drawing = html[html.index('class="process-map"') :]
    drawing = drawing[: drawing.index("</svg>")]
    assert drawing.count("<line") == 1 and "Delivery" in html


def test_one_click_roadmap_action_and_attention(world, login):
    os9, c = world.extra["iso9001"], clause("iso9001", "7.1.6")
    services.assessment_update(actor=world.mr, organization=world.org, clause=c, owner=world.owner)
    client = login(world.mr)
    client.post(
        reverse("standards:action_from_gap", kwargs={"org": "acme", "pk": os9.pk, "clause": c.pk})
    )
    action = c.roadmap_actions.get()
    assert action.owner == world.owner and "7.1.6" in action.title
    action.due_on = action.due_on.replace(year=2000)
    action.save()
    from pdca.standards.selectors import standards_attention

    titles = {a.title: a.count for a in standards_attention(world.memberships["mr"])}
    assert titles["Overdue roadmap actions"] == 1
    owner_titles = {a.title for a in standards_attention(world.memberships["owner"])}
    assert {"Your roadmap actions", "Clauses assigned to you"} <= owner_titles
    page = client.get(reverse("standards:roadmap", kwargs={"org": "acme"}))
    assert "overdue" in page.content.decode()


def test_org_boundary(world, login):
    os9 = world.extra["iso9001"]
    client = login(world.outsider)
    assert (
        client.get(reverse("standards:gap", kwargs={"org": "acme", "pk": os9.pk})).status_code
        == 404
    )
    # Globex's own member cannot reach Acme's objects through Globex's URLs either.
    assert (
        client.get(reverse("standards:gap", kwargs={"org": "globex", "pk": os9.pk})).status_code
        == 404
    )
    assert (
        client.get(
            reverse("standards:process", kwargs={"org": "globex", "pk": world.extra["process"].pk})
        ).status_code
        == 404
    )
    with pytest.raises(ValidationError):
        services.process_save(
            actor=world.mr, organization=world.other_org, name="X", owner=world.owner
        )


def test_api_assessment_patch_and_bad_input(world, login):
    os9, c = world.extra["iso9001"], clause("iso9001", "7.2")
    client = login(world.mr)
    url = reverse("api-standards-assessment", kwargs={"org": "acme", "pk": os9.pk, "clause": c.pk})
    assert client.get(url).json()["version"] == 0
    ok = client.patch(url, {"status": "implemented", "version": 0}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "implemented"
    stale = client.patch(url, {"status": "verified", "version": 0}, content_type="application/json")
    assert stale.status_code == 409 and "Someone else" in stale.json()["detail"]
    bad = client.patch(url, {"status": "done", "version": 1}, content_type="application/json")
    assert bad.status_code == 400 and "status" in bad.json()["errors"]
    missing = client.patch(url, {"status": "verified"}, content_type="application/json")
    assert missing.status_code == 400
    assert (
        login(world.employee)
        .patch(url, {"status": "verified", "version": 1}, content_type="application/json")
        .status_code
        == 403
    )


def test_api_readiness_exclusions_and_evidence(world, login):
    client = login(world.mr)
    data = client.get(reverse("api-standards-readiness", kwargs={"org": "acme"})).json()
    chosen = set(
        OrgStandard.objects.filter(organization=world.org).values_list("edition__label", flat=True)
    )
    assert {d["edition"] for d in data} == chosen
    assert {"ISO 9001:2015", "ISO/IEC 27001:2022"} <= chosen
    refused = client.post(
        reverse("api-standards-exclusions", kwargs={"org": "acme"}),
        {
            "org_standard": world.extra["iso9001"].pk,
            "clause": clause("iso9001", "4.2").pk,
            "justification": "x",
        },
        content_type="application/json",
    )
    assert refused.status_code == 400 and "allows no exclusion" in str(refused.json())
    url = reverse("api-standards-evidence", kwargs={"org": "acme"})
    other_process = Process.objects.create(organization=world.other_org, name="Theirs")
    wrong = client.post(
        url,
        {
            "clause": clause("iso9001", "4.4").pk,
            "content_type": "standards.process",
            "object_id": other_process.pk,
        },
        content_type="application/json",
    )
    assert wrong.status_code == 400
    made = client.post(
        url,
        {
            "clause": clause("iso9001", "4.4").pk,
            "content_type": "standards.process",
            "object_id": world.extra["process"].pk,
        },
        content_type="application/json",
    )
    assert made.status_code == 201
    assert client.post(url, {"clause": "x"}, content_type="application/json").status_code == 400


def test_api_choose_and_roadmap(world, login):
    client = login(world.mr)
    chosen = client.post(
        reverse("api-standards-org-standards", kwargs={"org": "acme"}),
        {"edition": Edition.objects.get(standard__code="iso45001").pk, "scope": "Plant"},
        content_type="application/json",
    )
    assert chosen.status_code == 201
    again = client.post(
        reverse("api-standards-org-standards", kwargs={"org": "acme"}),
        {"edition": Edition.objects.get(standard__code="iso45001").pk},
        content_type="application/json",
    )
    assert again.status_code == 400
    bad = client.post(
        reverse("api-standards-roadmap", kwargs={"org": "acme"}),
        {"title": "", "owner": world.outsider.pk, "due_on": "soon"},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_a_roadmap_action_done_gets_its_done_date_and_loses_it_when_reopened(world):
    action = world.extra["roadmap_action"]
    done = services.roadmap_action_update(
        actor=world.mr, action=action, expected_version=action.version, status="done"
    )
    assert done.done_on == timezone.localdate()
    entry = TrailEntry.objects.filter(action="standards.roadmap.updated").order_by("seq").last()
    assert entry.changes["done_on"] == [None, str(timezone.localdate())]
    reopened = services.roadmap_action_update(
        actor=world.mr, action=done, expected_version=done.version, status="in_progress"
    )
    assert reopened.done_on is None
