"""The official holiday schedules an admin has loaded: which calendar applied when is part of
the record, like everything else. One aggregate for all years keeps "what is loaded" a single
read; loads are rare (one a year, plus corrections)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import DutyAggregate
from domain.calendar import HolidaySchedule, WorkingCalendar
from domain.context import Context
from domain.errors import DomainError
from domain.ids import NAMESPACE

HOLIDAY_CALENDAR_ID: UUID = uuid5(NAMESPACE, "holiday-calendar")


class HolidayCalendar(DutyAggregate):
    @staticmethod
    def create_id() -> UUID:
        return HOLIDAY_CALENDAR_ID

    @event("HolidayCalendarStarted")
    def __init__(self, *, actor: str, on: date, timestamp: datetime) -> None:
        self.loaded: dict[int, HolidaySchedule] = {}
        self.loaded_on: dict[int, date] = {}

    def load(self, schedule: HolidaySchedule, source: str, ctx: Context) -> None:
        """A year's schedule as of ``ctx.today``; a back-entered (补录) load is never dated before
        the year's last load, so which schedule applied when stays in order."""
        last = self.loaded_on.get(schedule.year)
        if last is not None and ctx.today < last:
            raise DomainError("back_entry_before_load", value=ctx.today, year=schedule.year, last=last, field="on")
        self._loaded(
            year=schedule.year,
            holidays=sorted(schedule.holidays),
            working_weekends=sorted(schedule.working_weekends),
            names={day.isoformat(): name for day, name in sorted(schedule.names.items())},
            source=source,
            **ctx.stamp(),
        )

    @event("HolidayScheduleLoaded")
    def _loaded(
        self, *, year: int, holidays: list[date], working_weekends: list[date], names: dict[str, str], source: str,
        actor: str, on: date, timestamp: datetime,
    ) -> None:
        self.loaded_on[year] = on
        self.loaded[year] = HolidaySchedule(
            year, frozenset(holidays), frozenset(working_weekends), {date.fromisoformat(d): n for d, n in names.items()}
        )

    def overlay(self, builtin: WorkingCalendar) -> WorkingCalendar:
        schedules = {year: builtin.schedule(year) for year in builtin.years}
        schedules.update(self.loaded)
        return WorkingCalendar(s for s in schedules.values() if s is not None)
