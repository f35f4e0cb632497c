"""When a periodic progress report (weekly or monthly, the task's report_cycle) was due.

A report is due one period after the later of the issue date and the last report, then every
period after that; a due day that is not a working day moves to the next working day. The
report is late from the day after it was due.
"""

from __future__ import annotations

import calendar as month_calendar
from datetime import date, timedelta

from domain.calendar import WorkingCalendar
from domain.vocabulary import ReportCycle
from scheduler.workdays import next_working_day


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = month_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def nth_due(cycle: str, anchor: date, n: int) -> date:
    if cycle == ReportCycle.WEEKLY:
        return anchor + timedelta(days=7 * n)
    return add_months(anchor, n)


def latest_missed(calendar: WorkingCalendar, cycle: str, anchor: date, today: date) -> date | None:
    """The last due day before ``today`` with no report since ``anchor``; ``None`` if none was missed."""
    if cycle not in (ReportCycle.WEEKLY, ReportCycle.MONTHLY):
        return None
    if cycle == ReportCycle.WEEKLY:
        n = max((today - anchor).days // 7, 0)
    else:
        n = max((today.year - anchor.year) * 12 + today.month - anchor.month, 0)
    while n >= 1:
        due = next_working_day(calendar, nth_due(cycle, anchor, n))
        if due < today:
            return due
        n -= 1
    return None
