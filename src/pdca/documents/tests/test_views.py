import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pdca.core.models import TrailEntry
from pdca.core.testing import PASSWORD, export_via_job
from pdca.documents import services
from pdca.documents.models import Document, Revision, RevisionStatus, Signature
from pdca.documents.testing import make_effective_document

from .conftest import PNG, upload

pytestmark = pytest.mark.django_db


def url(name, **kw):
    return reverse(f"documents:{name}", kwargs={"org": "acme", **kw})


def test_create_document_from_the_page(world, login):
    client = login(world.owner)
    response = client.post(
        url("create"),
        {
            "doc_type": "work_instruction",
            "title": "CNC setup",
            "owner": world.owner.pk,
            "confidentiality": "internal",
            "review_interval_months": 24,
            "text": "Step 1",
        },
    )
    assert response.status_code == 302
    doc = Document.objects.get(title="CNC setup")
    assert doc.number == "WI-001"


def test_create_form_bad_input_shows_errors(world, login):
    client = login(world.owner)
    response = client.post(
        url("create"), {"doc_type": "nope", "title": "", "review_interval_months": 0}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "errorlist" in content
    response = client.post(
        url("create"),
        {
            "doc_type": "form",
            "title": "F",
            "owner": world.owner.pk,
            "confidentiality": "internal",
            "review_interval_months": 12,
            "file": upload("x.pdf", PNG),
        },
    )
    assert response.status_code == 400
    assert "does not match" in response.content.decode()


def test_duplicate_number_on_page_is_refused(world, login):
    client = login(world.mr)
    existing = world.extra["document"]
    response = client.post(
        url("create"),
        {
            "doc_type": "procedure",
            "number": existing.number,
            "title": "Dup",
            "owner": world.mr.pk,
            "confidentiality": "internal",
            "review_interval_months": 12,
            "text": "x",
        },
    )
    assert response.status_code == 400
    assert "already in use" in response.content.decode()


def test_effective_revision_cannot_be_edited_through_any_url(world, login):
    eff = world.extra["effective_revision"]
    client = login(world.mr)
    assert client.get(url("revision_edit", pk=eff.pk)).status_code == 403
    response = client.post(
        url("revision_edit", pk=eff.pk),
        {"text": "hacked", "change_reason": "x", "version": eff.version},
    )
    assert response.status_code == 403
    assert client.post(url("revision_submit", pk=eff.pk)).status_code == 403
    assert client.delete(url("revision", pk=eff.pk)).status_code == 405
    eff.refresh_from_db()
    assert eff.text != "hacked"


def test_second_concurrent_save_gets_conflict_message(world, login):
    draft = world.extra["draft_revision"]
    client = login(world.owner)
    data = {"text": "first", "change_reason": "r", "version": draft.version}
    assert client.post(url("revision_edit", pk=draft.pk), data).status_code == 302
    response = client.post(url("revision_edit", pk=draft.pk), {**data, "text": "second"})
    assert response.status_code == 409
    assert "Someone else changed" in response.content.decode()
    draft.refresh_from_db()
    assert draft.text == "first"


def test_sign_page_wrong_password_is_refused(world, login):
    draft = world.extra["draft_revision"]
    services.revision_submit(actor=world.owner, revision=draft)
    client = login(world.auditor)
    response = client.post(
        url("revision_sign", pk=draft.pk), {"meaning": "reviewed", "password": "bad"}
    )
    assert response.status_code == 400
    assert "password is not correct" in response.content.decode()
    assert TrailEntry.objects.filter(action="documents.signature.failed").count() == 1
    response = client.post(
        url("revision_sign", pk=draft.pk), {"meaning": "reviewed", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert Signature.objects.filter(revision=draft, meaning="reviewed").exists()


def test_author_cannot_approve_own_revision_on_page(world, login):
    draft = world.extra["draft_revision"]
    doc = draft.document
    doc.approvers.add(world.owner)
    services.revision_submit(actor=world.owner, revision=draft)
    client = login(world.owner)
    response = client.get(url("revision_sign", pk=draft.pk))
    assert 'value="approved"' not in response.content.decode()
    response = client.post(
        url("revision_sign", pk=draft.pk), {"meaning": "approved", "password": PASSWORD}
    )
    assert response.status_code == 403


def test_document_page_shows_who_has_and_has_not_acknowledged(world, login):
    doc = world.extra["document"]
    client = login(world.mr)
    content = client.get(url("detail", pk=doc.pk)).content.decode()
    assert "0 of 1 have acknowledged" in content
    assert world.employee.full_name in content


def test_employee_reading_list_and_acknowledge(world, login):
    client = login(world.employee)
    ack = world.extra["ack"]
    response = client.get(url("reading"))
    assert world.extra["document"].number in response.content.decode()
    client.get(url("detail", pk=world.extra["document"].pk))  # opening it comes first
    assert client.post(url("acknowledge", pk=ack.pk)).status_code == 302
    ack.refresh_from_db()
    assert ack.acknowledged_at is not None
    assert "Nothing to read" in client.get(url("reading")).content.decode()


def test_cannot_acknowledge_someone_elses_reading(world, login):
    ack = world.extra["ack"]
    assert login(world.owner).post(url("acknowledge", pk=ack.pk)).status_code == 403


def test_superseded_revision_is_watermarked_and_not_current(world, login):
    doc = world.extra["document"]
    old = doc.current_revision
    draft = world.extra["draft_revision"]
    services.revision_submit(actor=world.owner, revision=draft)
    services.revision_sign(
        actor=world.auditor, revision=draft, password=PASSWORD, meaning="reviewed"
    )
    services.revision_sign(actor=world.mr, revision=draft, password=PASSWORD, meaning="approved")
    services.revision_release(
        actor=world.mr, revision=draft, password=PASSWORD, effective_from=datetime.date.today()
    )
    client = login(world.employee)
    content = client.get(url("revision", pk=old.pk)).content.decode()
    assert "SUPERSEDED" in content
    detail = client.get(url("detail", pk=doc.pk)).content.decode()
    assert "Current text (revision 2)" in detail
    pdf = client.get(url("revision_pdf", pk=old.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.post(url("revision_edit", pk=old.pk), {"text": "x"}).status_code == 403


def test_pdf_shows_signatures(world, login):
    eff = world.extra["effective_revision"]
    response = login(world.employee).get(url("revision_pdf", pk=eff.pk))
    assert response["Content-Type"] == "application/pdf"
    assert len(response.content) > 500


def test_diff_shows_changes_side_by_side(world, login):
    draft, eff = world.extra["draft_revision"], world.extra["effective_revision"]
    content = (
        login(world.employee).get(url("revision_diff", pk=draft.pk, other=eff.pk)).content.decode()
    )
    assert "diff_add" in content and "Records" in content


def test_markdown_is_rendered_safely(world, login):
    draft = world.extra["draft_revision"]
    services.revision_update(
        actor=world.owner,
        revision=draft,
        version=draft.version,
        text="**bold** <script>alert(1)</script> [x](javascript:alert(1))",
        change_reason="x",
    )
    content = login(world.owner).get(url("revision", pk=draft.pk)).content.decode()
    assert "<strong>bold</strong>" in content
    assert "<script>alert(1)" not in content
    assert "javascript:alert" not in content


def test_master_list_filters_and_search(world, login):
    services.document_create(
        actor=world.mr,
        organization=world.org,
        doc_type="form",
        title="Calibration log",
        owner=world.mr,
        text="Record the gauge serial number",
    )
    client = login(world.employee)
    content = client.get(url("list"), {"q": "gauge"}).content.decode()
    assert "Calibration log" in content and "Control of documents" not in content
    content = client.get(url("list"), {"doc_type": "procedure"}).content.decode()
    assert "Control of documents" in content and "Calibration log" not in content
    content = client.get(url("list"), {"status": "effective"}).content.decode()
    assert "Calibration log" not in content
    content = client.get(url("list"), {"q": "FRM"}).content.decode()
    assert "Calibration log" in content
    assert client.get(url("list"), {"owner": "abc"}).status_code == 200  # bad filter ignored


def test_master_list_review_due_filter(world, login):
    doc = world.extra["document"]
    Document.objects.filter(pk=doc.pk).update(
        next_review_date=datetime.date.today() - datetime.timedelta(days=1)
    )
    content = login(world.mr).get(url("list"), {"review": "overdue"}).content.decode()
    assert doc.number in content


def test_master_list_exports_xlsx(world, login):
    response = export_via_job(login(world.external), url("export"))
    assert response.status_code == 200
    assert 'filename="master-list-acme.xlsx"' in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "Number"
    assert rows[1][0] == world.extra["document"].number


def test_confidential_document_hidden_from_employees(world, login):
    secret = services.document_create(
        actor=world.mr,
        organization=world.org,
        doc_type="policy",
        title="Salary policy",
        owner=world.mr,
        text="x",
        confidentiality="confidential",
    )
    # Not there for whoever may not see it (404, as for another organization's document).
    assert login(world.employee).get(url("detail", pk=secret.pk)).status_code == 404
    assert "Salary policy" not in login(world.employee).get(url("list")).content.decode()
    assert login(world.auditor).get(url("detail", pk=secret.pk)).status_code == 200


def test_restricted_document_visible_to_named_roles(world, login):
    doc = services.document_create(
        actor=world.mr,
        organization=world.org,
        doc_type="procedure",
        title="Incident response",
        owner=world.mr,
        text="x",
        confidentiality="restricted",
        allowed_roles=["owner"],
    )
    assert login(world.owner).get(url("detail", pk=doc.pk)).status_code == 200
    assert login(world.auditor).get(url("detail", pk=doc.pk)).status_code == 404


def test_other_organization_cannot_see_documents(world, login):
    doc = world.extra["document"]
    client = login(world.outsider)
    assert client.get(url("detail", pk=doc.pk)).status_code == 404
    other = services.document_create(
        actor=world.outsider,
        organization=world.other_org,
        doc_type="policy",
        title="Globex policy",
        owner=world.outsider,
        text="globex secret",
    )
    client = login(world.mr)
    assert client.get(url("detail", pk=other.pk)).status_code == 404
    assert "Globex" not in client.get(url("list"), {"q": "globex"}).content.decode()


def test_periodic_review_on_page(world, login):
    doc = world.extra["document"]
    Document.objects.filter(pk=doc.pk).update(next_review_date=datetime.date.today())
    client = login(world.owner)
    assert "Periodic review due" in client.get(url("detail", pk=doc.pk)).content.decode()
    assert client.post(url("review", pk=doc.pk), {"password": "bad"}).status_code == 400
    assert client.post(url("review", pk=doc.pk), {"password": PASSWORD}).status_code == 302
    doc.refresh_from_db()
    assert doc.next_review_date > datetime.date.today()


def test_dashboard_shows_due_reviews_and_reading(world, login):
    doc = world.extra["document"]
    Document.objects.filter(pk=doc.pk).update(
        next_review_date=datetime.date.today() - datetime.timedelta(days=1)
    )
    content = (
        login(world.owner).get(reverse("core:dashboard", kwargs={"org": "acme"})).content.decode()
    )
    assert "Document reviews overdue" in content
    content = (
        login(world.employee)
        .get(reverse("core:dashboard", kwargs={"org": "acme"}))
        .content.decode()
    )
    assert "Documents to read and acknowledge" in content


def test_new_revision_and_distribution_pages(world, login):
    doc = make_effective_document(world, title="Corrective action")
    client = login(world.mr)
    assert client.post(url("revise", pk=doc.pk), {"change_reason": ""}).status_code == 400
    assert client.post(url("revise", pk=doc.pk), {"change_reason": "Add 8D"}).status_code == 302
    assert Revision.objects.filter(document=doc, status=RevisionStatus.DRAFT).exists()
    response = client.post(
        url("distribution", pk=doc.pk), {"roles": ["auditor"], "departments": [world.department.pk]}
    )
    assert response.status_code == 302
    assert client.post(url("distribution", pk=doc.pk), {"roles": ["nope"]}).status_code == 400


def test_release_and_obsolete_pages_refuse_bad_input(world, login):
    doc = world.extra["document"]
    client = login(world.mr)
    draft = world.extra["draft_revision"]
    assert (
        client.post(url("revision_release", pk=draft.pk), {"password": PASSWORD}).status_code == 400
    )
    response = client.post(
        url("revision_release", pk=draft.pk), {"password": PASSWORD, "effective_from": "2030-01-01"}
    )
    assert "Only an approved revision" in response.content.decode()
    assert client.post(url("obsolete", pk=doc.pk), {"password": PASSWORD}).status_code == 400
    assert (
        client.post(
            url("obsolete", pk=doc.pk), {"password": PASSWORD, "reason": "Replaced"}
        ).status_code
        == 302
    )


def test_query_counts_do_not_grow_with_rows(world, login, django_assert_max_num_queries):
    for i in range(30):
        services.document_create(
            actor=world.mr,
            organization=world.org,
            doc_type="form",
            title=f"Form {i}",
            owner=world.mr,
            text="x",
        )
    client = login(world.mr)
    with django_assert_max_num_queries(14):
        assert client.get(url("list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(url("list"), {"q": "form"}).status_code == 200
    doc = world.extra["document"]
    with django_assert_max_num_queries(24):
        assert client.get(url("detail", pk=doc.pk)).status_code == 200


def test_numbering_page_configures_the_scheme(world, login):
    client = login(world.mr)
    assert "PRO-000" in client.get(url("numbering")).content.decode()
    assert (
        client.post(
            url("numbering"), {"doc_type": "procedure", "letters": "qp", "digits": 4}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url("numbering"), {"doc_type": "procedure", "letters": "1-x", "digits": 0}
        ).status_code
        == 400
    )
    doc = services.document_create(
        actor=world.mr,
        organization=world.org,
        doc_type="procedure",
        title="X",
        owner=world.mr,
        text="x",
    )
    assert doc.number == "QP-0002"
    assert login(world.employee).get(url("numbering")).status_code == 403
