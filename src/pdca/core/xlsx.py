"""Every spreadsheet pdca exports is written with this module, so that no cell attacks its reader.

- Text is always a text cell: openpyxl turns any string that starts with "=" into a live
  formula, so every string is written with the string data type.
- Text that starts with a character a spreadsheet may read as the start of a formula
  (=, +, -, @, tab, carriage return) gets a leading single quote, as OWASP advises against CSV
  and formula injection, so that it stays inert when the sheet is edited or saved as CSV.
- Characters that XLSX cannot hold (control characters other than tab, line feed and carriage
  return) are replaced by U+FFFD, so that one odd title cannot break an organization's export.
"""

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"


def safe_text(value: str) -> str:
    """The text as it is written to a cell: storable and never read as a formula."""
    value = ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value)
    if value.startswith(FORMULA_START):
        value = "'" + value
    return value


def row(ws: Worksheet | WriteOnlyWorksheet, values: Iterable[Any]) -> list[Any]:
    """`values` as cells for `ws.append`: strings become text cells; other values pass as is."""
    cells: list[Any] = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(ws, safe_text(value))  # type: ignore[arg-type]
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def append(ws: Worksheet | WriteOnlyWorksheet, values: Iterable[Any]) -> None:
    """Append one row of values to the sheet, every string written as safe text."""
    ws.append(row(ws, values))


def workbook_bytes(wb: Workbook, *, title: str = "") -> bytes:
    """The workbook as XLSX bytes, with its document title (itself made storable)."""
    if title:
        wb.properties.title = ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, title)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
