"""Figures computed from pdca's own data, for KPIs that are measured without anyone typing.

Each module registers what it can compute in its `AppConfig.ready()` (for example, in
`improvement/metrics.py`):

    register_metric(Metric(
        "improvement.actions_on_time", _("Corrective actions done on time"), "percent",
        actions_on_time, _("Of the corrective actions due in the period, the share done by
        their due date."),
    ))

`compute(organization, start, end)` answers the figure of the period from `start` up to, not
including, `end` in a fixed number of queries, or None when the period has nothing to measure
(no action was due): no result is entered then. The objectives app offers the registered
metrics as a KPI's data source and enters each finished period's figure (on demand from the
KPI's page, and daily).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Metric:
    code: str  # "<app>.<what>"
    label: str | Promise
    value_type: str  # "percent", "number" or "count" (as a KPI's kind of value)
    compute: Callable[[Any, datetime.date, datetime.date], Decimal | None]
    description: str | Promise = ""


METRICS: dict[str, Metric] = {}


def register_metric(metric: Metric) -> None:
    if metric.code.count(".") != 1:
        raise ValueError("Name a metric '<app>.<what>', e.g. 'improvement.actions_on_time'.")
    if metric.value_type not in ("percent", "number", "count"):
        raise ValueError(f"Unknown kind of value {metric.value_type!r}.")
    METRICS[metric.code] = metric


def metric(code: str) -> Metric | None:
    return METRICS.get(code)


def metric_choices() -> list[tuple[str, str]]:
    return sorted(((m.code, str(m.label)) for m in METRICS.values()), key=lambda c: c[1])


def share(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` as a percentage with one decimal, None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))
