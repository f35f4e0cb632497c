"""When deadlines warn and how overdue work escalates: set by an admin, kept on the record, so
which thresholds applied when can be shown later like any other fact."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import DutyAggregate
from domain.context import Context
from domain.errors import DomainError
from domain.ids import NAMESPACE

WARNING_POLICY_ID: UUID = uuid5(NAMESPACE, "warning-policy")
DEFAULT_DUE_SOON = 3
DEFAULT_SERIOUS = 5
DEFAULT_ESCALATION_GRACE = [2, 3, 5]
DEFAULT_BACK_ENTRY_DAYS = 10
"""补录: how many working days back someone other than an administrator may enter a paper record."""


class WarningPolicy(DutyAggregate):
    """due_soon: working days ahead that warn; serious: working days overdue that count as
    seriously overdue; escalation_grace: working days to wait at each escalation step before
    going one level further up (the last step reaches discipline inspection)."""

    @staticmethod
    def create_id() -> UUID:
        return WARNING_POLICY_ID

    @event("WarningThresholdsSet")
    def __init__(
        self, *, due_soon: int, serious: int, escalation_grace: list[int], actor: str, on: date, timestamp: datetime
    ) -> None:
        self._set(due_soon, serious, escalation_grace)

    def _set(self, due_soon: int, serious: int, escalation_grace: list[int]) -> None:
        if not hasattr(self, "back_entry_days"):
            self.back_entry_days = DEFAULT_BACK_ENTRY_DAYS
        self.due_soon = due_soon
        self.serious = serious
        self.escalation_grace = list(escalation_grace)

    @staticmethod
    def check(due_soon: int, serious: int, escalation_grace: list[int]) -> None:
        if due_soon < 1:
            raise DomainError("invalid_value", field="due_soon", value=due_soon, allowed=["≥ 1"])
        if serious < 1:
            raise DomainError("invalid_value", field="serious", value=serious, allowed=["≥ 1"])
        if not escalation_grace or any(g < 1 for g in escalation_grace):
            raise DomainError("invalid_value", field="escalation_grace", value=escalation_grace, allowed=["1,2,3 …"])

    def change(self, due_soon: int, serious: int, escalation_grace: list[int], ctx: Context) -> None:
        self.check(due_soon, serious, escalation_grace)
        self._changed(due_soon=due_soon, serious=serious, escalation_grace=list(escalation_grace), **ctx.stamp())

    @event("WarningThresholdsChanged")
    def _changed(
        self, *, due_soon: int, serious: int, escalation_grace: list[int], actor: str, on: date, timestamp: datetime
    ) -> None:
        self._set(due_soon, serious, escalation_grace)

    def limit_back_entry(self, days: int, ctx: Context) -> None:
        if days < 0:
            raise DomainError("invalid_value", field="back_entry_days", value=days, allowed=["≥ 0"])
        self._back_entry_limited(days=days, **ctx.stamp())

    @event("BackEntryLimitSet")
    def _back_entry_limited(self, *, days: int, actor: str, on: date, timestamp: datetime) -> None:
        self.back_entry_days = days
