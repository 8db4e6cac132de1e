"""The foundation's background work: long jobs, their expiry, and the trail checkpoint."""

from typing import Any

from celery.signals import task_failure
from django.utils.translation import gettext as _

from pdca.core import checkpoints, jobs
from pdca.core.background import task


@task(max_retries=3)
def run_job(job_id: int) -> None:
    jobs.job_run(job_id)


@task_failure.connect(sender=run_job, weak=False)
def _job_gave_up(sender: Any = None, args: Any = None, **kwargs: Any) -> None:
    if args:
        jobs.job_failed(args[0], _("The export failed. The administrator has been told."))


@task
def expire_job_results() -> int:
    """Delete the results of long jobs whose time is up (hourly)."""
    return jobs.jobs_expire()


class TrailBroken(Exception):
    """A chain moved backwards or was altered since the last checkpoint."""


# Not retried: a broken chain stays broken, and the failure is what the administrator must see.
@task(autoretry_for=())
def trail_checkpoint() -> bool:
    """Sign every chain head and append the checkpoint (`pdca trail-checkpoint`)."""
    run = checkpoints.write_checkpoint()
    if run.breaks:
        raise TrailBroken("; ".join(str(b) for b in run.breaks))
    return run.written
