"""The Statement of Applicability and readiness exports write text, never formulas."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pdca.standards import services
from pdca.standards.models import Clause

pytestmark = pytest.mark.django_db


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(
            z.read(name).decode() for name in z.namelist() if name.startswith("xl/worksheets/")
        )


def test_soa_justification_formula_and_control_character_are_exported_as_text(world, login):
    os27 = world.extra["iso27001"]
    control = Clause.objects.get(edition=os27.edition, number="A.5.2")
    services.soa_set(
        actor=world.mr,
        org_standard=os27,
        clause=control,
        applicable=True,
        justification='=HYPERLINK("http://evil.example","x")\x07',
    )
    response = login(world.mr).get(
        reverse("standards:soa_export", kwargs={"org": "acme", "pk": os27.pk})
    )
    assert response.status_code == 200
    assert "<f>" not in sheet_xml(response.content)
    ws = load_workbook(io.BytesIO(response.content)).active
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "A.5.2")
    assert row[4] == '\'=HYPERLINK("http://evil.example","x")\ufffd'


def test_readiness_export_writes_text_cells(world, login):
    response = login(world.mr).get(reverse("standards:readiness_export", kwargs={"org": "acme"}))
    assert response.status_code == 200
    assert "<f>" not in sheet_xml(response.content)
    wb = load_workbook(io.BytesIO(response.content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_readiness_export_gives_the_gates_before_the_progress(world, login):
    response = login(world.mr).get(reverse("standards:readiness_export", kwargs={"org": "acme"}))
    wb = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in next(wb.worksheets[0].iter_rows())]
    assert header.index("Stage 1 gates passed") < header.index("Progress %")
    sheet = wb["iso9001"]
    assert sheet.cell(row=2, column=1).value == "Stage 1 gate"
