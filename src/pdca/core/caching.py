"""Figures computed once per change of an organization's data, not once per page view.

Every write in pdca appends to the organization's audit-trail chain, so the chain's head is an
exact marker of "something changed": a cached figure keyed by it is never stale, and needs no
invalidation code in the services that change the data.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone, translation

from pdca.core.models import Organization, TrailChain

T = TypeVar("T")

TIMEOUT = 15 * 60  # a quiet organization recomputes now and then all the same


def org_cached(organization: Organization, name: str, compute: Callable[[], T]) -> T:
    """`compute()`, cached until the organization's next write (or tomorrow, or 15 minutes).

    The key carries today's date (figures about "overdue" change at midnight) and the active
    language (labels are translated)."""
    head = TrailChain.objects.filter(key=organization.pk).values_list("last_seq", flat=True).first()
    key = (
        f"pdca:{name}:{organization.pk}:{head}:{timezone.localdate()}:{translation.get_language()}"
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
