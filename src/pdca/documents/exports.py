"""The master list as a spreadsheet, written through `pdca.core.xlsx` (text cells, never
formulas, nothing XLSX cannot hold)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from pdca.core import xlsx

HEADERS = [
    _("Number"),
    _("Title"),
    _("Type"),
    _("Status"),
    _("Revision"),
    _("Effective from"),
    _("Owner"),
    _("Department"),
    _("Confidentiality"),
    _("Next review"),
]


def master_list_xlsx(qs: Any) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(_("Master list")))
    xlsx.append(ws, [str(h) for h in HEADERS])
    for doc in qs.iterator(chunk_size=2000):
        rev = doc.current_revision or doc.latest_revision
        xlsx.append(
            ws,
            [
                doc.number,
                doc.title,
                doc.get_doc_type_display(),
                doc.get_status_display(),
                rev.label if rev else "",
                rev.effective_from if rev and rev.effective_from else None,
                doc.owner.display_name,
                doc.department.name if doc.department else "",
                doc.get_confidentiality_display(),
                doc.next_review_date,
            ],
        )
    return xlsx.workbook_bytes(wb)
