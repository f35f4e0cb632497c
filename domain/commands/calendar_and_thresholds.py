"""The settings deadlines are judged by: the official holiday schedule and the warning thresholds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.calendar import HolidaySchedule
from domain.commands.checks import required
from domain.commands.core import Actor, CommandCore, command
from domain.errors import NotFound
from domain.holiday_calendar import HOLIDAY_CALENDAR_ID, HolidayCalendar
from domain.warning_policy import DEFAULT_DUE_SOON, DEFAULT_ESCALATION_GRACE, DEFAULT_SERIOUS, WARNING_POLICY_ID, WarningPolicy


class CalendarAndThresholds(CommandCore):
    @command
    def load_holiday_schedule(self, actor: Actor, schedule: HolidaySchedule, source: str, on: date | None = None) -> None:
        """Load (or correct) a year's official schedule. Issued deadlines keep their dates.
        ``on``: 补录, the schedule was put in force on that earlier business day."""
        ctx = self.context(actor, on)
        ctx.require(ctx.who.is_admin, "load_calendar", "reason_admin_only")
        try:
            holder = self.get(HolidayCalendar, HOLIDAY_CALENDAR_ID, "calendar_year")
        except NotFound:
            holder = HolidayCalendar(**ctx.stamp())
        holder.load(schedule, required(source, "source"), ctx)
        self.save(holder)

    @command
    def set_warning_thresholds(self, actor: Actor, due_soon: int, serious: int, escalation_grace: Sequence[int]) -> None:
        """How many working days ahead a deadline warns, when overdue is serious, and how long
        each escalation step waits before going one level up."""
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "set_thresholds", "reason_admin_only")
        try:
            policy = self.get(WarningPolicy, WARNING_POLICY_ID, "warning_policy")
        except NotFound:
            WarningPolicy.check(due_soon, serious, list(escalation_grace))
            policy = WarningPolicy(due_soon=due_soon, serious=serious, escalation_grace=list(escalation_grace), **ctx.stamp())
        else:
            policy.change(due_soon, serious, list(escalation_grace), ctx)
        self.save(policy)

    @command
    def set_back_entry_limit(self, actor: Actor, days: int) -> None:
        """补录: how many working days back anyone but an administrator may enter a paper record."""
        ctx = self.context(actor)
        ctx.require(ctx.who.is_admin, "set_thresholds", "reason_admin_only")
        try:
            policy = self.get(WarningPolicy, WARNING_POLICY_ID, "warning_policy")
        except NotFound:
            policy = WarningPolicy(
                due_soon=DEFAULT_DUE_SOON, serious=DEFAULT_SERIOUS, escalation_grace=list(DEFAULT_ESCALATION_GRACE), **ctx.stamp()
            )
        policy.limit_back_entry(days, ctx)
        self.save(policy)
