"""A controlled PDF prints exactly the text that was signed, or refuses to be produced."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from pdca.documents.models import Document, Revision

pytestmark = pytest.mark.django_db

UNICODE_TEXT = "Tolerance ≠ 0 · 5 ≤ x ≥ 2 · R = 10 Ω\nΕλληνικά: ποιότητα\nКириллица: качество"
CJK = "品質"  # DejaVu Sans has no CJK glyphs


def url(name, **kw):
    return reverse(f"documents:{name}", kwargs={"org": "acme", **kw})


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_revision_pdf_prints_every_character_of_the_text_and_title(world, login):
    eff = world.extra["effective_revision"]
    Revision.objects.filter(pk=eff.pk).update(text=UNICODE_TEXT)
    Document.objects.filter(pk=eff.document_id).update(title="Messung ≠ Schätzung – Ω")
    response = login(world.employee).get(url("revision_pdf", pk=eff.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ["≠", "≤", "≥", "Ω", "Ελληνικά: ποιότητα", "Кириллица: качество"]:
        assert expected in text
    assert "Messung ≠ Schätzung – Ω" in text
    assert eff.content_hash in text


def test_revision_pdf_refuses_a_character_the_font_cannot_show(world, login):
    eff = world.extra["effective_revision"]
    Revision.objects.filter(pk=eff.pk).update(text=f"Scope: {CJK} plant")
    response = login(world.employee).get(url("revision_pdf", pk=eff.pk))
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert "This PDF cannot be produced" in content and "U+54C1" in content
