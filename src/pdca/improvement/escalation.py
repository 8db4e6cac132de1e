"""Escalation of overdue corrective actions: the owner on the first day overdue, the owner's
line manager after 7 days, the management representatives after 14. Each level is sent once
per action (a unique constraint makes a second run a no-op)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from pdca.core import trail
from pdca.core.models import Membership, User
from pdca.core.roles import Role
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
                if emails:
                    transaction.on_commit(_mailer(action, emails, days))
            sent.append(Sent(action, level, emails))
    return sent


def _mailer(action: CorrectiveAction, emails: list[str], days: int) -> Callable[[], None]:
    return lambda: _mail(action, emails, days)


def _mail(action: CorrectiveAction, emails: list[str], days: int) -> None:
    send_mail(
        subject=f"Overdue corrective action: {action.title}",
        message=(
            f"The corrective action “{action.title}” for {action.nonconformity} "
            f"(owner {action.owner}) was due on {action.due_on} and is {days} day(s) overdue.\n"
        ),
        from_email=None,
        recipient_list=emails,
    )
