"""The audit report as a PDF, printed on a worker (core/jobs.py): an integrated audit over
several standards with its findings takes a while to lay out."""

from pdca.audits.models import Audit
from pdca.audits.report import report_content, report_pdf
from pdca.core.jobs import JobRefused, JobResult, Progress
from pdca.core.models import Job, Membership
from pdca.core.permissions import can

REPORT_KIND = "audits.report"


def report_job(job: Job, progress: Progress) -> JobResult:
    """The report as the page shows it (the whole audit, or one standard's part of it)."""
    from django.utils.translation import gettext as _

    progress.total(2)
    audit = Audit.objects.filter(organization=job.organization, pk=job.parameters["audit"]).first()
    membership = Membership.objects.current().get(
        organization=job.organization, user=job.requested_by
    )
    if audit is None or not can(membership, "audits.download_report", audit):
        raise JobRefused(_("This audit is no longer there for you."))
    standard = job.parameters.get("standard", "")
    content = report_content(audit, standard)
    progress.step()
    pdf = report_pdf(content)
    progress.step()
    suffix = f"-{standard}" if standard else ""
    return JobResult(f"{audit.reference}{suffix}.pdf", pdf)
