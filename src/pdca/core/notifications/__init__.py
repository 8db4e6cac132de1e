"""One way to tell people what happened: `notify()`.

Services call it inside their transaction. It writes one in-app notification per recipient who
may see the object (a person who may not is not told at all), keyed so that the database
refuses a second one for the same event, and queues the e-mail for after the commit: a
rolled-back write tells nobody. Delivery, the digest and the preferences are in
`delivery.py` and `preferences.py`; the kinds in `registry.py`.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from pdca.core.background import after_commit
from pdca.core.models import EmailStatus, Membership, Notification, Organization, User
from pdca.core.models.notifications import Delivery
from pdca.core.notifications.preferences import deliveries_for
from pdca.core.notifications.registry import KINDS, NotificationKind, kind_for, register_kinds
from pdca.core.permissions import can

__all__ = [
    "KINDS",
    "Message",
    "NotificationKind",
    "kind_for",
    "may_see",
    "notify",
    "notify_each",
    "register_kinds",
]


def may_see(membership: Membership | None, kind: NotificationKind, obj: Any) -> bool:
    """Whether the recipient (by their current membership) may be told about `obj`."""
    if membership is None:
        return kind.code.startswith("core.")  # an invitation or access ending: about them
    if not kind.permission or obj is None:
        return True
    return can(membership, kind.permission, obj)


@dataclass(frozen=True)
class Message:
    """One notification to one person, for `notify_each()`."""

    recipient_id: int
    obj: models.Model | None
    key: str
    url: str = ""
    title: str = ""
    data: dict[str, Any] = field(default_factory=dict)


# Rows per query: far below SQLite's limit on the variables of one statement.
BATCH = 500


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
    skip = {_pk(u) for u in exclude}
    ids = sorted({pk for u in recipients if (pk := _pk(u)) is not None and pk not in skip})
    return notify_each(
        kind=kind,
        organization=organization,
        messages=[Message(pk, obj, key, url, title, data or {}) for pk in ids],
    )


def notify_each(
    *, kind: str, organization: Organization, messages: Iterable[Message]
) -> list[Notification]:
    """`notify()` for many objects at once (the reminder run): each message to its recipient
    under its own key, in a few queries per few hundred messages; returns what was written."""
    spec = kind_for(kind)
    wanted = {(m.recipient_id, m.key[:200]): m for m in messages}
    if not wanted:
        return []
    ids = sorted({pk for pk, _key in wanted})
    memberships: dict[int, Membership] = {}
    for chunk in _chunks(ids):
        memberships.update(
            (m.user_id, m)
            for m in Membership.objects.current()
            .filter(organization=organization, user_id__in=chunk)
            .select_related("organization")
        )
    told = _existing(list(wanted))
    allowed = [
        (pk, key)
        for (pk, key), m in wanted.items()
        if (pk, key) not in told and may_see(memberships.get(pk), spec, m.obj)
    ]
    if not allowed:
        return []
    modes = deliveries_for(sorted({pk for pk, _key in allowed}), spec)
    status: dict[str, str] = {
        Delivery.IMMEDIATE: EmailStatus.PENDING,
        Delivery.DIGEST: EmailStatus.DIGEST,
        Delivery.APP: EmailStatus.NOT_SENT,
    }
    types: dict[type[models.Model], ContentType] = {}
    rows = []
    for pk, key in allowed:
        m = wanted[(pk, key)]
        target_type = None
        if m.obj is not None:
            model = type(m.obj)
            if model not in types:
                types[model] = ContentType.objects.get_for_model(model)
            target_type = types[model]
        rows.append(
            Notification(
                organization=organization,
                recipient_id=pk,
                kind=kind,
                key=key,
                target_type=target_type,
                target_id=m.obj.pk if m.obj is not None else None,
                title=(m.title or str(m.obj or ""))[:300],
                url=m.url[:500],
                data=m.data,
                email_status=status[modes[pk]],
            )
        )
    # A concurrent run may have written some of these since the check above: the unique key
    # makes the database drop them, and only the rows that are really there are returned.
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH)
    written = _unread(allowed)
    from pdca.core.tasks import deliver_email

    for n in written:
        if n.email_status == EmailStatus.PENDING:
            after_commit(deliver_email, n.pk)
    return written


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


def _pairs_q(pairs: list[tuple[int, str]]) -> models.Q:
    """A filter that covers these (recipient, key) pairs through the unique index on both
    (a few more rows, dropped by the caller)."""
    return models.Q(
        recipient_id__in=sorted({pk for pk, _key in pairs}),
        key__in=sorted({key for _pk, key in pairs}),
    )


def _existing(pairs: list[tuple[int, str]]) -> set[tuple[int, str]]:
    found: set[tuple[int, str]] = set()
    wanted = set(pairs)
    for chunk in _chunks(sorted(pairs)):
        rows = Notification.objects.filter(_pairs_q(chunk)).values_list("recipient_id", "key")
        found.update(row for row in rows if row in wanted)
    return found


def _unread(pairs: list[tuple[int, str]]) -> list[Notification]:
    wanted = set(pairs)
    out: list[Notification] = []
    for chunk in _chunks(sorted(pairs)):
        rows = (
            Notification.objects.filter(_pairs_q(chunk), read_at__isnull=True)
            .only("pk", "recipient_id", "key", "email_status")
            .order_by("pk")
        )
        out.extend(n for n in rows if (n.recipient_id, n.key) in wanted)
    return out


def _pk(user: User | int | None) -> int | None:
    if user is None:
        return None
    return user if isinstance(user, int) else user.pk
