"""Document control as its users meet it: controlled PDFs, signing in turn, hashes a reader can
check, and reading confirmed only after opening."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from pdca.core.testing import PASSWORD
from pdca.documents import selectors, services
from pdca.documents.models import Acknowledgement, Meaning, Revision, RevisionStatus
from pdca.documents.signing import signature_record

pytestmark = pytest.mark.django_db

MARKDOWN = """# Purpose

Keep **documents controlled** and *reviewed*. See [the standard](https://www.iso.org/iso-9001).

> Approved for adequacy before issue.

1. Draft
2. Review

- Sign with `pdca sign`

| Role | Duty |
|------|------|
| Author | Drafts |

```
pdca export --master-list
```
"""


def url(name, **kw):
    return reverse(f"documents:{name}", kwargs={"org": "acme", **kw})


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


# 4 Controlled PDFs ---------------------------------------------------------------------------


def _long_effective(world):
    eff = world.extra["effective_revision"]
    text = MARKDOWN + "\n".join(f"\nParagraph {i} of the procedure." for i in range(80))
    Revision.objects.filter(pk=eff.pk).update(text=text)
    return eff


def test_document_pdf_renders_the_markdown_and_frames_every_page(world, login):
    eff = _long_effective(world)
    response = login(world.employee).get(url("revision_pdf", pk=eff.pk))
    assert response.status_code == 200
    pages = pdf_pages(response.content)
    assert len(pages) >= 2
    doc = eff.document
    for number, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        assert world.org.name in flat
        assert doc.number in flat and doc.title in flat
        assert f"Revision {eff.label}" in flat and "Status: Effective" in flat
        assert "Effective from" in flat
        assert f"Page {number} of {len(pages)}" in flat
        assert "Uncontrolled when printed: printed" in flat
        assert world.employee.display_name in flat
    everything = " ".join(" ".join(pages).split())
    # Markdown is printed as formatting, not as its markers.
    for marker in ("**", "|------|", "```", "# Purpose", "> Approved"):
        assert marker not in everything
    assert "documents controlled" in everything and "Approved for adequacy" in everything
    assert "(https://www.iso.org/iso-9001)" in everything  # a link's address, for paper
    assert "Author" in everything and "Drafts" in everything  # the table's cells
    assert "pdca export --master-list" in everything
    fonts = " ".join(_fonts(response.content))
    for face in ("DejaVuSansBold", "DejaVuSansOblique", "DejaVuSansMono"):
        assert face in fonts
    # The signatures, with both hashes each.
    for sig in eff.signatures.all():
        assert sig.full_name in everything and sig.signed_hash in everything


def test_document_pdf_of_a_draft_says_it_is_not_yet_effective(world, login):
    draft = world.extra["draft_revision"]
    response = login(world.owner).get(url("revision_pdf", pk=draft.pk))
    text = " ".join(" ".join(pdf_pages(response.content)).split())
    assert "Status: Draft" in text and "Not yet effective" in text and "Page 1 of" in text


def test_audit_report_pdf_is_framed(world):
    from pdca.audits import services as audit_services
    from pdca.audits.report import report_content, report_pdf
    from pdca.audits.testing import make_signable

    audit = make_signable(world)
    report = audit_services.report_sign(
        actor=world.auditor, audit=audit, password=PASSWORD, conclusion="Effective."
    )
    for data, note in (
        (report_pdf(report_content(audit)), "Uncontrolled when printed: printed"),
        (bytes(report.pdf), "Signed audit report"),
    ):
        pages = pdf_pages(data)
        for number, text in enumerate(pages, start=1):
            flat = " ".join(text.split())
            assert world.org.name in flat and audit.reference in flat and audit.title in flat
            assert f"Page {number} of {len(pages)}" in flat
            assert note in flat


def test_document_pdf_screenshot(world, login):
    """The picture of a document PDF in docs/, taken from the PDF pdca produces."""
    pdfium = pytest.importorskip("pypdfium2")
    eff = world.extra["effective_revision"]
    Revision.objects.filter(pk=eff.pk).update(text=MARKDOWN)
    data = login(world.employee).get(url("revision_pdf", pk=eff.pk)).content
    pdf = pdfium.PdfDocument(data)
    try:
        image = pdf[0].render(scale=1.5).to_pil()
    finally:
        pdf.close()
    target = Path(__file__).resolve().parents[4] / "docs" / "screenshot-document-pdf.png"
    image.save(target)
    assert target.stat().st_size > 10_000


# 5 Approvers are asked in turn -------------------------------------------------------------


@pytest.fixture
def in_review(world, draft_doc):
    rev = draft_doc.latest_revision
    services.revision_submit(actor=world.owner, revision=rev)
    return Revision.objects.get(pk=rev.pk)


def _membership(world, user):
    return world.org.memberships.get(user=user)


def test_approver_waits_on_the_reviewers(world, in_review, login):
    mr = _membership(world, world.mr)
    assert in_review not in selectors.awaiting_signature(mr)
    assert list(selectors.awaiting_reviewers(mr)) == [in_review]
    assert list(selectors.awaiting_signature(_membership(world, world.auditor))) == [in_review]
    titles = [a.title for a in selectors.documents_attention(mr)]
    assert "Revisions waiting for your signature" not in titles
    assert "Revisions you approve, waiting on the reviewers" in titles

    client = login(world.mr)
    page = client.get(url("revision", pk=in_review.pk)).content.decode()
    assert "data-waiting-on-reviewers" in page and world.auditor.display_name in page
    assert url("revision_sign", pk=in_review.pk) not in page  # no Sign button
    detail = client.get(url("detail", pk=in_review.document_id)).content.decode()
    assert "data-waiting-on-reviewers" in detail
    sign = client.get(url("revision_sign", pk=in_review.pk)).content.decode()
    assert 'value="approved"' not in sign
    listed = client.get(url("list") + "?awaiting=me").content.decode()
    assert in_review.document.number not in listed
    waiting = client.get(url("list") + "?awaiting=reviewers").content.decode()
    assert in_review.document.number in waiting


def test_approver_is_asked_once_every_reviewer_signed(world, in_review, login):
    services.revision_sign(
        actor=world.auditor, revision=in_review, password=PASSWORD, meaning=Meaning.REVIEWED
    )
    mr = _membership(world, world.mr)
    assert list(selectors.awaiting_signature(mr)) == [in_review]
    assert not selectors.awaiting_reviewers(mr).exists()
    # The reviewer who signed is no longer asked.
    assert not selectors.awaiting_signature(_membership(world, world.auditor)).exists()
    page = login(world.mr).get(url("revision", pk=in_review.pk)).content.decode()
    assert url("revision_sign", pk=in_review.pk) in page and "data-your-turn" in page
    assert (
        'value="approved"'
        in login(world.mr).get(url("revision_sign", pk=in_review.pk)).content.decode()
    )


def test_a_rejection_starts_a_new_round(world, in_review):
    services.revision_sign(
        actor=world.auditor, revision=in_review, password=PASSWORD, meaning=Meaning.REVIEWED
    )
    services.revision_sign(
        actor=world.mr,
        revision=in_review,
        password=PASSWORD,
        meaning=Meaning.REJECTED,
        comment="Scope missing",
    )
    services.revision_submit(actor=world.owner, revision=Revision.objects.get(pk=in_review.pk))
    mr = _membership(world, world.mr)
    assert not selectors.awaiting_signature(mr).exists()
    assert selectors.awaiting_reviewers(mr).exists()
    assert selectors.awaiting_signature(_membership(world, world.auditor)).exists()


def test_awaiting_signature_query_count_does_not_grow(world, draft_doc, django_assert_num_queries):
    mr = _membership(world, world.mr)
    with django_assert_num_queries(1):
        selectors.awaiting_signature(mr).count()


# 6 Hashes a reader can follow --------------------------------------------------------------


def test_signatures_show_what_each_hash_covers(world, login):
    eff = world.extra["effective_revision"]
    page = login(world.employee).get(url("revision", pk=eff.pk)).content.decode()
    for sig in eff.signatures.all():
        record = signature_record(sig)
        assert hashlib.sha256(record.encode()).hexdigest() == sig.signed_hash
        assert sig.signed_hash in page and sig.content_hash in page
        assert eff.content_hash in record
    assert "matches the record below" in page
    assert (
        "equals this revision&#x27;s content hash" in page
        or "equals this revision's content hash" in page
    )
    assert "one zero byte" in page  # what the content hash covers


def test_a_changed_signature_no_longer_matches_its_record(world, login):
    eff = world.extra["effective_revision"]
    sig = eff.signatures.first()
    type(sig).objects.filter(pk=sig.pk).update(comment="changed afterwards")
    page = login(world.employee).get(url("revision", pk=eff.pk)).content.decode()
    assert "does not match the record below" in page


def test_sign_page_names_the_hashes(world, in_review, login):
    page = login(world.auditor).get(url("revision_sign", pk=in_review.pk)).content.decode()
    assert in_review.content_hash in page and "Signature record hash" in page


# 7 Reading means opening -------------------------------------------------------------------


def _fresh_ack(world):
    ack = world.extra["ack"]
    Acknowledgement.objects.filter(pk=ack.pk).update(opened_at=None, acknowledged_at=None)
    return Acknowledgement.objects.get(pk=ack.pk)


def test_reading_cannot_be_confirmed_before_opening(world):
    ack = _fresh_ack(world)
    with pytest.raises(ValidationError, match="Open the document"):
        services.acknowledgement_confirm(actor=world.employee, acknowledgement=ack)
    assert services.reading_opened(actor=world.employee, revision=ack.revision)
    assert not services.reading_opened(actor=world.employee, revision=ack.revision)  # once
    ack = services.acknowledgement_confirm(
        actor=world.employee, acknowledgement=Acknowledgement.objects.get(pk=ack.pk)
    )
    assert ack.acknowledged_at is not None


def test_the_reading_list_opens_the_document_and_the_document_offers_the_confirmation(world, login):
    ack = _fresh_ack(world)
    client = login(world.employee)
    listed = client.get(url("reading")).content.decode()
    assert url("acknowledge", pk=ack.pk) not in listed  # no "I have read it" in the list
    assert url("detail", pk=ack.revision.document_id) in listed
    # Confirming without opening is refused.
    client.post(url("acknowledge", pk=ack.pk))
    assert Acknowledgement.objects.get(pk=ack.pk).acknowledged_at is None
    page = client.get(url("detail", pk=ack.revision.document_id)).content.decode()
    assert url("acknowledge", pk=ack.pk) in page
    assert Acknowledgement.objects.get(pk=ack.pk).opened_at is not None
    client.post(url("acknowledge", pk=ack.pk), {"back": "document"})
    assert Acknowledgement.objects.get(pk=ack.pk).acknowledged_at is not None


def test_opening_through_the_api_counts(world, login):
    ack = _fresh_ack(world)
    client = login(world.employee)
    api = reverse("api-documents-acknowledge", kwargs={"org": "acme", "pk": ack.pk})
    assert client.post(api).status_code == 400
    rev = reverse("api-documents-revision", kwargs={"org": "acme", "pk": ack.revision_id})
    assert client.get(rev).status_code == 200
    assert client.post(api).status_code == 200


def test_opening_someone_elses_or_a_draft_records_nothing(world):
    ack = _fresh_ack(world)
    assert not services.reading_opened(actor=world.mr, revision=ack.revision)
    draft = world.extra["draft_revision"]
    assert draft.status == RevisionStatus.DRAFT
    assert not services.reading_opened(actor=world.employee, revision=draft)
    assert Acknowledgement.objects.get(pk=ack.pk).opened_at is None
