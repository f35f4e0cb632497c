"""Simulated time for the demo: things to do on given days, run in date order with the clock set to
each moment, and the working days they fall on (weekdays where no official schedule is known)."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from datetime import date, datetime, timedelta

from domain.calendar import WorkingCalendar
from domain.clock import ManualClock
from domain.errors import CalendarYearMissing, DomainError

Action = Callable[[], None]


class Agenda:
    """Things to do on given days, run in date order with the clock set to each moment."""

    def __init__(self, clock: ManualClock, end: date) -> None:
        self.clock = clock
        self.end = end
        self._queue: list[tuple[date, int, int, Action]] = []
        self._counter = itertools.count()

    def at(self, day: date, action: Action, hour: int = 10) -> None:
        if day <= self.end:
            heapq.heappush(self._queue, (day, hour, next(self._counter), action))

    def run(self) -> None:
        while self._queue:
            day, hour, _, action = heapq.heappop(self._queue)
            self.clock.set(datetime(day.year, day.month, day.day, hour, 0, tzinfo=self.clock.tz))
            try:
                action()
            except DomainError:
                continue


def working_day_on_or_after(calendar: WorkingCalendar, day: date) -> date:
    try:
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
    except CalendarYearMissing:
        while day.weekday() >= 5:
            day += timedelta(days=1)
    return day


def next_working(calendar: WorkingCalendar, day: date, n: int) -> date:
    try:
        return calendar.add_working_days(day, n)
    except CalendarYearMissing:
        return day + timedelta(days=n * 7 // 5 + 1)


def quarter_starts(start: date, end: date) -> list[date]:
    starts = []
    day = date(start.year, ((start.month - 1) // 3) * 3 + 1, 1)
    while day <= end:
        if day >= start - timedelta(days=10):
            starts.append(day)
        month = day.month + 3
        day = date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return starts
