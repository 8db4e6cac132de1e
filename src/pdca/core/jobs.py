"""Long jobs: exports and reports that run on a worker while the page shows their progress.

An app registers each kind of job it offers in `AppConfig.ready()`::

    register_job_kind(JobKind(
        name="documents.master_list", label=_("Master list"), permission="documents.export",
        run=master_list_job,
    ))

Its view calls `job_start(...)` (which checks the permission, records the request in the audit
trail and queues the job once the transaction commits) and redirects to the job's page
(`core:job`), which polls the progress with htmx and offers the download when the job is done.
`run(job, progress)` runs on a worker, scoped to the job's organization, as the member who asked
(their permission is checked again: a member whose role changed meanwhile gets nothing); it
calls `progress.total(n)` and `progress.step()` as it goes and returns a `JobResult`. The result
is kept in the default storage for `PDCA_JOB_RESULT_HOURS` hours, for the requester alone.
"""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from pdca.core import trail
from pdca.core.models import Job, Membership, User
from pdca.core.permissions import can


@dataclass(frozen=True)
class JobResult:
    filename: str
    content: bytes


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str | Promise
    permission: str
    run: Callable[[Job, "Progress"], JobResult]


JOB_KINDS: dict[str, JobKind] = {}


class JobRefused(Exception):
    """The job cannot be done as asked (say a character the PDF font lacks): the requester is
    told why, and the task is not retried."""


def register_job_kind(kind: JobKind) -> None:
    if kind.name in JOB_KINDS and JOB_KINDS[kind.name] != kind:
        raise ValueError(f"Job kind {kind.name!r} is registered twice.")
    JOB_KINDS[kind.name] = kind


def kind_of(job: Job) -> JobKind | None:
    return JOB_KINDS.get(job.kind)


class Progress:
    """How far a job is. Writes at most twice a second (and at the end), so that counting rows
    one by one costs next to nothing."""

    INTERVAL = 0.5

    def __init__(self, job: Job) -> None:
        self.job = job
        self._written_at = 0.0

    def total(self, n: int) -> None:
        self.job.progress_total = n
        self.job.progress_done = 0
        self._write()

    def step(self, n: int = 1) -> None:
        self.job.progress_done += n
        if time.monotonic() - self._written_at >= self.INTERVAL:
            self._write()

    def _write(self) -> None:
        self._written_at = time.monotonic()
        Job.objects.filter(pk=self.job.pk).update(
            progress_done=self.job.progress_done, progress_total=self.job.progress_total
        )


def result_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.PDCA_JOB_RESULT_HOURS)


def job_start(*, actor: User, membership: Membership, kind: str, parameters: dict[str, Any]) -> Job:
    """Queue a job of `kind` for `actor`; it starts once the current transaction commits."""
    from pdca.core import tasks

    job_kind = JOB_KINDS[kind]
    if not can(membership, job_kind.permission):
        raise PermissionDenied
    with transaction.atomic():
        job = Job.objects.create(
            organization=membership.organization,
            requested_by=actor,
            kind=kind,
            parameters=parameters,
        )
        trail.record(
            action="core.job.requested",
            actor=actor,
            organization=membership.organization,
            obj=job,
            changes={"kind": kind, "parameters": parameters},
        )
        from pdca.core.background import after_commit

        after_commit(tasks.run_job, job.pk)
    return job


def job_for(user: Any, pk: int) -> Job:
    """The job `pk` if `user` asked for it and is still a member of its organization, else 404."""
    with scopes_disabled():
        job = (
            Job.objects.filter(
                pk=pk,
                requested_by_id=user.pk,
                organization__in=Membership.objects.current()
                .filter(user_id=user.pk)
                .values("organization_id"),
            )
            .select_related("organization")
            .first()
        )
    if job is None:
        raise Http404(_("No such export."))
    return job


def jobs_of(user: Any, limit: int = 10) -> list[Job]:
    """The user's most recent jobs, newest first."""
    with scopes_disabled():
        return list(
            Job.objects.filter(requested_by_id=user.pk)
            .select_related("organization")
            .order_by("-created_at")[:limit]
        )


def job_run(job_id: int) -> None:
    """Run the job on this worker. Idempotent: a job already finished is left as it is, and a
    job run again after its worker died starts over."""
    with scopes_disabled():
        job = Job.objects.filter(pk=job_id).select_related("organization", "requested_by").first()
    if job is None or job.is_finished:
        return
    kind = kind_of(job)
    with scope(organization=job.organization):
        membership = (
            Membership.objects.current()
            .filter(organization=job.organization, user=job.requested_by)
            .first()
        )
        if kind is None or membership is None or not can(membership, kind.permission):
            _finish(job, error=_("You may no longer run this export."))
            return
        job.status = Job.Status.RUNNING
        job.started_at = timezone.now()
        job.progress_done = 0
        job.save(update_fields=["status", "started_at", "progress_done", "updated_at"])
        try:
            result = kind.run(job, Progress(job))
        except (JobRefused, ValidationError) as refusal:
            message = refusal.messages[0] if isinstance(refusal, ValidationError) else refusal
            _finish(job, error=str(message))
            return
        if job.result:
            job.result.delete(save=False)  # a run cut short left an older file behind
        job.result.save(result.filename, ContentFile(result.content), save=False)
        job.result_name = result.filename
        job.progress_done = job.progress_total
        _finish(job)


def job_failed(job_id: int, error: str) -> None:
    """The job's task gave up: the requester sees why instead of a bar that never moves."""
    with scopes_disabled():
        job = Job.objects.filter(pk=job_id).first()
        if job is not None and not job.is_finished:
            _finish(job, error=error)


def _finish(job: Job, *, error: str = "") -> None:
    now = timezone.now()
    job.status = Job.Status.FAILED if error else Job.Status.DONE
    job.error = error
    job.finished_at = now
    job.expires_at = now + result_lifetime()
    job.save()


def jobs_expire(now: datetime.datetime | None = None) -> int:
    """Delete jobs whose time is up, with their files. Safe to run twice."""
    now = now or timezone.now()
    expired = 0
    with scopes_disabled():
        for job in Job.objects.filter(expires_at__lt=now).iterator(chunk_size=500):
            if job.result:
                job.result.delete(save=False)
            job.delete()
            expired += 1
    return expired
