"""Date arithmetic the apps share: review intervals, retention periods, due dates."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (earlier when negative), or the month's last day when it is
    shorter: 31 January plus one month is 28 (or 29) February."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
