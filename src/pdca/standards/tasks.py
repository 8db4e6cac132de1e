"""Background work of the standards app: the daily readiness snapshot."""

from django.utils import timezone
from django_scopes import scopes_disabled

from pdca.core.background import task


@task
def snapshot_readiness() -> int:
    from pdca.standards.history import snapshot_every_organization

    with scopes_disabled():
        return snapshot_every_organization(timezone.localdate())
