"""How each person wants to be told, per kind: at once, in a daily digest, or in the app only."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pdca.core import trail
from pdca.core.models import NotificationPreference, User
from pdca.core.models.notifications import Delivery
from pdca.core.notifications.registry import KINDS, NotificationKind, kind_for


def deliveries_for(user_ids: list[int], kind: NotificationKind) -> dict[int, str]:
    """Each user's delivery for `kind`: their choice, else the kind's default."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind.code).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: _allowed(kind, chosen.get(pk, kind.default)) for pk in user_ids}


def _allowed(kind: NotificationKind, delivery: str) -> str:
    # A kind that cannot be turned off is e-mailed whatever an old row says.
    return Delivery.IMMEDIATE if kind.mandatory and delivery == Delivery.APP else delivery


def preferences_of(user: User) -> list[tuple[NotificationKind, str]]:
    """Every registered kind with the user's delivery for it, in the order apps registered."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return [(k, _allowed(k, chosen.get(k.code, k.default))) for k in KINDS.values()]


def preferences_save(*, actor: User, user: User, choices: dict[str, str]) -> None:
    """Save the user's delivery per kind; a kind that cannot be turned off refuses "app only"."""
    errors: dict[str, str] = {}
    for code, delivery in choices.items():
        if code not in KINDS:
            errors[code] = _("Unknown kind of notification.")
        elif delivery not in Delivery.values:
            errors[code] = _("Choose how you want to be told.")
        elif kind_for(code).mandatory and delivery == Delivery.APP:
            errors[code] = _("%(kind)s cannot be turned off: it is always e-mailed.") % {
                "kind": kind_for(code).label
            }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = dict(
            NotificationPreference.objects.filter(user=user).values_list("kind", "delivery")
        )
        changes = {}
        for code, delivery in choices.items():
            old = before.get(code, kind_for(code).default)
            if old == delivery:
                continue
            NotificationPreference.objects.update_or_create(
                user=user, kind=code, defaults={"delivery": delivery}
            )
            changes[code] = [old, delivery]
        if changes:
            trail.record(
                action="core.notifications.preferences_changed",
                actor=actor,
                organization=None,
                obj=user,
                changes=changes,
            )
