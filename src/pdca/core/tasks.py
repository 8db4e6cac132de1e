"""Background work of the foundation: notification e-mails and the daily digest."""

from django.utils import timezone

from pdca.core.background import task
from pdca.core.models import EmailStatus
from pdca.core.notifications import delivery


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
