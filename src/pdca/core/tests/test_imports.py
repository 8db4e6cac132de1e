"""The shared import steps: reading CSV and XLSX, checking each row, all or nothing."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook

from pdca.core import imports
from pdca.core.models import Organization


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_reads_csv_with_comma_or_semicolon_and_a_bom():
    rows = imports.read_rows(upload("a.csv", "\ufeffKPI;Value\nScrap;1,2\n;\n".encode()))
    assert [(r.line, r.values) for r in rows] == [(2, {"kpi": "Scrap", "value": "1,2"})]
    rows = imports.read_rows(upload("a.csv", b"kpi,value\nScrap,1.2\nOTD,97\n"))
    assert [r.values["value"] for r in rows] == ["1.2", "97"]
    assert [r.line for r in rows] == [2, 3]


def test_reads_xlsx_cells_as_text():
    data = xlsx(
        [["KPI", "Period", "Value"], ["Scrap", datetime.datetime(2026, 3, 1), 1.25], [None]]
    )
    rows = imports.read_rows(upload("m.xlsx", data))
    assert rows[0].values == {"kpi": "Scrap", "period": "2026-03-01", "value": "1.25"}


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("a.pdf", b"%PDF-1.4", "CSV or XLSX"),
        ("a.xlsx", b"not a zip", "not a readable"),
        ("a.csv", b"", "empty"),
        ("a.csv", b"kpi,value\n", "no rows"),
        ("a.csv", "kpi\nä".encode("latin-1"), "UTF-8"),
    ],
)
def test_bad_files_are_refused_on_the_file(name, data, says):
    with pytest.raises(ValidationError) as error:
        imports.read_rows(upload(name, data))
    assert says in " ".join(error.value.message_dict["file"])


def test_too_many_rows_or_bytes_are_refused():
    with pytest.raises(ValidationError, match="At most 2"):
        imports.read_rows(upload("a.csv", b"k\n1\n2\n3\n"), max_rows=2)
    with override_settings(PDCA_MAX_UPLOAD_MB=0), pytest.raises(ValidationError, match="limit"):
        imports.read_rows(upload("a.csv", b"k\n1\n"))


def check_number(values: dict[str, str]) -> int:
    if not values.get("value", "").isdigit():
        raise ValidationError({"value": "Enter a whole number."})
    return int(values["value"])


def test_preview_names_each_bad_row_with_its_line_and_reason():
    rows = imports.read_rows(upload("a.csv", b"value\n1\nx\n3\n\n"))
    preview = imports.check_rows(rows, check_number)
    assert [checked for _row, checked in preview.good] == [1, 3]
    assert [(e.line, e.messages) for e in preview.errors] == [(3, ["value: Enter a whole number."])]
    assert not preview.ok
    with pytest.raises(imports.ImportRefused) as error:
        imports.apply_rows(preview, lambda n: n)
    assert error.value.row_errors[0].line == 3


@pytest.mark.django_db
def test_apply_saves_all_or_nothing():
    rows = imports.read_rows(upload("a.csv", b"value\n1\n2\n"))
    preview = imports.check_rows(rows, check_number)
    assert preview.ok

    def save(n: int) -> Organization:
        if n == 2:
            raise ValidationError("Refused at saving.")
        return Organization.objects.create(name=f"Org {n}", slug=f"org-{n}")

    with pytest.raises(imports.ImportRefused) as error:
        imports.apply_rows(preview, save)
    assert error.value.row_errors[0].line == 3
    assert not Organization.objects.filter(slug="org-1").exists()
    saved = imports.apply_rows(imports.check_rows(rows[:1], check_number), save)
    assert [o.slug for o in saved] == ["org-1"]


def test_rows_travel_as_json_and_anything_else_is_refused():
    rows = [imports.Row(2, {"kpi": "Scrap", "value": "1"})]
    assert imports.rows_from_json(imports.rows_to_json(rows)) == rows
    for bad in ("", "{}", "[[1]]", "[]", '[["x", {}]]'):
        with pytest.raises(ValidationError):
            imports.rows_from_json(bad)
