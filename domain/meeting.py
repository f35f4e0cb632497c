"""履责: the regular meetings (例会) whose minutes issue the task lists."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.base import DutyAggregate
from domain.context import Context
from domain.errors import DomainError, WrongState
from domain.vocabulary import MeetingKind


class Meeting(DutyAggregate):
    @event("MeetingPlanned")
    def __init__(
        self, *, kind: str, org_id: UUID, title: str, planned_on: date,
        actor: str, on: date, timestamp: datetime,
    ) -> None:
        self.kind = MeetingKind(kind)
        self.org_id = org_id
        self.title = title
        self.planned_on = planned_on
        self.held_on: date | None = None
        self.attendee_ids: list[UUID] = []
        self.decisions: list[str] = []
        self.summary = ""

    @property
    def status(self) -> str:
        return "held" if self.held_on else "planned"

    def record_minutes(
        self, held_on: date, attendee_ids: list[UUID], decisions: list[str], summary: str,
        ctx: Context,
    ) -> None:
        """The minutes may be entered days after the meeting: ``held_on`` is the business date."""
        if self.held_on is not None:
            raise WrongState("meeting", self.status, "record_minutes")
        if held_on > ctx.today:
            raise DomainError("date_in_future", field="held_on", value=held_on, today=ctx.today)
        if not attendee_ids:
            raise DomainError("required", field="attendees")
        if not [d for d in decisions if d.strip()]:
            raise DomainError("required", field="decisions")
        self._minutes_recorded(
            attendee_ids=list(attendee_ids), decisions=[d.strip() for d in decisions if d.strip()],
            summary=summary, **ctx.stamp(held_on),
        )

    @event("MeetingMinutesRecorded")
    def _minutes_recorded(
        self, *, attendee_ids: list[UUID], decisions: list[str], summary: str,
        actor: str, on: date, timestamp: datetime,
    ) -> None:
        self.held_on = on
        self.attendee_ids = attendee_ids
        self.decisions = decisions
        self.summary = summary
