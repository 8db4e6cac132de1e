"""Background work of certification: the daily expiry warnings and overdue escalations."""

from django_scopes import scopes_disabled

from pdca.core.background import task


@task
def notify_certification() -> int:
    from pdca.certification.notifications import send

    with scopes_disabled():
        return send()
