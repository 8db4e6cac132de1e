"""'What needs my attention now?': each app contributes items to the dashboard.

A provider is `(membership) -> list[Attention]`, registered in `AppConfig.ready()`. Providers
must run a fixed, small number of queries whatever the amount of data (count, don't list).
"""

from collections.abc import Callable, Sequence
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
    icon: str = ""  # a Lucide icon name (pdca.core.icons); the module's icon when empty

    @property
    def icon_name(self) -> str:
        from pdca.core.icons import MODULE_ICONS

        return self.icon or MODULE_ICONS.get(self.module, "circle-alert")

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


# --- Getting started -----------------------------------------------------------------------
# A new organization's dashboard is a checklist of the first steps (choose the standards, write
# the scope, map the processes, invite people, load documents) until they are all done. Each app
# registers its steps: `(membership) -> list[OnboardingStep]` (only those the member can take).


@dataclass(frozen=True)
class OnboardingStep:
    title: str
    done: bool
    url: str
    hint: str = ""
    icon: str = "circle"


OnboardingProvider = Callable[[Any], "list[OnboardingStep]"]
ONBOARDING: list[tuple[int, OnboardingProvider]] = []


def register_onboarding_step(provider: OnboardingProvider, order: int = 100) -> None:
    if all(p is not provider for _, p in ONBOARDING):
        ONBOARDING.append((order, provider))
        ONBOARDING.sort(key=lambda pair: pair[0])


def _onboarding(membership: Any) -> list[OnboardingStep]:
    steps = [step for _, provider in ONBOARDING for step in provider(membership)]
    # Once every step is done the checklist leaves the dashboard.
    return [] if all(step.done for step in steps) else steps


# --- Trends --------------------------------------------------------------------------------
# Charts of the dashboard: `(membership) -> Chart | None`, drawn by Chart.js from JSON.


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]
    colour: str = "#175cd3"


@dataclass(frozen=True)
class Chart:
    key: str  # unique on the page, e.g. "improvement.nc-month"
    title: str
    labels: list[str]
    series: list[Series]
    kind: str = "line"  # line | bar
    url: str = ""  # where the details are
    summary: str = ""  # the chart in one sentence, for those who do not see it
    unit: str = ""  # "%": the y axis runs from 0 to 100

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "labels": self.labels,
            "unit": self.unit,
            "series": [
                {"label": s.label, "values": list(s.values), "colour": s.colour}
                for s in self.series
            ],
        }


ChartProvider = Callable[[Any], "list[Chart]"]
CHARTS: list[tuple[int, ChartProvider]] = []


def register_chart(provider: ChartProvider, order: int = 100) -> None:
    if all(p is not provider for _, p in CHARTS):
        CHARTS.append((order, provider))
        CHARTS.sort(key=lambda pair: pair[0])


def dashboard_extras(membership: Any) -> tuple[list[OnboardingStep], list[Chart]]:
    """The first steps still open and the charts, for this member: computed together once per
    change of the organization's data (one cache look-up for both)."""

    def collect() -> tuple[list[OnboardingStep], list[Chart]]:
        charts = [chart for _, provider in CHARTS for chart in provider(membership)]
        return _onboarding(membership), charts

    return org_cached(membership.organization, f"core.dashboard.{membership.pk}", collect)


# --- Across organizations ------------------------------------------------------------------
# The headline figures of an organization, for a member of several (a consultant's clients):
# `(membership) -> list[Figure]`, shown side by side on the page of their organizations.


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    url: str = ""
    severity: str = ""  # "" | info | warning | danger


FigureProvider = Callable[[Any], "list[Figure]"]
FIGURES: list[tuple[int, FigureProvider]] = []


def register_figures(provider: FigureProvider, order: int = 100) -> None:
    if all(p is not provider for _, p in FIGURES):
        FIGURES.append((order, provider))
        FIGURES.sort(key=lambda pair: pair[0])


def summary_for(membership: Any) -> dict[str, Any]:
    """One organization's line on the page of a member's organizations: its headline figures
    and how many of the member's attention items are urgent (cached like the dashboard)."""

    def collect() -> dict[str, Any]:
        figures = [figure for _, provider in FIGURES for figure in provider(membership)]
        return {
            "figures": figures,
            "steps_open": sum(1 for s in _onboarding(membership) if not s.done),
        }

    summary = dict(org_cached(membership.organization, f"core.summary.{membership.pk}", collect))
    items = attention_for(membership)
    summary["danger"] = sum(1 for a in items if a.severity == "danger")
    summary["warning"] = sum(1 for a in items if a.severity == "warning")
    summary["top"] = items[:3]
    return summary
