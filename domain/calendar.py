"""Working days as Chinese offices count them: weekends off, public holidays off, and the
调休 weekend days that are made working days count as working days.

The official schedule for a year is published by the State Council each November; the
chinese-calendar package carries the years it knew when it was released, and an admin loads
newer (or corrected) years as data. A year that nobody knows is an error, never a guess.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, Mapping

from domain.errors import CalendarYearMissing, DomainError


@dataclass(frozen=True)
class HolidaySchedule:
    """One year's official schedule: days off that would be working days, and weekend days
    made working days (调休)."""

    year: int
    holidays: frozenset[date]
    working_weekends: frozenset[date]
    names: Mapping[date, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for day in self.holidays | self.working_weekends:
            if day.year != self.year:
                raise DomainError("calendar_wrong_year", day=day.isoformat(), year=self.year)
        for day in self.holidays & self.working_weekends:
            raise DomainError("calendar_conflict", day=day.isoformat())

    def is_working_day(self, day: date) -> bool:
        if day in self.holidays:
            return False
        if day in self.working_weekends:
            return True
        return day.weekday() < 5

    def differences(self, other: HolidaySchedule | None) -> dict[str, list[date]]:
        """What replacing ``other`` by this schedule would change, day by day."""
        old_h = other.holidays if other else frozenset()
        old_w = other.working_weekends if other else frozenset()
        return {
            "holidays_added": sorted(self.holidays - old_h),
            "holidays_removed": sorted(old_h - self.holidays),
            "working_weekends_added": sorted(self.working_weekends - old_w),
            "working_weekends_removed": sorted(old_w - self.working_weekends),
        }


def builtin_schedules() -> dict[int, HolidaySchedule]:
    """The schedules that ship with the chinese-calendar package."""
    from chinese_calendar import constants

    holidays: dict[int, dict[date, str]] = {}
    workdays: dict[int, set[date]] = {}
    for day, name in constants.holidays.items():
        holidays.setdefault(day.year, {})[day] = str(name)
    for day in constants.workdays:
        workdays.setdefault(day.year, set()).add(day)
    return {
        year: HolidaySchedule(
            year=year,
            holidays=frozenset(days),
            working_weekends=frozenset(workdays.get(year, ())),
            names=days,
        )
        for year, days in holidays.items()
    }


class WorkingCalendar:
    """The calendar known at one moment: built-in years overlaid with loaded ones.

    Working days are kept as a sorted list of day ordinals so that counting them between two
    dates is two binary searches: the deadline views count working days for every open task.
    """

    def __init__(self, schedules: Iterable[HolidaySchedule]) -> None:
        self._years: dict[int, HolidaySchedule] = {s.year: s for s in schedules}
        self._working: list[int] = []
        for year in sorted(self._years):
            schedule = self._years[year]
            day = date(year, 1, 1)
            while day.year == year:
                if schedule.is_working_day(day):
                    self._working.append(day.toordinal())
                day += timedelta(days=1)

    @classmethod
    def builtin(cls) -> WorkingCalendar:
        return cls(builtin_schedules().values())

    def with_schedule(self, schedule: HolidaySchedule) -> WorkingCalendar:
        return WorkingCalendar([*self._years.values(), schedule])

    def schedule(self, year: int) -> HolidaySchedule | None:
        return self._years.get(year)

    def knows(self, year: int) -> bool:
        return year in self._years

    @property
    def years(self) -> list[int]:
        return sorted(self._years)

    def _require(self, first_year: int, last_year: int) -> None:
        for year in range(first_year, last_year + 1):
            if year not in self._years:
                raise CalendarYearMissing(year)

    def is_working_day(self, day: date) -> bool:
        self._require(day.year, day.year)
        return self._years[day.year].is_working_day(day)

    def add_working_days(self, start: date, days: int) -> date:
        """The day on which the ``days``-th working day after ``start`` falls."""
        if days <= 0:
            raise DomainError("working_days_positive", value=days)
        self._require(start.year, start.year)
        index = bisect_right(self._working, start.toordinal()) + days - 1
        if index >= len(self._working):
            raise CalendarYearMissing(max(self._years) + 1)
        result = date.fromordinal(self._working[index])
        self._require(start.year, result.year)
        return result

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` is
        before ``start`` (how many working days overdue)."""
        low, high = min(start, end), max(start, end)
        self._require(low.year, high.year)
        count = bisect_right(self._working, high.toordinal()) - bisect_right(
            self._working, low.toordinal()
        )
        return count if end >= start else -count
