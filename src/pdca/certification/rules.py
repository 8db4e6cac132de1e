"""The certification cycle's date rules (ISO/IEC 17021-1), as plain functions of dates.

Kept free of models so the certificate, the audit programme and the checks on input can all
ask the same rules; the app's services turn a broken rule into an error next to its field.
"""

import datetime
from dataclasses import dataclass

from pdca.core.dates import add_months

# A certificate runs at most three years from the cycle's certification decision (9.6.1), or
# from the old expiry when recertification was decided before it (9.6.3.2.4).
CYCLE_MONTHS = 36
# First surveillance no later than 12 months after the certification decision (9.6.2.2).
FIRST_SURVEILLANCE_MONTHS = 12
# After expiry the body may restore certification within six months (9.6.3.2.5).
RESTORATION_MONTHS = 6
# A major nonconformity from stage 2 not verified within six months: stage 2 is repeated.
STAGE2_MAJOR_MONTHS = 6
# Reminders before a certificate expires, in days.
EXPIRY_REMINDER_DAYS = (180, 90, 30)


def latest_expiry(
    decided_on: datetime.date, previous_expiry: datetime.date | None = None
) -> datetime.date:
    """The latest expiry a certificate decided on `decided_on` may carry."""
    start = decided_on
    if previous_expiry is not None and decided_on <= previous_expiry:
        start = previous_expiry
    return add_months(start, CYCLE_MONTHS)


def expiry_allowed(
    decided_on: datetime.date,
    expires_on: datetime.date,
    previous_expiry: datetime.date | None = None,
) -> bool:
    return decided_on < expires_on <= latest_expiry(decided_on, previous_expiry)


def first_surveillance_due(decided_on: datetime.date) -> datetime.date:
    return add_months(decided_on, FIRST_SURVEILLANCE_MONTHS)


def restoration_ends(expired_on: datetime.date) -> datetime.date:
    return add_months(expired_on, RESTORATION_MONTHS)


def stage2_major_deadline(stage2_last_day: datetime.date) -> datetime.date:
    return add_months(stage2_last_day, STAGE2_MAJOR_MONTHS)


def expiry_reminders(expires_on: datetime.date) -> list[datetime.date]:
    return [expires_on - datetime.timedelta(days=d) for d in EXPIRY_REMINDER_DAYS]


@dataclass(frozen=True)
class CycleGap:
    """A broken cycle rule: which rule (a code the services word), and the date it concerns."""

    rule: str
    due_on: datetime.date


def cycle_gaps(
    *,
    decided_on: datetime.date,
    expires_on: datetime.date,
    surveillance_dates: list[datetime.date],
    recertified_on: datetime.date | None,
    today: datetime.date,
) -> list[CycleGap]:
    """The cycle's broken or overdue rules as of `today`.

    - "first_surveillance": no surveillance within 12 months of the decision;
    - "calendar_year": a calendar year of the cycle, other than the recertification year,
      without a surveillance (only once the year has passed);
    - "recertification": no recertification decision before expiry (once expiry is near
      enough to have passed, or passed).
    """
    gaps: list[CycleGap] = []
    dates = sorted(surveillance_dates)
    first_due = first_surveillance_due(decided_on)
    if not any(decided_on < d <= first_due for d in dates) and today > first_due:
        gaps.append(CycleGap("first_surveillance", first_due))
    recert_year = expires_on.year
    years = {d.year for d in dates}
    for year in range(decided_on.year + 1, recert_year):
        year_end = datetime.date(year, 12, 31)
        if year not in years and today > year_end:
            gaps.append(CycleGap("calendar_year", year_end))
    if (recertified_on is None or recertified_on >= expires_on) and today >= expires_on:
        gaps.append(CycleGap("recertification", expires_on))
    return gaps


@dataclass(frozen=True)
class PlannedAudit:
    """An audit of the cycle as the rules plan it: its kind and the day it is planned for."""

    kind: str  # "surveillance1", "surveillance2" or "recertification"
    starts_on: datetime.date


# How far ahead of its latest date each audit of the cycle is planned: a month before the
# twelve-month limit, and the recertification three months before expiry so that the body can
# decide before the certificate runs out.
PLAN_AHEAD_MONTHS = 1
RECERTIFICATION_AHEAD_MONTHS = 3


def plan_cycle(decided_on: datetime.date, expires_on: datetime.date) -> list[PlannedAudit]:
    """The surveillance and recertification audits of a cycle decided on `decided_on`."""
    first = add_months(first_surveillance_due(decided_on), -PLAN_AHEAD_MONTHS)
    second = add_months(decided_on, 2 * FIRST_SURVEILLANCE_MONTHS - PLAN_AHEAD_MONTHS)
    recertification = add_months(expires_on, -RECERTIFICATION_AHEAD_MONTHS)
    plan = [PlannedAudit("surveillance1", first)]
    if second < recertification:
        plan.append(PlannedAudit("surveillance2", second))
    plan.append(PlannedAudit("recertification", recertification))
    return plan


def surveillance_too_late(decided_on: datetime.date, starts_on: datetime.date) -> bool:
    """A first surveillance planned after the twelve-month limit (9.6.2.2)."""
    return starts_on > first_surveillance_due(decided_on)
