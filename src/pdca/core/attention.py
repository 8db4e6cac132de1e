"""'What needs my attention now?': each app contributes items to the dashboard.

A provider is `(membership) -> list[Attention]`, registered in `AppConfig.ready()`. Providers
must run a fixed, small number of queries whatever the amount of data (count, don't list).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pdca.core.caching import org_cached


@dataclass(frozen=True)
class Attention:
    title: str
    url: str
    count: int = 0
    severity: str = "info"  # info | warning | danger
    detail: str = ""
    module: str = ""

    @property
    def count_label(self) -> str:
        return f"{COUNT_CAP}+" if self.count > COUNT_CAP else str(self.count)


# Past this many, the card says "999+": counting 100,000 overdue rows exactly costs the
# dashboard more than it tells anyone.
COUNT_CAP = 999


def capped_count(queryset: Any) -> int:
    """The number of rows, counted up to COUNT_CAP + 1 (shown as "999+")."""
    return int(queryset.order_by()[: COUNT_CAP + 1].count())


Provider = Callable[[Any], list[Attention]]
PROVIDERS: list[tuple[int, Provider]] = []

# Dashboard panels (HTML snippets rendered by an app, e.g. a readiness summary).
Panel = Callable[[Any, Any], str]
PANELS: list[tuple[int, Panel]] = []


def register_attention(provider: Provider, order: int = 100) -> None:
    if all(p is not provider for _, p in PROVIDERS):
        PROVIDERS.append((order, provider))
        PROVIDERS.sort(key=lambda pair: pair[0])


def register_panel(panel: Panel, order: int = 100) -> None:
    if all(p is not panel for _, p in PANELS):
        PANELS.append((order, panel))
        PANELS.sort(key=lambda pair: pair[0])


def attention_for(membership: Any) -> list[Attention]:
    """Every provider's items for this member, most urgent first.

    Computed once per change of the organization's data (each write appends to its audit
    trail; see core.caching): a dashboard is opened far more often than anything changes."""

    def collect() -> list[Attention]:
        items: list[Attention] = []
        for _, provider in PROVIDERS:
            items.extend(provider(membership))
        rank = {"danger": 0, "warning": 1, "info": 2}
        return sorted(items, key=lambda a: rank.get(a.severity, 3))

    return org_cached(membership.organization, f"core.attention.{membership.pk}", collect)


def panels_for(request: Any, membership: Any) -> list[str]:
    return [html for _, panel in PANELS if (html := panel(request, membership))]
