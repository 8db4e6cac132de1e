"""The iCalendar feeds: a member's own due items, and for the management representative
everything in the organization, at a secret address a calendar client subscribes to.

The token in the address is the credential (calendar clients cannot sign in), so only its
SHA-256 is stored, it is shown once, and its owner revokes or regenerates it; an unknown or
revoked token, or one whose member has lost access, answers 404 and says nothing more.
Events are built with the `icalendar` library. Each event's UID is `<kind>-<id>@<host>`, the
same across downloads, and carries the object's version as SEQUENCE and its last change as
LAST-MODIFIED (and DTSTAMP), so that clients update an event in place when it changes.
"""

import datetime
import hashlib
from typing import cast

import icalendar
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core import trail
from pdca.core.actions import register_actions
from pdca.core.due import DueFilters, DueItem, due_items
from pdca.core.models import CalendarFeed, Membership, User
from pdca.core.models.tokens import hash_token
from pdca.core.permissions import can

register_actions(
    {
        "core.calendar_feed.created": gettext_lazy("Calendar feed address made"),
        "core.calendar_feed.revoked": gettext_lazy("Calendar feed address revoked"),
    }
)

# What a feed holds: what is overdue (however old) and what falls due in the coming year,
# at most this many events (a client downloads the feed every few hours).
FEED_DAYS_AHEAD = 366
FEED_LIMIT = 2_000
# Who may subscribe to the organization's feed.
ORGANIZATION_FEED_PERMISSION = "core.subscribe_organization_feed"


def active_feeds(membership: Membership) -> dict[str, CalendarFeed]:
    return {
        feed.scope: feed
        for feed in CalendarFeed.objects.filter(membership=membership, revoked_at__isnull=True)
    }


def calendar_feed_create(*, actor: User, membership: Membership, scope: str) -> str:
    """A new secret address for one of `membership`'s feeds, replacing (revoking) the one it
    had; returns the token, which is shown this once."""
    raw = CalendarFeed.generate()
    with transaction.atomic():
        for old in CalendarFeed.objects.select_for_update(no_key=True).filter(
            membership=membership, scope=scope, revoked_at__isnull=True
        ):
            _revoke(actor, old)
        feed = CalendarFeed.objects.create(
            membership=membership, scope=scope, digest=hash_token(raw), prefix=raw[:6]
        )
        trail.record(
            action="core.calendar_feed.created",
            actor=actor,
            organization=membership.organization,
            obj=feed,
            changes={"scope": [None, scope]},
        )
    return raw


def calendar_feed_revoke(*, actor: User, feed: CalendarFeed) -> None:
    with transaction.atomic():
        locked = CalendarFeed.objects.select_for_update(no_key=True).get(pk=feed.pk)
        if locked.revoked_at is None:
            _revoke(actor, locked)


def _revoke(actor: User, feed: CalendarFeed) -> None:
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    trail.record(
        action="core.calendar_feed.revoked",
        actor=actor,
        organization=feed.membership.organization,
        obj=feed,
        changes={"scope": [feed.scope, None]},
    )


def feed_for_token(raw: str) -> CalendarFeed | None:
    """The live feed of this token, or None: unknown, revoked, or its member has lost access
    (left, expired, or no longer allowed the organization's feed)."""
    if not raw or len(raw) > 100:
        return None
    feed = (
        CalendarFeed.objects.filter(digest=hash_token(raw), revoked_at__isnull=True)
        .select_related("membership__organization", "membership__user")
        .first()
    )
    if feed is None:
        return None
    membership = feed.membership
    if not (
        membership.grants_access_on(timezone.localdate())
        and membership.user.is_active
        and membership.organization.is_active
    ):
        return None
    if feed.scope == CalendarFeed.Scope.ORGANIZATION and not can(
        membership, ORGANIZATION_FEED_PERMISSION
    ):
        return None
    return feed


def feed_items(feed: CalendarFeed, today: datetime.date | None = None) -> list[DueItem]:
    """What the feed's member may see: their own items, or (the organization's feed)
    everyone's, overdue and the coming year's."""
    today = today or timezone.localdate()
    scope = "mine" if feed.scope == CalendarFeed.Scope.PERSONAL else "everyone"
    return due_items(
        organization=feed.membership.organization,
        viewer=feed.membership,
        start=None,
        end=today + datetime.timedelta(days=FEED_DAYS_AHEAD),
        today=today,
        filters=DueFilters(scope=scope),
        limit=FEED_LIMIT,
    )


def _event(item: DueItem, *, host: str, base_url: str, summary: str) -> bytes:
    """One all-day event, built and serialised by icalendar."""
    event = icalendar.Event()
    event.add("uid", f"{item.uid_stem}@{host}")
    changed = (item.updated_at or timezone.now()).astimezone(datetime.UTC).replace(microsecond=0)
    event.add("dtstamp", changed)
    if item.updated_at is not None:
        event.add("last-modified", changed)
    event.add("sequence", item.version)
    event.add("dtstart", item.due_on)
    event.add("dtend", item.due_on + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("url", base_url + item.url)
    return cast(bytes, event.to_ical())


# An event's text changes only when its object does (a new version or update time) or with
# what is said about it (overdue, the language, the address): cached under all of those, a
# feed that clients download every few hours is built once and then read back in one cache
# round trip. icalendar spends over a millisecond on each event.
EVENT_CACHE_SECONDS = 7 * 24 * 3600


def _event_key(item: DueItem, summary: str, host: str, base_url: str) -> str:
    changed = item.updated_at.isoformat() if item.updated_at is not None else ""
    text = "\x1f".join(
        [
            item.uid_stem,
            str(item.version),
            changed,
            item.due_on.isoformat(),
            summary,
            host,
            base_url + item.url,
        ]
    )
    return "core.feeds.event." + hashlib.sha256(text.encode()).hexdigest()


def build_feed(items: list[DueItem], *, name: str, host: str, base_url: str) -> bytes:
    """An RFC 5545 calendar of all-day events, one per due item: the calendar and each event
    built by icalendar, the events placed inside the calendar's VCALENDAR block."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//pdca//due items//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    overdue_label = _("overdue")
    summaries = [
        f"{item.kind_label}: {item.title}" + (f" ({overdue_label})" if item.overdue else "")
        for item in items
    ]
    keys = [
        _event_key(item, summary, host, base_url)
        for item, summary in zip(items, summaries, strict=True)
    ]
    # The whole feed's events as one entry first (one read when nothing changed), then each
    # event's own (when one item changed, the others are read back, not built again).
    whole_key = "core.feeds.events." + hashlib.sha256("".join(keys).encode()).hexdigest()
    body = cache.get(whole_key)
    if body is None:
        cached = cache.get_many(keys)
        made: dict[str, bytes] = {}
        events = []
        for item, summary, key in zip(items, summaries, keys, strict=True):
            block = cached.get(key)
            if block is None:
                block = made[key] = _event(item, host=host, base_url=base_url, summary=summary)
            events.append(block)
        if made:
            cache.set_many(made, EVENT_CACHE_SECONDS)
        body = b"".join(events)
        cache.set(whole_key, body, EVENT_CACHE_SECONDS)
    head, end, tail = cast(bytes, cal.to_ical()).rpartition(b"END:VCALENDAR")
    return head + body + end + tail
