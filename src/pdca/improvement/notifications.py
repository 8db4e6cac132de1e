"""Who is told what about nonconformities: the owner of a new nonconformity, the owner of a
corrective action given to them, and the verifier of an effectiveness check that is due. The
reminders and escalation of overdue actions come from the due-item registry
(pdca.core.reminders)."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pdca.core.models import User
from pdca.core.notifications import NotificationKind, notify, register_kinds
from pdca.improvement.models import CorrectiveAction, EffectivenessCheck, Nonconformity


def register() -> None:
    register_kinds(
        NotificationKind(
            "improvement.nonconformity_raised",
            _("A nonconformity is given to you"),
            _("%(title)s was raised and you are its owner: analyse it and plan actions."),
            permission="improvement.view",
        ),
        NotificationKind(
            "improvement.action_assigned",
            _("A corrective action is given to you"),
            _("The corrective action “%(title)s” is yours, due on %(due)s."),
            permission="improvement.view",
        ),
        NotificationKind(
            "improvement.check_due",
            _("An effectiveness check is due"),
            _("The effectiveness check of %(title)s is due on %(due)s: you are its verifier."),
            permission="improvement.view",
        ),
    )


def _url(nc: Nonconformity) -> str:
    return reverse("improvement:detail", kwargs={"org": nc.organization.slug, "pk": nc.pk})


def nonconformity_raised(*, actor: User, nc: Nonconformity) -> None:
    notify(
        kind="improvement.nonconformity_raised",
        organization=nc.organization,
        recipients=[nc.owner_id],
        obj=nc,
        key=f"improvement.nonconformity_raised:{nc.pk}:{nc.owner_id}",
        url=_url(nc),
        exclude=[actor],
    )


def action_assigned(*, actor: User | None, action: CorrectiveAction) -> None:
    notify(
        kind="improvement.action_assigned",
        organization=action.organization,
        recipients=[action.owner_id],
        obj=action,
        key=f"improvement.action_assigned:{action.pk}:{action.owner_id}",
        url=_url(action.nonconformity),
        data={"due": action.due_on.isoformat()},
        exclude=[actor],
    )


def checks_due(*, today: datetime.date | None = None) -> int:
    """Tell each verifier of a pending check whose date has come, once per check and date."""
    today = today or timezone.localdate()
    due = (
        EffectivenessCheck.objects.filter(
            result=EffectivenessCheck.Result.PENDING, planned_on__lte=today
        )
        .exclude(
            nonconformity__status__in=[Nonconformity.Status.CLOSED, Nonconformity.Status.CANCELLED]
        )
        .select_related("nonconformity", "organization")
        .order_by("organization_id", "pk")
    )
    told = 0
    for check in due.iterator(chunk_size=500):
        with transaction.atomic():
            told += len(
                notify(
                    kind="improvement.check_due",
                    organization=check.organization,
                    recipients=[check.verifier_id],
                    obj=check.nonconformity,
                    key=f"improvement.check_due:{check.pk}:{check.planned_on.isoformat()}",
                    url=_url(check.nonconformity),
                    data={"due": check.planned_on.isoformat()},
                )
            )
    return told
