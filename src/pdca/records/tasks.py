"""Background work of the records register: telling owners of records past retention."""

from django_scopes import scopes_disabled

from pdca.core.background import task


@task
def notify_retention_passed() -> int:
    from pdca.records.notifications import retention_passed

    with scopes_disabled():
        return retention_passed()
