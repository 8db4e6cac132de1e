from openpyxl import Workbook

from pdca.core import xlsx


def test_safe_text_neutralises_formulas_and_replaces_what_xlsx_cannot_hold():
    assert xlsx.safe_text("=1+1") == "'=1+1"
    assert xlsx.safe_text("@SUM(A1)") == "'@SUM(A1)"
    assert xlsx.safe_text("Plain – text ≠ formula = no") == "Plain – text ≠ formula = no"
    assert xlsx.safe_text("a\x00b\x1fc\td\ne") == "a\ufffdb\ufffdc\td\ne"


def test_rows_are_text_cells_in_both_workbook_modes():
    for wb in (Workbook(), Workbook(write_only=True)):
        ws = wb.create_sheet("s")
        cells = xlsx.row(ws, ["=1+1", "x", 3, None])
        assert [c.data_type for c in cells[:2]] == ["s", "s"]
        assert cells[2:] == [3, None]
        xlsx.append(ws, ["=A1"])
        assert xlsx.workbook_bytes(wb, title="T\x07").startswith(b"PK")
