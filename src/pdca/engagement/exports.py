"""The suggestion board as a spreadsheet, made on a worker (core/jobs.py). An anonymous
suggestion's "from" column says so: the author is not stored, so no export can hold it."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from pdca.core import xlsx
from pdca.core.jobs import JobKind, JobResult, Progress, register_job_kind
from pdca.core.models import Job
from pdca.engagement.models import Suggestion

SUGGESTIONS_KIND = "engagement.suggestions"


def suggestions_xlsx(job: Job, progress: Progress) -> JobResult:
    qs = (
        Suggestion.objects.filter(organization=job.organization)
        .select_related("author", "department")
        .order_by("number")
    )
    if job.parameters.get("status"):
        qs = qs.filter(status=job.parameters["status"])
    progress.total(qs.count())
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Suggestions"))
    xlsx.append(
        ws,
        [
            _("No."),
            _("Made"),
            _("From"),
            _("Area"),
            _("Title"),
            _("Suggestion"),
            _("Status"),
            _("Response"),
        ],
    )
    for s in qs.iterator(chunk_size=2000):
        who = _("Anonymous") if s.anonymous or s.author is None else s.author.display_name
        xlsx.append(
            ws,
            [
                s.reference,
                timezone.localtime(s.created_at).date(),
                who,
                str(s.department or ""),
                s.title,
                s.description,
                s.get_status_display(),
                s.response,
            ],
        )
        progress.step()
    name = f"suggestions-{job.organization.slug}-{timezone.localdate():%Y-%m-%d}.xlsx"
    return JobResult(name, xlsx.workbook_bytes(wb))


def register_exports() -> None:
    register_job_kind(
        JobKind(
            SUGGESTIONS_KIND,
            gettext_lazy("Suggestions"),
            "engagement.view",
            suggestions_xlsx,
        )
    )
