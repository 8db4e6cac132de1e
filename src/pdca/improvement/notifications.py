"""Who is told what about nonconformities: the owner of a new nonconformity, the owner of a
corrective action given to them. The reminders of actions and effectiveness checks that fall
due, and their escalation when overdue, come from the due-item registry (pdca.core.reminders)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pdca.core.models import User
from pdca.core.notifications import NotificationKind, notify, register_kinds
from pdca.improvement.models import CorrectiveAction, Nonconformity


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
