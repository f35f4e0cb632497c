"""Reminders are facts too: who was reminded, about what, at which level, for which deadline.
Their identity comes from that key, so recording the same reminder twice is impossible."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.base import DutyAggregate

REMINDER_TARGETS = ("task", "rectification", "meeting")


class Reminder(DutyAggregate):
    @event("ReminderRecorded")
    def __init__(
        self,
        *, id: UUID,
        target_kind: str,
        target_id: UUID,
        level: str,
        step: int,
        deadline: date,
        recipient_id: UUID,
        org_id: UUID,
        overdue_working_days: int,
        actor: str,
        on: date,
        timestamp: datetime,
    ) -> None:
        self.target_kind = target_kind
        self.target_id = target_id
        self.level = level
        self.step = step
        self.deadline = deadline
        self.recipient_id = recipient_id
        self.org_id = org_id
