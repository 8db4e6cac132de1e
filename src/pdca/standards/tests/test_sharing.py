"""Sharing across standards is explicit, and evidence reaches the mandatory item it proves."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from pdca.core.models import TrailEntry
from pdca.core.services import ConflictError
from pdca.standards import services
from pdca.standards.models import (
    Assessment,
    AssessmentConfirmation,
    Clause,
    Edition,
    EvidenceLink,
    OrgStandard,
    RequiredInformation,
)
from pdca.standards.registry import RECORD_SOURCES
from pdca.standards.selectors.readiness import readiness

pytestmark = pytest.mark.django_db
S = Assessment.Status


def clause(code: str, number: str) -> Clause:
    return Clause.objects.select_related("edition__standard", "hs").get(
        edition__standard__code=code, number=number
    )


def item(code: str, number: str, item_code: str) -> RequiredInformation:
    return RequiredInformation.objects.get(clause=clause(code, number), code=item_code)


def choose(world, code: str) -> OrgStandard:
    edition = Edition.objects.get(standard__code=code)
    existing = OrgStandard.objects.filter(organization=world.org, edition=edition).first()
    return existing or services.org_standard_choose(
        actor=world.mr, organization=world.org, edition=edition
    )


def result_of(world, org_standard: OrgStandard):
    return next(r for r in readiness(world.org) if r.org_standard.pk == org_standard.pk)


def present(result, number: str, code: str) -> bool:
    return next(r.present for r in result.required if r.clause_number == number and r.code == code)


def assess_every_shared_clause(world, os9: OrgStandard) -> int:
    n = 0
    for c in Clause.objects.filter(edition=os9.edition, children__isnull=True, hs__isnull=False):
        services.assessment_update(
            actor=world.mr, organization=world.org, clause=c, status=S.IMPLEMENTED
        )
        n += 1
    return n


def test_adding_a_standard_does_not_inherit_the_shared_statuses(world):
    os9 = world.extra["iso9001"]
    assert assess_every_shared_clause(world, os9) > 15
    assert result_of(world, os9).by_status[S.IMPLEMENTED] > 15
    os45 = choose(world, "iso45001")
    result = result_of(world, os45)
    assert result.by_status[S.IMPLEMENTED] == 0 and result.percent == 0
    assert result.unconfirmed > 15 and "once confirmed for this one" in result.explanation


def test_a_shared_status_counts_once_confirmed_for_the_standard(world, login):
    os9 = world.extra["iso9001"]
    os45 = choose(world, "iso45001")
    a = services.assessment_update(
        actor=world.mr,
        organization=world.org,
        clause=clause("iso9001", "7.3"),
        status=S.IMPLEMENTED,
    )
    page = login(world.mr).get(
        reverse(
            "standards:clause",
            kwargs={"org": "acme", "pk": os45.pk, "clause": clause("iso45001", "7.3").pk},
        )
    )
    assert "Also valid for ISO 45001?" in page.content.decode()
    with pytest.raises(ConflictError):
        services.assessment_confirm(
            actor=world.mr,
            org_standard=os45,
            clause=clause("iso45001", "7.3"),
            expected_version=a.version - 1,
        )
    response = login(world.mr).post(
        reverse(
            "standards:assessment_confirm",
            kwargs={"org": "acme", "pk": os45.pk, "clause": clause("iso45001", "7.3").pk},
        ),
        {"version": a.version},
    )
    assert response.status_code == 302
    assert result_of(world, os45).by_status[S.IMPLEMENTED] == 1
    entry = (
        TrailEntry.objects.filter(action="standards.assessment.confirmed").order_by("seq").last()
    )
    assert entry is not None and entry.changes["confirmed_for"][1] == os45.edition.label
    with pytest.raises(ValidationError):
        services.assessment_confirm(
            actor=world.mr,
            org_standard=os45,
            clause=clause("iso45001", "7.3"),
            expected_version=a.version,
        )
    # The integrated view answers the clause once for the standards it was confirmed for.
    services.assessment_update(
        actor=world.mr,
        organization=world.org,
        clause=clause("iso45001", "7.3"),
        status=S.PARTLY,
        expected_version=a.version,
    )
    for os in (os9, os45):
        assert result_of(world, os).by_status[S.PARTLY] >= 1


def test_confirming_needs_the_permission_and_the_organization(world, login):
    os45 = choose(world, "iso45001")
    services.assessment_update(
        actor=world.mr,
        organization=world.org,
        clause=clause("iso9001", "7.3"),
        status=S.IMPLEMENTED,
    )
    url = reverse(
        "standards:assessment_confirm",
        kwargs={"org": "acme", "pk": os45.pk, "clause": clause("iso45001", "7.3").pk},
    )
    assert login(world.employee).post(url, {"version": 1}).status_code == 403
    assert login(world.mr).get(url).status_code == 405
    assert not AssessmentConfirmation.objects.filter(org_standard=os45).exists()


def test_existing_shared_statuses_stay_confirmed_for_the_standards_in_use(world):
    os9 = world.extra["iso9001"]
    os14 = choose(world, "iso14001")
    a = services.assessment_update(
        actor=world.mr,
        organization=world.org,
        clause=clause("iso9001", "7.3"),
        status=S.IMPLEMENTED,
    )
    AssessmentConfirmation.objects.filter(assessment=a).delete()  # as before the upgrade
    migration = importlib.import_module(
        "pdca.standards.migrations.0009_sharing_confirmations_items"
    )
    migration.confirm_shared_assessments(apps, None)
    rows = AssessmentConfirmation.objects.filter(assessment=a)
    in_use = set(OrgStandard.objects.filter(organization=world.org).values_list("pk", flat=True))
    assert {r.org_standard_id for r in rows} == in_use and {os9.pk, os14.pk} <= in_use
    assert all(r.on_upgrade and r.confirmed_by is None for r in rows)


def test_evidence_proves_an_item_only_for_the_standard_it_is_linked_for(world):
    os9 = world.extra["iso9001"]
    os14 = choose(world, "iso14001")
    document, record = world.extra["document"], world.extra["record"]
    services.evidence_link(
        actor=world.mr, organization=world.org, clause=clause("iso9001", "5.2.2"), obj=document
    )
    services.evidence_link(
        actor=world.mr, organization=world.org, clause=clause("iso9001", "9.1.1"), obj=record
    )
    assert present(result_of(world, os9), "5.2.2", "5.2.2")
    assert present(result_of(world, os9), "9.1.1", "9.1.1")
    # The quality policy is not the environmental policy, quality results not environmental ones.
    result = result_of(world, os14)
    assert not present(result, "5.2", "5.2") and not present(result, "9.1.1", "9.1.1")
    link = EvidenceLink.objects.get(clause=clause("iso9001", "5.2.2"), object_id=document.pk)
    with pytest.raises(ValidationError, match="specific to its discipline"):
        services.evidence_share(actor=world.mr, link=link, org_standard=os14)


def test_shared_evidence_counts_once_linked_for_the_other_standard(world):
    os14 = choose(world, "iso14001")
    record = world.extra["record"]
    services.evidence_link(
        actor=world.mr, organization=world.org, clause=clause("iso9001", "9.2.2"), obj=record
    )
    assert not present(result_of(world, os14), "9.2.2", "9.2.2")
    link = EvidenceLink.objects.get(clause=clause("iso9001", "9.2.2"), object_id=record.pk)
    services.evidence_share(actor=world.mr, link=link, org_standard=os14)
    assert present(result_of(world, os14), "9.2.2", "9.2.2")


def test_a_link_names_the_item_of_a_sub_clause_it_proves(world, login):
    os9 = world.extra["iso9001"]
    record = world.extra["record"]
    fitness = item("iso9001", "7.1.5.1", "7.1.5.1")
    response = login(world.mr).post(
        reverse(
            "standards:evidence_add",
            kwargs={"org": "acme", "pk": os9.pk, "clause": clause("iso9001", "7.1.5").pk},
        ),
        {"target": f"records.record:{record.pk}", "required": fitness.pk},
    )
    assert response.status_code == 302
    link = EvidenceLink.objects.get(clause=clause("iso9001", "7.1.5"), object_id=record.pk)
    assert link.required == fitness
    result = result_of(world, os9)
    assert present(result, "7.1.5.1", "7.1.5.1")
    assert not present(result, "7.1.5.2", "7.1.5.2")


def test_a_named_item_must_be_of_the_clause_and_of_the_objects_kind(world):
    document, record = world.extra["document"], world.extra["record"]
    with pytest.raises(ValidationError, match="not required by"):
        services.evidence_link(
            actor=world.mr,
            organization=world.org,
            clause=clause("iso9001", "7.1.5"),
            obj=record,
            required=item("iso9001", "9.3.3", "9.3.3"),
        )
    with pytest.raises(ValidationError, match="record to retain"):
        services.evidence_link(
            actor=world.mr,
            organization=world.org,
            clause=clause("iso9001", "9.3"),
            obj=document,
            required=item("iso9001", "9.3.3", "9.3.3"),
        )


def test_the_link_form_offers_the_items_of_the_clause_and_its_sub_clauses(world, login):
    os9 = world.extra["iso9001"]
    page = login(world.mr).get(
        reverse(
            "standards:clause",
            kwargs={"org": "acme", "pk": os9.pk, "clause": clause("iso9001", "9.3").pk},
        )
    )
    html = page.content.decode()
    assert "9.3.3 Results of management reviews" in html
    assert world.extra["document"].title in html and world.extra["record"].title in html


def test_signed_audit_reports_and_actioned_nonconformities_are_records(world):
    os9 = world.extra["iso9001"]
    held = {"9.2.2": set(), "10.2": set()}
    saved = dict(RECORD_SOURCES)
    try:
        for hs, editions in held.items():
            RECORD_SOURCES[hs] = lambda org, e=editions: e
        result = result_of(world, os9)
        assert not present(result, "9.2.2", "9.2.2") and not present(result, "10.2.2", "10.2.2")
        held["9.2.2"].add(os9.edition_id)
        held["10.2"].add(os9.edition_id)
        result = result_of(world, os9)
        assert present(result, "9.2.2", "9.2.2") and present(result, "10.2.2", "10.2.2")
    finally:
        RECORD_SOURCES.clear()
        RECORD_SOURCES.update(saved)


def test_record_sources_read_audit_reports_and_nonconformities(world):
    from django.utils import timezone

    from pdca.audits.models import AuditReport
    from pdca.audits.selectors import signed_report_editions
    from pdca.improvement.selectors import actioned_nc_editions

    assert RECORD_SOURCES["9.2.2"] is signed_report_editions
    assert RECORD_SOURCES["10.2"] is actioned_nc_editions
    os9 = world.extra["iso9001"]
    nc = world.extra["im_nc"]  # raised from the audit finding, with its corrective action
    assert nc.actions.exists() and nc.clauses.filter(edition=os9.edition).exists()
    assert os9.edition_id in actioned_nc_editions(world.org)
    assert actioned_nc_editions(world.other_org) == set()
    assert present(result_of(world, os9), "10.2.2", "10.2.2")
    audit = world.extra["au_audit"]
    audit.editions.add(os9.edition)
    assert os9.edition_id not in signed_report_editions(world.org)  # not signed yet
    AuditReport.objects.create(
        organization=world.org,
        audit=audit,
        content="Report",
        sha256="0" * 64,
        pdf=b"%PDF",
        pdf_sha256="0" * 64,
        signed_by=world.mr,
        signed_at=timezone.now(),
    )
    assert os9.edition_id in signed_report_editions(world.org)
    assert present(result_of(world, os9), "9.2.2", "9.2.2")


def test_the_soa_is_not_missing_once_pdca_holds_it(world):
    os27 = world.extra["iso27001"]
    assert not present(result_of(world, os27), "6.1.3", "6.1.3.d")
    for control in Clause.objects.filter(edition=os27.edition, kind="control"):
        if (os27.pk, control.pk) != (os27.pk, world.extra["control"].pk):
            services.soa_set(
                actor=world.mr,
                org_standard=os27,
                clause=control,
                applicable=True,
                justification="Treats a risk.",
            )
    assert present(result_of(world, os27), "6.1.3", "6.1.3.d")


# --- Editing the gap analysis in place and in bulk ---------------------------------------


def row_url(os, c) -> str:
    return reverse("standards:gap_row", kwargs={"org": "acme", "pk": os.pk, "clause": c.pk})


def test_a_row_is_edited_in_place_through_the_service(world, login):
    os9 = world.extra["iso9001"]
    c = clause("iso9001", "7.1.2")
    client = login(world.mr)
    editable = client.get(row_url(os9, c), HTTP_HX_REQUEST="true")
    assert editable.status_code == 200 and f'id="row-status-{c.pk}"' in editable.content.decode()
    saved = client.post(
        row_url(os9, c),
        {"status": "partly", "owner": world.owner.pk, "target_date": "2027-01-31", "version": 0},
        HTTP_HX_REQUEST="true",
    )
    html = saved.content.decode()
    assert saved.status_code == 200 and "Partly implemented" in html and "row-status" not in html
    a = Assessment.objects.get(organization=world.org, clause=c)
    assert a.owner == world.owner and str(a.target_date) == "2027-01-31"
    assert TrailEntry.objects.filter(action="standards.assessment.status_changed").exists()
    # A stale row is refused and shows what is saved now.
    stale = client.post(
        row_url(os9, c), {"status": "implemented", "version": 0}, HTTP_HX_REQUEST="true"
    )
    assert "Someone else changed" in stale.content.decode()
    assert Assessment.objects.get(pk=a.pk).status == "partly"
    # Without htmx the page comes back with the message.
    plain = client.post(row_url(os9, c), {"status": "implemented", "version": a.version})
    assert plain.status_code == 302
    assert Assessment.objects.get(pk=a.pk).status == "implemented"


def test_rows_need_the_assess_permission(world, login):
    os9 = world.extra["iso9001"]
    c = clause("iso9001", "7.1.2")
    employee = login(world.employee)
    assert employee.get(row_url(os9, c)).status_code == 403
    assert employee.post(row_url(os9, c), {"status": "implemented"}).status_code == 403
    bulk = reverse("standards:gap_bulk", kwargs={"org": "acme", "pk": os9.pk})
    assert employee.post(bulk, {"row": [f"{c.pk}:0"], "status": "implemented"}).status_code == 403
    assert not Assessment.objects.filter(organization=world.org, clause=c).exists()


def test_bulk_editing_is_all_or_nothing_with_version_checks(world, login):
    os9 = world.extra["iso9001"]
    c1, c2 = clause("iso9001", "7.1.2"), clause("iso9001", "7.1.3")
    a2 = services.assessment_update(
        actor=world.mr, organization=world.org, clause=c2, status=S.PLANNED
    )
    bulk = reverse("standards:gap_bulk", kwargs={"org": "acme", "pk": os9.pk})
    client = login(world.mr)
    stale = client.post(
        bulk, {"row": [f"{c1.pk}:0", f"{c2.pk}:{a2.version - 1}"], "status": "partly"}
    )
    assert stale.status_code == 302
    assert not Assessment.objects.filter(organization=world.org, clause=c1).exists()
    assert Assessment.objects.get(pk=a2.pk).status == "planned"
    ok = client.post(
        bulk,
        {"row": [f"{c1.pk}:0", f"{c2.pk}:{a2.version}"], "owner": world.owner.pk, "query": "?q=7"},
    )
    assert ok.status_code == 302 and ok["Location"].endswith("?q=7")
    rows = Assessment.objects.filter(organization=world.org, clause__in=[c1, c2])
    assert {a.owner_id for a in rows} == {world.owner.pk}
    assert Assessment.objects.get(pk=a2.pk).status == "planned"  # only the owner changed
    # Another standard's clause, or nothing chosen, is refused.
    with pytest.raises(ValidationError):
        services.assessments_bulk_update(
            actor=world.mr,
            org_standard=os9,
            versions={clause("iso14001", "6.1.2").pk: None},
            status="partly",
        )
    with pytest.raises(ValidationError):
        services.assessments_bulk_update(actor=world.mr, org_standard=os9, versions={c1.pk: 1})


def test_gap_page_offers_inline_and_bulk_editing_only_to_assessors(world, login):
    os9 = world.extra["iso9001"]
    url = reverse("standards:gap", kwargs={"org": "acme", "pk": os9.pk})
    assert 'id="gap-bulk"' in login(world.mr).get(url).content.decode()
    html = login(world.employee).get(url).content.decode()
    assert 'id="gap-bulk"' not in html and "hx-get" not in html.split('id="gap-rows"')[1]


def test_the_clause_page_explains_an_empty_evidence_choice(world, login):
    from pdca.standards.forms import LinkEvidenceForm

    other = world.other_org
    form = LinkEvidenceForm(organization=other, clause=clause("iso9001", "4.1"))
    assert not form.has_choices


def test_the_api_links_evidence_naming_its_item_and_shows_confirmations(world, login):
    os9 = world.extra["iso9001"]
    client = login(world.mr)
    fitness = item("iso9001", "7.1.5.1", "7.1.5.1")
    url = reverse("api-standards-evidence", kwargs={"org": "acme"})
    body = {
        "clause": clause("iso9001", "7.1.5").pk,
        "content_type": "records.record",
        "object_id": world.extra["record"].pk,
        "required": fitness.pk,
    }
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["required"] == fitness.pk
    wrong = {**body, "clause": clause("iso9001", "7.2").pk}
    assert client.post(url, wrong, content_type="application/json").status_code == 400
    services.assessment_update(
        actor=world.mr, organization=world.org, clause=clause("iso9001", "7.3"), status=S.PARTLY
    )
    detail = client.get(
        reverse(
            "api-standards-assessment",
            kwargs={"org": "acme", "pk": os9.pk, "clause": clause("iso9001", "7.3").pk},
        )
    )
    assert detail.json()["confirmed_for"] == [os9.pk]


def test_row_and_clause_pages_run_a_fixed_number_of_queries(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pdca.standards.models import Process

    os9 = world.extra["iso9001"]
    c = clause("iso9001", "9.3")
    client = login(world.mr)
    urls = [
        row_url(os9, clause("iso9001", "9.3.3")),
        reverse("standards:clause", kwargs={"org": "acme", "pk": os9.pk, "clause": c.pk}),
    ]

    def counts() -> list[int]:
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    counts()  # warms the caches (catalogue, session, permissions)
    before = counts()
    for i in range(15):
        process = Process.objects.create(organization=world.org, name=f"Extra {i}")
        services.evidence_link(actor=world.mr, organization=world.org, clause=c, obj=process)
    assert counts() == before
