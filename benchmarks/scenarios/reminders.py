"""The daily reminder run at scale: every due item of the benchmark organization (the other
scenarios make them: at the large scale about 20,000 document reviews, 15,000 open corrective
actions, 200,000 records whose retention ends and the calendar's roadmap actions), the
reminders and escalations due today sent through notify_each(), then the same run again,
which must send nothing. Both in one transaction that is rolled back, so the database stays
as generated and the figures can be measured again (and no e-mail is queued)."""

import datetime
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from benchmarks.common import BenchContext, Measure, Page
from pdca.core.due import DueFilters, due_items, sources
from pdca.core.reminders import reminders_for_day, send_reminders

ORDER = 95
TARGET_MS = 60_000.0  # the first run; the issue asks for under 60 s at the large scale


def generate(ctx: BenchContext) -> None:
    """Nothing of its own: the due items are the other scenarios'."""


def pages(ctx: BenchContext) -> list[Page]:
    return []


def measures(ctx: BenchContext) -> list[Measure]:
    day = timezone.localdate()

    def items() -> int:
        # What the run reads: every open item of the kinds it reminds, up to 30 days ahead.
        kinds = [s.code for s in sources() if s.reminders]
        return len(
            due_items(
                organization=ctx.org,
                viewer=None,
                start=None,
                end=day + datetime.timedelta(days=30),
                today=day,
                filters=DueFilters(scope="everyone", kinds=kinds),
            )
        )

    def run_twice() -> dict[str, Any]:
        read = items()
        with transaction.atomic():
            started = time.perf_counter()
            due = len(reminders_for_day(ctx.org, day))
            computed = time.perf_counter()
            first = send_reminders(ctx.org, day)
            sent = time.perf_counter()
            second = send_reminders(ctx.org, day)
            again = time.perf_counter()
            transaction.set_rollback(True)
        return {
            "due items read": read,
            "reminders due": due,
            "computing them, s": round(computed - started, 1),
            "first run: sent": first,
            "first run, s": round(sent - computed, 1),
            "second run: sent": second,
            "second run, s": round(again - sent, 1),
        }

    return [
        Measure(
            "reminder run (first and second, 0 sent)",
            run_twice,
            target_ms=TARGET_MS * 2,
            once=True,
            check=lambda r: r["second run: sent"] == 0 and r["first run, s"] * 1000 <= TARGET_MS,
        )
    ]
