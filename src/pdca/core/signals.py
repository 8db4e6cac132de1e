"""Authentication events go to the audit trail. Django announces them as signals; recording
them here is infrastructure, not business flow."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from pdca.core import deadline, trail


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    trail.record(action="core.auth.login", actor=user, organization=None, obj=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        trail.record(action="core.auth.logout", actor=user, organization=None, obj=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    attempted = str(credentials.get("username") or credentials.get("email") or "")[:254].lower()
    trail.record(
        action="core.auth.login_failed",
        actor=None,
        organization=None,
        actor_label=attempted,
        changes={"email": [None, attempted]},
    )


# Every new database connection gets the request deadline's cut-off.
connection_created.connect(deadline.on_connection_created, dispatch_uid="pdca.deadline")
