"""The master list as a spreadsheet, written through `pdca.core.xlsx` (text cells, never
formulas, nothing XLSX cannot hold)."""

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from pdca.core import xlsx
from pdca.core.jobs import JobResult, Progress
from pdca.core.models import Job, Membership

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


def master_list_xlsx(qs: Any, on_row: Callable[[], None] | None = None) -> bytes:
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
        if on_row is not None:
            on_row()
    return xlsx.workbook_bytes(wb)


FILTER_KEYS = ("doc_type", "status", "owner", "clause", "review", "awaiting")
MASTER_LIST_KIND = "documents.master_list"


def master_list_parameters(query: Any) -> dict[str, str]:
    """The master list's filters as given on the page, kept as text for the worker."""
    return {k: query.get(k) for k in FILTER_KEYS if query.get(k)}


def master_list_job(job: Job, progress: Progress) -> JobResult:
    """The master list as the member who asked sees it, filtered as the page was."""
    from pdca.documents import selectors
    from pdca.documents.forms import MasterListFilter

    membership = Membership.objects.get(organization=job.organization, user=job.requested_by)
    form = MasterListFilter(job.parameters or None, organization=job.organization)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if job.parameters.get("awaiting") == "me":
        data = {**data, "awaiting": True}
    qs = selectors.master_list(membership, data, today=timezone.localdate())
    progress.total(qs.count())
    content = master_list_xlsx(qs, on_row=progress.step)
    return JobResult(f"master-list-{job.organization.slug}.xlsx", content)
