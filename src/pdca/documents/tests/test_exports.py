"""The master-list export cannot attack its reader and cannot be broken by one odd title."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pdca.core.testing import export_via_job
from pdca.documents.models import Document

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example","x")'


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(
            z.read(name).decode() for name in z.namelist() if name.startswith("xl/worksheets/")
        )


def titles(data: bytes) -> list[str]:
    ws = load_workbook(io.BytesIO(data)).active
    return [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize(
    "path",
    [reverse("documents:export", kwargs={"org": "acme"}), "/api/v1/o/acme/documents/export.xlsx"],
)
def test_a_formula_in_a_title_is_exported_as_text(world, login, path):
    doc = world.extra["document"]
    Document.objects.filter(pk=doc.pk).update(title=HYPERLINK, number="=1+1")
    client = login(world.mr)
    response = client.get(path) if path.startswith("/api/") else export_via_job(client, path)
    assert response.status_code == 200
    xml = sheet_xml(response.content)
    assert "<f>" not in xml and "<f " not in xml
    ws = load_workbook(io.BytesIO(response.content)).active
    row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "'" + HYPERLINK)
    assert row[0].value == "'=1+1"
    assert all(cell.data_type != "f" for cell in row)


@pytest.mark.parametrize("leading", ["+", "-", "@", "\t", "\r"])
def test_every_formula_leading_character_is_neutralised(world, login, leading):
    doc = world.extra["document"]
    Document.objects.filter(pk=doc.pk).update(title=f"{leading}cmd|'/c calc'!A0")
    response = export_via_job(login(world.mr), reverse("documents:export", kwargs={"org": "acme"}))
    # (XML reads a carriage return back as a line feed: what matters is the leading quote.)
    assert "'cmd|'/c calc'!A0" in [t[:1] + t[2:] for t in titles(response.content)]


def test_a_control_character_in_a_title_does_not_break_the_export(world, login):
    doc = world.extra["document"]
    Document.objects.filter(pk=doc.pk).update(title="Bell\x07 and\x1b escape")
    response = export_via_job(login(world.mr), reverse("documents:export", kwargs={"org": "acme"}))
    assert response.status_code == 200
    assert "Bell\ufffd and\ufffd escape" in titles(response.content)
