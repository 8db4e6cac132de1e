"""The master list as a spreadsheet."""

import io
from typing import Any

from openpyxl import Workbook

HEADERS = [
    "Number",
    "Title",
    "Type",
    "Status",
    "Revision",
    "Effective from",
    "Owner",
    "Department",
    "Confidentiality",
    "Next review",
]


def master_list_xlsx(qs: Any) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Master list")
    ws.append(HEADERS)
    for doc in qs.iterator(chunk_size=2000):
        rev = doc.current_revision or doc.latest_revision
        ws.append(
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
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
