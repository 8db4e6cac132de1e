"""Spreadsheets: the Statement of Applicability and the readiness report, written through
`pdca.core.xlsx` (text cells, never formulas, nothing XLSX cannot hold)."""

from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from pdca.core import xlsx
from pdca.standards.selectors import GapLine
from pdca.standards.selectors.readiness import Readiness

BOLD = Font(bold=True)


def _sheet(ws: Worksheet, header: list[str], rows: list[list[Any]], widths: list[int]) -> None:
    xlsx.append(ws, header)
    for cell in ws[1]:
        cell.font = BOLD
    for row in rows:
        xlsx.append(ws, row)
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(65 + i)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def soa_xlsx(
    org_name: str, edition_label: str, lines: list[GapLine], themes: dict[int, str]
) -> bytes:
    """One row per Annex A control: theme, number, title, applicable, justification, status."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Statement of Applicability")[:31]
    rows = []
    for line in lines:
        c = line.clause
        soa = line.soa
        rows.append(
            [
                themes.get(c.theme_id or 0, ""),
                c.number,
                c.title,
                "" if soa is None else (_("Yes") if soa["applicable"] else _("No")),
                "" if soa is None else soa["justification"],
                line.status_label,
                line.assessment.owner_name,
            ]
        )
    _sheet(
        ws,
        [
            _("Theme"),
            _("Control"),
            _("Title"),
            _("Applicable"),
            _("Justification"),
            _("Implementation"),
            _("Owner"),
        ],
        rows,
        [26, 9, 48, 11, 60, 20, 22],
    )
    return xlsx.workbook_bytes(
        wb,
        title=_("%(org)s — Statement of Applicability (%(edition)s)")
        % {"org": org_name, "edition": edition_label},
    )


def readiness_xlsx(org_name: str, results: list[Readiness]) -> bytes:
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = _("Readiness")
    _sheet(
        summary,
        [
            _("Standard"),
            _("Stage 1 gates passed"),
            _("Progress %"),
            _("Counted"),
            _("Points"),
            _("Not applicable"),
            _("Missing documents"),
            _("Explanation"),
        ],
        [
            [
                r.org_standard.edition.label,
                f"{r.gates_passed} / {len(r.gates)}",
                r.percent,
                r.counted,
                round(r.points, 1),
                len(r.excluded),
                len(r.required_missing),
                r.explanation,
            ]
            for r in results
        ],
        [22, 18, 12, 10, 10, 14, 18, 90],
    )
    for r in results:
        ws = wb.create_sheet(r.org_standard.edition.standard.code[:28])
        # The stage 1 checklist first, then progress by part.
        rows: list[list[Any]] = [
            [_("Stage 1 gate"), g.title, g.state_label, g.detail] for g in r.gates
        ]
        rows.append([])
        rows += [[p.code, str(p.title), p.counted, p.percent] for p in r.sections + r.themes]
        rows.append([])
        rows.append([_("Gap"), _("Title"), _("Status"), _("Reason")])
        rows += [[g.clause.number, g.clause.title, g.status_label, g.reason] for g in r.gaps]
        rows.append([])
        rows.append([_("Documented information"), _("Title"), _("Kind"), _("Present")])
        rows += [
            [
                q.clause_number,
                q.title,
                q.kind,
                q.not_required or (_("yes") if q.present else _("MISSING")),
            ]
            for q in r.required
        ]
        _sheet(ws, [_("Part"), _("Title"), _("Counted"), _("Readiness %")], rows, [14, 60, 20, 50])
    return xlsx.workbook_bytes(
        wb, title=_("%(org)s — readiness for certification") % {"org": org_name}
    )
