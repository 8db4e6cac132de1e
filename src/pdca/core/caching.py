"""Figures computed once per change of the data they read, not once per page view.

Every write in pdca appends to the organization's audit-trail chain, and the chain's head keeps,
per topic (the app prefix of the entry's action: "documents", "improvement"...), the sequence
number of its last entry. A cached figure is keyed by the marks of the topics it reads, so it is
never stale, needs no invalidation code in the services that change the data, and survives the
writes of every other topic. A figure that names no topics reads everything: it is keyed by the
last entry that changes any figure (the inert actions below move no mark at all).
"""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils import timezone, translation

from pdca.core.models import Organization, TrailChain

T = TypeVar("T")

TIMEOUT = 15 * 60  # a quiet organization recomputes now and then all the same
ANY = "*"
# Prefixes of the entries that change no figure any page shows (requested exports, calendar
# feeds, notification preferences here; modules add theirs with `register_inert_actions`).
INERT: list[str] = ["core.job.", "core.calendar_feed.", "core.notifications."]


def register_inert_actions(*prefixes: str) -> None:
    """Trail actions (or prefixes of them) whose entries change no cached figure: writing
    them moves no mark, so a busy log of such entries never empties the cache."""
    INERT.extend(p for p in prefixes if p not in INERT)


def topic_of(action: str) -> str:
    return action.split(".", 1)[0]


def marked_topics(topics: dict[str, Any], action: str, seq: int) -> dict[str, Any]:
    """The chain head's topic marks after entry `seq` of `action` (see core.trail.record)."""
    if action.startswith(tuple(INERT)):
        return topics or {}
    return {**(topics or {}), topic_of(action): seq, ANY: seq}


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
