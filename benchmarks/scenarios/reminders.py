"""The daily reminder run at scale: every due item of the benchmark organization that the run
reminds (the other scenarios make them: document reviews, open corrective actions,
effectiveness checks, audits and the calendar's roadmap actions; records past retention have
their own notice per record type and are not read), the reminders and escalations due today
sent through notify_each(), then the same run again, which must send nothing.

The other scenarios give the run about 13,000 items at the large scale; the issue asks for
50,000 and more, so the measure adds EXTRA roadmap actions over the people, due from 30 days
ago to 30 days ahead, inside the transaction. Everything happens in one transaction that is
rolled back, so the database stays as generated, the figures can be measured again and no
e-mail is queued."""

import datetime
import random
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from benchmarks.common import BenchContext, Measure, Page
from pdca.core.due import DueFilters, due_items, sources
from pdca.core.reminders import reminders_for_day, send_reminders
from pdca.standards.models import RoadmapAction

ORDER = 95
TARGET_MS = 60_000.0  # the first run; the issue asks for under 60 s at the large scale
EXTRA = {"demo": 2_000, "large": 40_000}


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

    def add_extra() -> None:
        rng = random.Random(95)
        people = ctx.users
        RoadmapAction.objects.bulk_create(
            (
                RoadmapAction(
                    organization=ctx.org,
                    title=f"Reminder benchmark action {i:05d}",
                    owner=people[rng.randrange(len(people))],
                    due_on=day + datetime.timedelta(days=rng.randrange(-30, 31)),
                    status=RoadmapAction.Status.OPEN,
                )
                for i in range(EXTRA[ctx.scale])
            ),
            batch_size=2_000,
        )

    def run_twice() -> dict[str, Any]:
        with transaction.atomic():
            add_extra()
            read = items()
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
