"""Working days as the scheduler needs them. A year the calendar does not know is taken as
plain weekdays here, so a missing schedule delays nothing: the deadline views already warn
about it, and an admin loads the year (``dutyloop calendar load``)."""

from __future__ import annotations

from datetime import date, timedelta

from domain.calendar import WorkingCalendar
from domain.errors import CalendarYearMissing


def is_working_day(calendar: WorkingCalendar, day: date) -> bool:
    try:
        return calendar.is_working_day(day)
    except CalendarYearMissing:
        return day.weekday() < 5


def next_working_day(calendar: WorkingCalendar, day: date) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(calendar, day):
        day += timedelta(days=1)
    return day


def last_working_day(calendar: WorkingCalendar, day: date) -> date:
    """``day`` itself when it is a working day, else the last working day before it."""
    while not is_working_day(calendar, day):
        day -= timedelta(days=1)
    return day


def first_working_day_of_month(calendar: WorkingCalendar, day: date) -> date:
    return next_working_day(calendar, day.replace(day=1))


def working_days_before(calendar: WorkingCalendar, day: date, count: int) -> date:
    """The working day ``count`` working days before ``day``."""
    while count > 0:
        day -= timedelta(days=1)
        if is_working_day(calendar, day):
            count -= 1
    return day
