"""一月一通报: the monthly bulletin — what each branch finished and what is overdue — is a fact
of its own, so what was announced each month stays on the record as it was announced."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import DutyAggregate


class Bulletin(DutyAggregate):
    @event("MonthlyBulletinIssued")
    def __init__(
        self, *, id: UUID, month: str, lines: list[dict[str, Any]], summary: str,
        actor: str, on: date, timestamp: datetime,
    ) -> None:
        self.month = month
        self.lines = lines
        self.summary = summary
