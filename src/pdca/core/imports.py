"""Importing rows from a spreadsheet: read, check every row, preview, then all or nothing.

A module's import has three steps, each a call here, with the module's rules in two callables:

- `read_rows(upload)` reads a CSV (comma or semicolon, UTF-8 with or without BOM) or XLSX file
  (the first sheet) into `Row`s: the line number as the person sees it in the file, and the
  values keyed by the header row's names (stripped, lower-cased). Empty lines are skipped;
  a file that is not CSV/XLSX, is past the upload limit (`core.uploads`), has no header or
  too many rows is refused on `file`.
- `check_rows(rows, check)` runs `check(values) -> anything` on every row. It raises a
  `ValidationError` for a bad row (its messages are the row's reasons); what it returns is the
  checked row that the apply step saves. The `Preview` holds both: the good rows and the bad
  ones with their line numbers and reasons, to show before anything is saved.
- `apply_rows(preview, save)` saves every checked row with `save(checked)` in one transaction,
  and nothing when a row is bad: `ImportRefused` (a `ValidationError` carrying the row errors)
  when the preview has errors or when `save` refuses a row (the transaction is rolled back).

The same `check` runs again at apply time on the rows the preview showed (`rows_from_json` of
`rows_to_json`, carried in the confirming form), so nothing checked earlier is trusted.
"""

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

T = TypeVar("T")
MAX_ROWS = 10_000


@dataclass
class Row:
    line: int
    values: dict[str, str]


@dataclass
class RowError:
    line: int
    values: dict[str, str]
    messages: list[str]


@dataclass
class Preview(Generic[T]):
    good: list[tuple[Row, T]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.good) and not self.errors

    @property
    def rows(self) -> list[Row]:
        return [row for row, _checked in self.good]


class ImportRefused(ValidationError):
    """Nothing was imported: the rows' errors are in `row_errors`."""

    def __init__(self, errors: list[RowError]) -> None:
        self.row_errors = errors
        super().__init__(
            _("Nothing was imported: %(count)s row(s) have errors.") % {"count": len(errors)}
        )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{Decimal(repr(value)).normalize():f}"
    return str(value).strip()


def _header(cells: Iterable[Any]) -> list[str]:
    return [_cell(c).lower() for c in cells]


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def read_rows(upload: Any, *, max_rows: int = MAX_ROWS) -> list[Row]:
    """The rows of an uploaded CSV or XLSX file (see the module's docstring)."""
    from pdca.core.uploads import max_upload_bytes

    name = (getattr(upload, "name", "") or "").lower()
    limit = max_upload_bytes()
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(
            _("The file is larger than the limit of %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
        )
    if name.endswith(".xlsx"):
        table = _read_xlsx(data)
    elif name.endswith(".csv") or name.endswith(".txt"):
        table = _read_csv(data)
    else:
        raise _refuse(_("Choose a CSV or XLSX file."))
    if not table or not any(table[0]):
        raise _refuse(_("The file is empty: its first line names the columns."))
    header = _header(table[0])
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        values = {h: _cell(c) for h, c in zip(header, cells, strict=False) if h}
        if not any(values.values()):
            continue
        rows.append(Row(line=line, values=values))
        if len(rows) > max_rows:
            raise _refuse(_("At most %(max)s rows at a time.") % {"max": max_rows})
    if not rows:
        raise _refuse(_("The file has no rows below its header."))
    return rows


def _read_csv(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refuse(_("Save the CSV file as UTF-8.")) from error
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise _refuse(_("This is not a readable XLSX file.")) from error
    try:
        sheet = book.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


def check_rows(rows: Iterable[Row], check: Callable[[dict[str, str]], T]) -> Preview[T]:
    """Check every row: the good ones with what `check` made of them, the bad with reasons."""
    preview: Preview[T] = Preview()
    for row in rows:
        try:
            preview.good.append((row, check(row.values)))
        except ValidationError as error:
            preview.errors.append(RowError(row.line, row.values, _messages(error)))
    return preview


def apply_rows(preview: Preview[T], save: Callable[[T], Any]) -> list[Any]:
    """Save every checked row in one transaction, or none (`ImportRefused`)."""
    if preview.errors:
        raise ImportRefused(preview.errors)
    saved = []
    with transaction.atomic():
        for row, checked in preview.good:
            try:
                saved.append(save(checked))
            except ValidationError as error:
                raise ImportRefused([RowError(row.line, row.values, _messages(error))]) from error
    return saved


def apply_grouped(
    preview: Preview[T], key: Callable[[T], Any], save: Callable[[list[T]], list[Any]]
) -> list[Any]:
    """Save every checked row in one transaction, or none (`ImportRefused`), the rows of one
    `key` together (`save(checked rows)` returns what it saved): for a module that writes a
    batch in a few queries. A refusal names the batch's first row."""
    if preview.errors:
        raise ImportRefused(preview.errors)
    groups: dict[Any, list[tuple[Row, T]]] = {}
    for row, checked in preview.good:
        groups.setdefault(key(checked), []).append((row, checked))
    saved = []
    with transaction.atomic():
        for group in groups.values():
            try:
                saved.extend(save([checked for _row, checked in group]))
            except ValidationError as error:
                first = group[0][0]
                raise ImportRefused(
                    [RowError(first.line, first.values, _messages(error))]
                ) from error
    return saved


def rows_to_json(rows: Iterable[Row]) -> str:
    """The rows, to carry from the preview to the confirmation (checked again there)."""
    return json.dumps([[r.line, r.values] for r in rows], ensure_ascii=False)


def rows_from_json(text: str, *, max_rows: int = MAX_ROWS) -> list[Row]:
    """The rows `rows_to_json` wrote; anything else is refused on `file`."""
    try:
        data = json.loads(text)
        rows = [
            Row(int(line), {str(k): str(v) for k, v in dict(values).items()})
            for line, values in data
        ]
    except (ValueError, TypeError) as error:
        raise _refuse(_("Upload the file again.")) from error
    if not rows or len(rows) > max_rows:
        raise _refuse(_("Upload the file again."))
    return rows
