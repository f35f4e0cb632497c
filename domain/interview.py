"""约谈: a reminder or admonishment talk with someone who did not carry out the responsibility,
held by someone with authority over them, ending in 限期整改 (rectify by a deadline)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.base import DutyAggregate
from domain.context import Context
from domain.errors import DomainError, WrongState


class Interview(DutyAggregate):
    @event("InterviewScheduled")
    def __init__(
        self,
        *,
        interviewer_id: UUID,
        interviewee_id: UUID,
        org_id: UUID,
        reason: str,
        task_ids: list[UUID],
        finding_ids: list[UUID],
        planned_on: date,
        actor: str,
        on: date,
        timestamp: datetime,
    ) -> None:
        self.interviewer_id = interviewer_id
        self.interviewee_id = interviewee_id
        self.org_id = org_id
        self.reason = reason
        self.task_ids = list(task_ids)
        self.finding_ids = list(finding_ids)
        self.planned_on = planned_on
        self.status = "scheduled"
        self.held_on: date | None = None
        self.rectification_deadline: date | None = None

    def hold(
        self,
        held_on: date,
        minutes: str,
        commitments: list[str],
        rectification_deadline: date,
        ctx: Context,
    ) -> None:
        if self.status != "scheduled":
            raise WrongState("interview", self.status, "hold")
        if held_on > ctx.today:
            raise DomainError("date_in_future", field="held_on", value=held_on, today=ctx.today)
        if not minutes.strip():
            raise DomainError("required", field="minutes")
        if rectification_deadline < held_on:
            raise DomainError("deadline_before_issue", deadline=rectification_deadline, issued_on=held_on)
        self._held(
            minutes=minutes.strip(),
            commitments=[c.strip() for c in commitments if c.strip()],
            rectification_deadline=rectification_deadline,
            **ctx.stamp(held_on),
        )

    @event("InterviewHeld")
    def _held(
        self, *, minutes: str, commitments: list[str], rectification_deadline: date,
        actor: str, on: date, timestamp: datetime,
    ) -> None:
        self.status = "held"
        self.held_on = on
        self.rectification_deadline = rectification_deadline
