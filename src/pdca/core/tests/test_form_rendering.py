"""The shared form rendering (`_form.html`, core.forms.widget_attrs): errors tied to their
inputs, searchable pickers, file inputs that state their limits and show a refused upload next
to themselves; a conflict said once; evidence unlinked only after a confirmation."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pdca.core.forms import upload_limits
from pdca.records.models import Attachment
from pdca.standards.models import EvidenceLink

pytestmark = pytest.mark.django_db

HTML_AS_PDF = b"<html><body>not a pdf</body></html>"


def url(name, **kw):
    return reverse(name, kwargs={"org": "acme", **kw})


def test_an_error_is_tied_to_its_input(world, login):
    client = login(world.mr)
    r = client.post(url("documents:create"), {"doc_type": "procedure", "title": ""})
    assert r.status_code == 400
    html = r.content.decode()
    field = re.search(r'<input[^>]*name="title"[^>]*>', html)
    assert field, html
    assert 'aria-invalid="true"' in field.group(0)
    assert 'aria-describedby="id_title_error"' in field.group(0)
    assert 'id="id_title_error"' in html


def test_help_text_is_tied_to_its_input_and_checkboxes_are_a_fieldset(world, login):
    client = login(world.mr)
    html = client.get(url("core:member_invite")).content.decode()
    expires = re.search(r'<input[^>]*name="expires_on"[^>]*>', html)
    assert expires and 'aria-describedby="id_expires_on_helptext"' in expires.group(0)
    assert 'id="id_expires_on_helptext"' in html
    # The roles are checkboxes: grouped under a legend that names them.
    assert re.search(r"<fieldset[^>]*>\s*<legend>Roles", html)


def test_choices_of_people_and_clauses_are_searchable_pickers(world, login):
    client = login(world.mr)
    html = client.get(url("documents:create")).content.decode()
    for name, kind in (("reviewers", "many"), ("approvers", "many"), ("clauses", "many")):
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>', html)
        assert select and f'data-picker="{kind}"' in select.group(0), name
    owner = re.search(r'<select[^>]*name="owner"[^>]*>', html)
    assert owner and 'data-picker="one"' in owner.group(0)
    # A choice of a few fixed values stays a plain select; checkboxes stay checkboxes.
    doc_type = re.search(r'<select[^>]*name="doc_type"[^>]*>', html)
    assert doc_type and "data-picker" not in doc_type.group(0)
    assert "tom-select-2.6.2.complete.min.js" in html


def test_the_file_input_states_its_limit_and_types(world, login):
    client = login(world.mr)
    html = client.get(url("documents:create")).content.decode()
    field = re.search(r'<input[^>]*type="file"[^>]*>', html)
    assert field and 'aria-describedby="id_file_limits"' in field.group(0)
    assert 'accept=".pdf' in field.group(0)
    assert f'<small class="helptext" id="id_file_limits">{upload_limits()}</small>' in html
    assert "20 MB" in upload_limits() and "PDF" in upload_limits()


def test_a_refused_upload_is_shown_next_to_the_file_input_of_a_new_document(world, login):
    client = login(world.mr)
    r = client.post(
        url("documents:create"),
        {
            "doc_type": "procedure",
            "title": "Calibration",
            "owner": world.owner.pk,
            "confidentiality": "internal",
            "review_interval_months": 12,
            "file": SimpleUploadedFile("calibration.pdf", HTML_AS_PDF),
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    errors = re.search(r'<ul class="errorlist" id="id_file_error">(.*?)</ul>', html, re.S)
    assert errors and "does not match its extension" in errors.group(1), html
    assert html.count("does not match its extension") == 1


def test_a_refused_attachment_is_shown_next_to_the_file_input_of_the_record(world, login):
    record = world.extra["record"]
    before = Attachment.objects.filter(record=record).count()
    client = login(world.mr)
    r = client.post(
        url("records:attach", pk=record.pk),
        {"file": SimpleUploadedFile("photo.pdf", HTML_AS_PDF)},
    )
    assert r.status_code == 400
    html = r.content.decode()
    errors = re.search(r'<ul class="errorlist" id="id_file_error">(.*?)</ul>', html, re.S)
    assert errors and "does not match its extension" in errors.group(1)
    assert html.count("does not match its extension") == 1
    assert Attachment.objects.filter(record=record).count() == before


def test_a_too_large_attachment_is_shown_next_to_the_file_input(world, login, settings):
    settings.PDCA_MAX_UPLOAD_MB = 1
    record = world.extra["record"]
    client = login(world.mr)
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1)
    r = client.post(url("records:attach", pk=record.pk), {"file": SimpleUploadedFile("a.pdf", big)})
    assert r.status_code == 400
    errors = re.search(r'id="id_file_error">(.*?)</ul>', r.content.decode(), re.S)
    assert errors and "larger than the limit of 1 MB" in errors.group(1)


def test_a_conflict_is_said_once(world, login):
    doc = world.extra["document"]
    client = login(world.mr)
    r = client.post(
        url("documents:edit", pk=doc.pk),
        {
            "doc_type": doc.doc_type,
            "number": doc.number,
            "title": "Changed meanwhile",
            "owner": doc.owner_id,
            "confidentiality": doc.confidentiality,
            "review_interval_months": doc.review_interval_months,
            "version": doc.version - 1,
        },
    )
    assert r.status_code in (400, 409)  # the document form answers every refusal with 400
    assert r.content.decode().count("Someone else changed this") == 1


def test_unlinking_evidence_asks_first(world, login):
    link = world.extra["evidence"]
    os9 = world.extra["iso9001"]
    client = login(world.mr)
    address = url("standards:evidence_unlink", pk=os9.pk, link=link.pk)
    r = client.get(address, {"clause": link.clause_id})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Unlink evidence" in html and 'method="post"' in html
    assert EvidenceLink.objects.filter(pk=link.pk).exists()
    # The clause page offers the confirmation, not a one-click removal.
    clause_page = client.get(url("standards:clause", pk=os9.pk, clause=link.clause_id))
    assert address in clause_page.content.decode()
    r = client.post(address + f"?clause={link.clause_id}", {})
    assert r.status_code == 302
    assert not EvidenceLink.objects.filter(pk=link.pk).exists()


def test_the_unlink_confirmation_is_refused_to_a_role_that_cannot_link(world, login):
    link = world.extra["evidence"]
    client = login(world.employee)
    r = client.get(url("standards:evidence_unlink", pk=world.extra["iso9001"].pk, link=link.pk))
    assert r.status_code == 403
