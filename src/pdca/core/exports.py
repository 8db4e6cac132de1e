"""The audit trail of an organization as a spreadsheet, made on a worker (core/jobs.py)."""

import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from pdca.core import xlsx
from pdca.core.actions import label_for
from pdca.core.forms import TrailFilterForm
from pdca.core.jobs import JobKind, JobResult, Progress, register_job_kind
from pdca.core.models import Job
from pdca.core.selectors import TRAIL_PAGE_FIELDS, trail_filtered

TRAIL_KIND = "core.trail"


def trail_export_parameters(query: Any) -> dict[str, str]:
    """What the trail page's filter form was given, kept as text for the worker."""
    return {k: query.get(k, "") for k in ("action", "actor", "since", "until") if query.get(k)}


def trail_xlsx(job: Job, progress: Progress) -> JobResult:
    form = TrailFilterForm(job.parameters)
    data = form.cleaned_data if form.is_valid() else {}
    qs = trail_filtered(organization=job.organization, data=data)
    progress.total(qs.count())
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Audit trail"))
    xlsx.append(
        ws,
        [
            _("No."),
            _("When"),
            _("Who"),
            _("IP address"),
            _("Action"),
            _("Object"),
            _("Changes"),
            _("Reason"),
        ],
    )
    for entry in qs.only(*TRAIL_PAGE_FIELDS).order_by("seq").iterator(chunk_size=2000):
        xlsx.append(
            ws,
            [
                entry.seq,
                timezone.localtime(entry.at).replace(tzinfo=None),
                entry.actor_label,
                entry.ip or "",
                label_for(entry.action),
                entry.object_repr,
                json.dumps(entry.changes, ensure_ascii=False, sort_keys=True)
                if entry.changes
                else "",
                entry.reason,
            ],
        )
        progress.step()
    name = f"audit-trail-{job.organization.slug}-{timezone.localdate():%Y-%m-%d}.xlsx"
    return JobResult(name, xlsx.workbook_bytes(wb))


def register_exports() -> None:
    register_job_kind(
        JobKind(
            name=TRAIL_KIND,
            label=gettext_lazy("Audit trail"),
            permission="core.export_trail",
            run=trail_xlsx,
        )
    )
