"""Escalation of overdue corrective actions: the owner on the first day overdue, the owner's
line manager after 7 days, the management representatives after 14. Each level is sent once
per action (a unique constraint makes a second run a no-op), through pdca.core.notifications."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from pdca.core import trail
from pdca.core.models import Membership, User
from pdca.core.roles import Role
from pdca.improvement import notifications
from pdca.improvement.models import CorrectiveAction, Escalation

LEVELS = [
    (Escalation.Level.OWNER, 1),
    (Escalation.Level.MANAGER, 7),
    (Escalation.Level.MR, 14),
]


@dataclass
class Sent:
    action: CorrectiveAction
    level: str
    recipients: list[str]


def _recipients(action: CorrectiveAction, level: str) -> list[User]:
    if level == Escalation.Level.OWNER:
        return [action.owner]
    if level == Escalation.Level.MANAGER:
        m = (
            Membership.objects.filter(organization=action.organization, user=action.owner)
            .select_related("manager")
            .first()
        )
        return [m.manager] if m is not None and m.manager is not None else []
    return [
        m.user
        for m in Membership.objects.current()
        .with_role(Role.MANAGEMENT_REP)
        .filter(organization=action.organization)
        .select_related("user")
    ]


def escalate_overdue(*, today: datetime.date | None = None) -> list[Sent]:
    """Send every escalation that is due and not yet sent; returns what was sent."""
    today = today or timezone.localdate()
    sent: list[Sent] = []
    overdue = (
        CorrectiveAction.objects.filter(
            status__in=[CorrectiveAction.Status.OPEN, CorrectiveAction.Status.IN_PROGRESS],
            due_on__lt=today,
        )
        .select_related("owner", "organization", "nonconformity")
        .order_by("organization_id", "due_on", "pk")
    )
    for action in overdue:
        days = (today - action.due_on).days
        done = set(action.escalations.values_list("level", flat=True))
        for level, after in LEVELS:
            if days < after or level in done:
                continue
            people = _recipients(action, level)
            emails = sorted({u.email for u in people})
            with transaction.atomic():
                _, created = Escalation.objects.get_or_create(
                    action=action,
                    level=level,
                    defaults={
                        "organization": action.organization,
                        "recipients": emails,
                        "days_overdue": days,
                    },
                )
                if not created:
                    continue
                trail.record(
                    action="improvement.action.escalated",
                    actor=None,
                    actor_label="escalation",
                    organization=action.organization,
                    obj=action.nonconformity,
                    changes={"action": [None, action.title], "level": [None, level]},
                    reason=f"{days} day(s) overdue; reminded {', '.join(emails) or 'nobody'}",
                )
                notifications.action_overdue(action=action, level=level, people=people, days=days)
            sent.append(Sent(action, level, emails))
    return sent
