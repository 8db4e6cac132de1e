"""Background work of nonconformities: telling verifiers their effectiveness check is due."""

from django_scopes import scopes_disabled

from pdca.core.background import task


@task
def notify_checks_due() -> int:
    from pdca.improvement.notifications import checks_due

    with scopes_disabled():
        return checks_due()
