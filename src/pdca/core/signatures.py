"""The one rule of every electronic signature in pdca: the signer enters their password again.

A wrong password is refused and written to the audit trail (as `refused_action`, an action the
calling app registers) before the error is raised. Call it before opening the transaction of
the signed change, so that the refusal stays in the trail while the change is not made.

Wrong passwords count on the same throttle as signing in (`core.throttle`): past its limit the
password is not checked and nothing is recorded until the pause ends (`PasswordThrottled`), so
that neither the password nor the trail can be worn down by repetition.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from pdca.core import throttle, trail
from pdca.core.models import Organization, User


def confirm_password(
    *,
    actor: User,
    password: str,
    organization: Organization,
    obj: models.Model,
    refused_action: str,
    meaning: str = "",
    nothing_done: str = "",
) -> None:
    """Return when `password` is the actor's; otherwise record the refusal and raise
    (`throttle.PasswordThrottled`, unrecorded, while wrong passwords are paused)."""
    if throttle.check_password(user=actor, password=password):
        return
    trail.record(
        action=refused_action,
        actor=actor,
        organization=organization,
        obj=obj,
        changes={"meaning": [None, meaning]} if meaning else {},
        reason=_("Wrong password at signing"),
    )
    raise ValidationError(
        {
            "password": _("The password is not correct. %(nothing_done)s")
            % {"nothing_done": nothing_done or _("Nothing was signed.")}
        }
    )
