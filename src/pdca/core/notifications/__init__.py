"""One way to tell people what happened: `notify()`.

Services call it inside their transaction. It writes one in-app notification per recipient who
may see the object (a person who may not is not told at all), keyed so that the database
refuses a second one for the same event, and queues the e-mail for after the commit: a
rolled-back write tells nobody. Delivery, the digest and the preferences are in
`delivery.py` and `preferences.py`; the kinds in `registry.py`.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from pdca.core.background import after_commit
from pdca.core.models import EmailStatus, Membership, Notification, Organization, User
from pdca.core.models.notifications import Delivery
from pdca.core.notifications.preferences import deliveries_for
from pdca.core.notifications.registry import KINDS, NotificationKind, kind_for, register_kinds
from pdca.core.permissions import can

__all__ = ["KINDS", "NotificationKind", "kind_for", "may_see", "notify", "register_kinds"]


def may_see(membership: Membership | None, kind: NotificationKind, obj: Any) -> bool:
    """Whether the recipient (by their current membership) may be told about `obj`."""
    if membership is None:
        return kind.code.startswith("core.")  # an invitation or access ending: about them
    if not kind.permission or obj is None:
        return True
    return can(membership, kind.permission, obj)


def notify(
    *,
    kind: str,
    organization: Organization,
    recipients: Iterable[User | int | None],
    obj: models.Model | None,
    key: str,
    url: str = "",
    title: str = "",
    data: dict[str, Any] | None = None,
    exclude: Iterable[User | int | None] = (),
) -> list[Notification]:
    """Tell each recipient once about `obj`; returns the notifications written now.

    `key` names the event (`documents.revision.submitted:12:v3`): a second call with the same
    key adds nothing for a recipient already told. Recipients who are no longer current members
    of the organization, or whose membership may not see `obj`, are skipped."""
    spec = kind_for(kind)
    skip = {_pk(u) for u in exclude}
    ids = sorted({pk for u in recipients if (pk := _pk(u)) is not None and pk not in skip})
    if not ids:
        return []
    memberships = {
        m.user_id: m
        for m in Membership.objects.current()
        .filter(organization=organization, user_id__in=ids)
        .select_related("organization")
    }
    told = set(
        Notification.objects.filter(key=key, recipient_id__in=ids).values_list(
            "recipient_id", flat=True
        )
    )
    allowed = [pk for pk in ids if pk not in told and may_see(memberships.get(pk), spec, obj)]
    if not allowed:
        return []
    modes = deliveries_for(allowed, spec)
    target_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    status: dict[str, str] = {
        Delivery.IMMEDIATE: EmailStatus.PENDING,
        Delivery.DIGEST: EmailStatus.DIGEST,
        Delivery.APP: EmailStatus.NOT_SENT,
    }
    rows = [
        Notification(
            organization=organization,
            recipient_id=pk,
            kind=kind,
            key=key[:200],
            target_type=target_type,
            target_id=obj.pk if obj is not None else None,
            title=(title or str(obj or ""))[:300],
            url=url[:500],
            data=data or {},
            email_status=status[modes[pk]],
        )
        for pk in allowed
    ]
    # A concurrent run may have written some of these since the check above: the unique key
    # makes the database drop them, and only the rows that are really there are returned.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    written = list(
        Notification.objects.filter(key=key[:200], recipient_id__in=allowed, read_at__isnull=True)
        .exclude(recipient_id__in=told)
        .only("pk", "email_status")
    )
    from pdca.core.tasks import deliver_email

    for n in written:
        if n.email_status == EmailStatus.PENDING:
            after_commit(deliver_email, n.pk)
    return written


def _pk(user: User | int | None) -> int | None:
    if user is None:
        return None
    return user if isinstance(user, int) else user.pk
