"""Background work of the risks app: the daily snapshot of the register."""

from django.utils import timezone
from django_scopes import scopes_disabled

from pdca.core.background import task


@task
def snapshot_register() -> int:
    from pdca.risks.history import snapshot_every_organization

    with scopes_disabled():
        return snapshot_every_organization(timezone.localdate())
