"""What a benchmark scenario provides. `benchmarks/run.py` imports every module in
`benchmarks/scenarios/` (sorted by its ORDER) and calls, for the chosen scale:

    generate(ctx: BenchContext) -> None          # create this module's data in ctx.org
    pages(ctx: BenchContext) -> list[Page]       # the pages to time (server time + query count)
    measures(ctx: BenchContext) -> list[Measure] # optional: non-page timings (e.g. a computation)

Scales: "demo" (small, seconds to build) and "large" (the figures the issues ask for).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class BenchContext:
    scale: str  # "demo" or "large"
    org: Any  # the organization under test (pdca.core.models.Organization)
    users: list[Any]  # every member user, in creation order
    by_role: dict[str, Any]  # one user per role code ("mr", "top", "owner", "auditor", …)
    extra: dict[str, Any] = field(default_factory=dict)  # scenarios share objects here

    @property
    def large(self) -> bool:
        return self.scale == "large"


@dataclass
class Page:
    name: str
    url: str
    user: Any
    target_ms: float = 50.0  # the goal for the median server time


@dataclass
class Measure:
    name: str
    func: Callable[[], Any]
    target_ms: float
    # A long run (the daily reminders) is timed once, without warming up; `check` says
    # whether what it returned is right (e.g. a second run sent nothing).
    once: bool = False
    check: Callable[[Any], bool] | None = None


def followed_next_link(url: str, user: Any, page: int) -> str:
    """The address a person reaches by "Next" from `page` of a list (its cursor), fetched once
    by page number: what clicking through the list costs, not what typing ?page=N costs."""
    import re

    from django.test import Client

    client = Client()
    client.force_login(user)
    sep = "&" if "?" in url else "?"
    html = client.get(f"{url}{sep}page={page}", HTTP_HX_REQUEST="true").content.decode()
    found = re.findall(r'<a href="(\?[^"]*)">[^<]*</a></span></div>', html)
    assert found and "after=" in found[-1], f"no Next link with a cursor on {url} page {page}"
    return url.split("?")[0] + found[-1].replace("&amp;", "&")


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]
