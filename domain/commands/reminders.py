"""催办 reminders the scheduler records when a deadline comes near or passes, escalating up the
organisation; each is recorded once (its id comes from what it reminds of)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from domain import ids
from domain.clock import today
from domain.commands.core import Actor, CommandCore, not_before_start
from domain.context import Context
from domain.errors import DomainError
from domain.ranges import OVERDUE_DAYS, REMINDER_STEP
from domain.rectification import Rectification
from domain.reminder import REMINDER_TARGETS, Reminder
from domain.task import Task
from domain.vocabulary import ReminderLevel, parse

BEGUN_TARGETS: dict[str, type[Task | Rectification]] = {"task": Task, "rectification": Rectification}
"""What a back-entered reminder may not be dated before (a meeting reminder is about a period)."""


class Reminders(CommandCore):
    def record_reminder(
        self,
        actor: Actor,
        target_kind: str,
        target_id: UUID,
        level: str,
        deadline: date,
        recipient_id: UUID,
        org_id: UUID,
        overdue_working_days: int = 0,
        step: int = 0,
        on: date | None = None,
    ) -> UUID | None:
        """Record that someone was reminded; ``None`` when exactly this reminder exists already.

        ``step`` counts escalation up the organisation (0: the person responsible; 1, 2, …: one
        level up each time, the last being discipline inspection). ``on``: 补录, the reminder was
        given on that earlier business day."""
        ctx = self._reminder_context(actor, on)
        reminder = self._reminder(
            ctx, set(), target_kind=target_kind, target_id=target_id, level=level, deadline=deadline,
            recipient_id=recipient_id, org_id=org_id, overdue_working_days=overdue_working_days, step=step,
        )
        try:
            self.save(reminder)
        except IntegrityError:
            return None
        return reminder.id

    def record_reminders(self, actor: Actor, reminders: Sequence[dict[str, Any]], on: date | None = None) -> list[UUID]:
        """Record many reminders (each given as ``record_reminder``'s keyword arguments) in one
        write: a scan that finds thousands due must not pay a transaction for each. If one of them
        exists already (recorded meanwhile elsewhere), they are recorded one by one instead, so
        the others are not lost; returns the ids of those recorded now. All are checked first:
        one bad reminder records none. ``on``: 补录, as ``record_reminder``."""
        ctx = self._reminder_context(actor, on)
        checked: set[UUID] = set()
        made = [self._reminder(ctx, checked, **fields) for fields in reminders]
        if not made:
            return []
        try:
            self.save(*made)
        except IntegrityError:
            # The failed write took the new events out of these aggregates: make them afresh.
            recorded = []
            for each in reminders:
                reminder = self._reminder(ctx, checked, **each)
                try:
                    self.save(reminder)
                except IntegrityError:
                    continue
                recorded.append(reminder.id)
            return recorded
        return [reminder.id for reminder in made]

    def _reminder_context(self, actor: Actor, on: date | None) -> Context:
        ctx = self.context(actor, on)
        ctx.require(ctx.actor == "system:scheduler" or ctx.who.is_admin, "record_reminder", "reason_scheduler_only")
        return ctx

    def _reminder(
        self, ctx: Context, checked: set[UUID], *, target_kind: str, target_id: UUID, level: str, deadline: date, recipient_id: UUID,
        org_id: UUID, overdue_working_days: int = 0, step: int = 0,
    ) -> Reminder:
        """``checked``: recipients already found to exist (each look-up is a read of the store)."""
        level = parse(ReminderLevel, level, "level").value
        if target_kind not in REMINDER_TARGETS:
            raise DomainError("invalid_value", field="target_kind", value=target_kind, allowed=list(REMINDER_TARGETS))
        REMINDER_STEP.check("step", step)
        OVERDUE_DAYS.check("overdue_working_days", overdue_working_days)
        if recipient_id not in checked:
            self.person(recipient_id)
            checked.add(recipient_id)
        if ctx.today < today(self.clock) and target_kind in BEGUN_TARGETS:
            not_before_start(self.look(BEGUN_TARGETS[target_kind], target_id, target_kind), ctx.today, target_kind)
        return Reminder(
            id=ids.reminder_id(target_id, f"{level}:{step}" if step else level, deadline, recipient_id),
            target_kind=target_kind, target_id=target_id, level=level, step=step, deadline=deadline,
            recipient_id=recipient_id, org_id=org_id, overdue_working_days=overdue_working_days, **ctx.stamp(),
        )
