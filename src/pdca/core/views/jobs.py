"""Long jobs (a page with their progress and the download) and, for the platform
administrator, the background tasks that gave up."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pdca.core.downloads import stored_file_response
from pdca.core.exports import TRAIL_KIND, trail_export_parameters
from pdca.core.jobs import job_for, job_start, kind_of
from pdca.core.models import Job, TaskFailure
from pdca.core.views.base import OrgView, account_view, acting_user


def start_job_response(view: OrgView, kind: str, parameters: dict) -> HttpResponse:
    """Queue a job for the member of `view` and send them to its page (any app's export)."""
    job = job_start(
        actor=acting_user(view.request),
        membership=view.membership,
        kind=kind,
        parameters=parameters,
    )
    return redirect("core:job", pk=job.pk)


class TrailExportView(OrgView):
    permission = "core.export_trail"

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        return start_job_response(self, TRAIL_KIND, trail_export_parameters(request.GET))


@account_view
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress; htmx polls the bar (`_job_progress.html`) until it is finished."""
    job = job_for(request.user, pk)
    kind = kind_of(job)
    context = {"job": job, "label": kind.label if kind else job.kind}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "core/_job_progress.html", context)
    return render(request, "core/job.html", context)


@account_view
def job_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = job_for(request.user, pk)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404(_("This export is not ready."))
    return stored_file_response(job.result.name, job.result_name)


@account_view
def task_failures(request: HttpRequest) -> HttpResponse:
    """Background tasks that failed after their last retry: the platform administrator's."""
    if not request.user.is_staff:  # type: ignore[union-attr]
        raise Http404
    page = Paginator(TaskFailure.objects.all(), 25).get_page(request.GET.get("page"))
    return render(request, "core/task_failures.html", {"page": page})
