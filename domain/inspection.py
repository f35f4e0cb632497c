"""履责: 指导检查 — inspections of a branch, the findings (问题) they raise, and 工作提示."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.base import DutyAggregate
from domain.vocabulary import InspectionKind


class Inspection(DutyAggregate):
    @event("InspectionConducted")
    def __init__(
        self, *, id: UUID, kind: str, org_id: UUID, subject: str, finding_ids: list[UUID],
        actor: str, on: date, timestamp: datetime,
    ) -> None:
        self.kind = InspectionKind(kind)
        self.org_id = org_id
        self.subject = subject
        self.finding_ids = list(finding_ids)
        self.inspector = actor
        self.conducted_on = on


class Finding(DutyAggregate):
    """A finding is its own aggregate: it starts a rectification chain of its own."""

    @event("FindingRaised")
    def __init__(
        self, *, inspection_id: UUID, inspection_kind: str, subject: str, org_id: UUID, description: str,
        actor: str, on: date, timestamp: datetime,
    ) -> None:
        self.inspection_id = inspection_id
        self.inspection_kind = InspectionKind(inspection_kind)
        self.subject = subject
        self.org_id = org_id
        self.description = description
        self.raised_by = actor
        self.raised_on = on


class WorkPrompt(DutyAggregate):
    @event("WorkPromptSent")
    def __init__(
        self, *, org_id: UUID, title: str, content: str,
        actor: str, on: date, timestamp: datetime,
    ) -> None:
        self.org_id = org_id
        self.title = title
        self.content = content
