"""明责: the organisations that carry responsibility, from the company committee down to
branches and temporary project branches."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.base import DutyAggregate
from domain.context import Context
from domain.errors import WrongState
from domain.vocabulary import OrgKind


class Organisation(DutyAggregate):
    @event("OrganisationRegistered")
    def __init__(
        self,
        *, id: UUID,
        name: str,
        kind: str,
        parent_id: UUID | None,
        actor: str,
        on: date,
        timestamp: datetime,
    ) -> None:
        self.name = name
        self.kind = OrgKind(kind)
        self.parent_id = parent_id
        self.dissolved_on: date | None = None

    @property
    def active(self) -> bool:
        return self.dissolved_on is None

    def rename(self, name: str, ctx: Context) -> None:
        self._require_active("register")
        self._renamed(name=name, **ctx.stamp())

    @event("OrganisationRenamed")
    def _renamed(self, *, name: str, actor: str, on: date, timestamp: datetime) -> None:
        self.name = name

    def dissolve(self, reason: str, ctx: Context) -> None:
        """Temporary project branches are dissolved when the project ends; their history stays."""
        self._require_active("dissolve")
        self._dissolved(reason=reason, **ctx.stamp())

    @event("OrganisationDissolved")
    def _dissolved(self, *, reason: str, actor: str, on: date, timestamp: datetime) -> None:
        self.dissolved_on = on

    def _require_active(self, action: str) -> None:
        if not self.active:
            raise WrongState("organisation", "dissolved", action)
