"""The foundation's background work: long jobs and their expiry, the trail checkpoint,
notification e-mails and the daily digest."""

from typing import Any

from celery.signals import task_failure
from django.utils import timezone
from django.utils.translation import gettext as _

from pdca.core import checkpoints, jobs
from pdca.core.background import task
from pdca.core.models import EmailStatus
from pdca.core.notifications import delivery


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


@task
def deliver_email(notification_id: int) -> str:
    """Send one notification's e-mail; after a failure, try again later with a growing delay."""
    status = delivery.deliver(notification_id)
    if status == EmailStatus.FAILED:
        from django_scopes import scopes_disabled

        from pdca.core.models import Notification

        with scopes_disabled():
            attempts = Notification.objects.get(pk=notification_id).email_attempts
        if attempts < delivery.MAX_ATTEMPTS:
            deliver_email.apply_async(
                args=[notification_id], countdown=delivery.retry_delay(attempts)
            )
    return status


@task
def send_digests() -> int:
    """Queue each person's daily digest (run once a day by the scheduler)."""
    day = timezone.localdate()
    people = delivery.digest_recipients()
    for user_id in people:
        send_digest.delay(user_id, day.isoformat())
    return len(people)


@task
def send_digest(user_id: int, day: str) -> int:
    import datetime

    return delivery.send_digest(user_id, datetime.date.fromisoformat(day))


@task
def notify_access_ending() -> int:
    """Tell external auditors and the MR a week before an auditor's access ends (daily)."""
    from django_scopes import scopes_disabled

    from pdca.core.notifications.kinds import access_ending_notify

    with scopes_disabled():
        return access_ending_notify()


@task
def send_reminders(day: str = "") -> int:
    """Send the reminders and escalations of everything that falls due (daily). Retried or run
    twice, it sends nothing twice: each reminder's key is unique in the database."""
    import datetime

    from pdca.core.reminders import send_reminders_everywhere

    when = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return sum(send_reminders_everywhere(when).values())
