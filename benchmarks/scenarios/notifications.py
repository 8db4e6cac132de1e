"""Notifications at scale: 200,000 notifications spread over the members (large), 5,000 of them
the management representative's, half unread, with bulk_create.

Timed pages: the notification list (newest and an older page) and the dashboard, whose bell
counts the unread ones in one query; measured: that count on its own."""

import datetime
import random
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from benchmarks.common import BenchContext, Measure, Page
from pdca.core.models import EmailStatus, Membership, Notification
from pdca.core.notifications.selectors import unread_count
from pdca.core.roles import Role

ORDER = 90
SIZES = {
    # notifications in all, of them the management representative's
    "demo": (20_000, 1_000),
    "large": (200_000, 5_000),
}
CHUNK = 5_000


def generate(ctx: BenchContext) -> None:
    rng = random.Random(9)
    total, mine = SIZES[ctx.scale]
    org = ctx.org
    mr = ctx.by_role[Role.MANAGEMENT_REP]
    member_type = ContentType.objects.get_for_model(Membership)
    memberships = list(
        Membership.objects.filter(organization=org).values_list("pk", "user_id")[:500]
    )
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, total, CHUNK):
            rows = []
            for i in range(start, min(total, start + CHUNK)):
                recipient = mr.pk if i < mine else ctx.users[rng.randrange(len(ctx.users))].pk
                target, _user = memberships[i % len(memberships)]
                at = now - datetime.timedelta(minutes=i * 7)
                rows.append(
                    Notification(
                        organization=org,
                        recipient_id=recipient,
                        kind="core.access_ending",
                        key=f"bench:{i}",
                        target_type=member_type,
                        target_id=target,
                        title=f"Person {i % 5000:05d}",
                        url=f"/o/{org.slug}/",
                        data={"ends": (at.date() + datetime.timedelta(days=7)).isoformat()},
                        read_at=None if i % 2 else at,
                        email_status=EmailStatus.SENT,
                    )
                )
            created = Notification.objects.bulk_create(rows, batch_size=1000)
            # created_at is auto_now_add: spread it over time afterwards, like a real history.
            for n, row in zip(created, rows, strict=True):
                n.created_at = now - datetime.timedelta(minutes=int(row.key.split(":")[1]) * 7)
            Notification.objects.bulk_update(created, ["created_at"], batch_size=1000)


def pages(ctx: BenchContext) -> list[Page]:
    slug = ctx.org.slug
    mr = ctx.by_role[Role.MANAGEMENT_REP]
    return [
        Page("notifications (newest 25)", f"/o/{slug}/notifications/", mr),
        Page("notifications, older page", f"/o/{slug}/notifications/?page=40", mr),
        Page("dashboard with the bell", f"/o/{slug}/", mr),
    ]


def measures(ctx: BenchContext) -> list[Measure]:
    membership = Membership.objects.get(organization=ctx.org, user=ctx.by_role[Role.MANAGEMENT_REP])

    def bell() -> Any:
        return unread_count(membership)

    return [Measure("the bell's unread count (one query)", bell, target_ms=5)]
