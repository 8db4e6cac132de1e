"""Figures computed once per change of the data they read, not once per page view.

Every write in pdca appends to the organization's audit-trail chain, and the chain's head keeps,
per topic (the app prefix of the entry's action: "documents", "improvement"...), the sequence
number of its last entry. A cached figure is keyed by the marks of the topics it reads, so it is
never stale, needs no invalidation code in the services that change the data, and survives the
writes of every other topic. A figure that names no topics reads everything: it is keyed by the
last entry that changes any figure (entries of the inert topics below change none).
"""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils import timezone, translation

from pdca.core.models import Organization, TrailChain

T = TypeVar("T")

TIMEOUT = 15 * 60  # a quiet organization recomputes now and then all the same
ANY = "*"
# Entries that change no figure any page shows: requested exports, calendar feeds, notification
# preferences, webhook deliveries and their endpoints.
INERT = ("core.job.", "core.calendar_feed.", "core.notifications.", "webhooks.")


def topic_of(action: str) -> str:
    return action.split(".", 1)[0]


def marked_topics(topics: dict[str, Any], action: str, seq: int) -> dict[str, Any]:
    """The chain head's topic marks after entry `seq` of `action` (see core.trail.record)."""
    marks = {**(topics or {}), topic_of(action): seq}
    if not action.startswith(INERT):
        marks[ANY] = seq
    return marks


def org_cached(
    organization: Organization,
    name: str,
    compute: Callable[[], T],
    *,
    topics: Iterable[str] | None = None,
) -> T:
    """`compute()`, cached until the organization's next write in one of `topics` (any write
    that changes a figure when none are named), or tomorrow, or 15 minutes.

    The key carries today's date (figures about "overdue" change at midnight) and the active
    language (labels are translated)."""
    marks = TrailChain.objects.filter(key=organization.pk).values_list("topics", flat=True).first()
    marks = marks or {}
    if topics is None:
        mark = str(marks.get(ANY, 0))
    else:
        mark = ".".join(f"{t}{marks.get(t, 0)}" for t in sorted(set(topics)))
    key = (
        f"pdca:{name}:{organization.pk}:{mark}:{timezone.localdate()}:{translation.get_language()}"
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
