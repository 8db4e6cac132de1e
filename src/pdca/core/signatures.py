"""The one rule of every electronic signature in pdca: the signer enters their password again.

A wrong password is refused and written to the audit trail (as `refused_action`, an action the
calling app registers) before the error is raised. Call it before opening the transaction of
the signed change, so that the refusal stays in the trail while the change is not made.
"""

from django.core.exceptions import ValidationError
from django.db import models

from pdca.core import trail
from pdca.core.models import Organization, User


def confirm_password(
    *,
    actor: User,
    password: str,
    organization: Organization,
    obj: models.Model,
    refused_action: str,
    meaning: str = "",
    nothing_done: str = "Nothing was signed.",
) -> None:
    """Return when `password` is the actor's; otherwise record the refusal and raise."""
    if password and actor.check_password(password):
        return
    trail.record(
        action=refused_action,
        actor=actor,
        organization=organization,
        obj=obj,
        changes={"meaning": [None, meaning]} if meaning else {},
        reason="Wrong password at signing",
    )
    raise ValidationError({"password": f"The password is not correct. {nothing_done}"})
