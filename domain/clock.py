"""One clock for commands, the scheduler and queries, so tests and demos can move time.

Business dates ("today", deadlines) are taken in the organisation's time zone, Asia/Shanghai by
default: a task issued at 07:30 Beijing time is issued on that Beijing day, not on the UTC one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Shanghai"


@runtime_checkable
class Clock(Protocol):
    tz: ZoneInfo

    def now(self) -> datetime: ...


def today(clock: Clock) -> date:
    return clock.now().astimezone(clock.tz).date()


class SystemClock:
    def __init__(self, tz: str = DEFAULT_TIMEZONE) -> None:
        self.tz = ZoneInfo(tz)

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class ManualClock:
    """A clock that only moves when told to: for tests, demos and replaying a year of history."""

    def __init__(self, start: datetime, tz: str = DEFAULT_TIMEZONE) -> None:
        self.tz = ZoneInfo(tz)
        if start.tzinfo is None:
            start = start.replace(tzinfo=self.tz)
        self._now = start.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.tz)
        self._now = moment.astimezone(timezone.utc)

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)

    def set_day(self, day: date, hour: int = 9, minute: int = 0) -> None:
        self.set(datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz))
