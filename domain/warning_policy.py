"""When deadlines warn and how overdue work escalates: set by an admin, kept on the record, so
which thresholds applied when can be shown later like any other fact."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.base import DutyAggregate
from domain.context import Context
from domain.ids import NAMESPACE
from domain.ranges import BACK_ENTRY_DAYS, DUE_SOON, GRACE_STEP, GRACE_STEPS, SERIOUS

WARNING_POLICY_ID: UUID = uuid5(NAMESPACE, "warning-policy")
DEFAULT_DUE_SOON = 3
DEFAULT_SERIOUS = 5
DEFAULT_ESCALATION_GRACE = [2, 3, 5]
DEFAULT_BACK_ENTRY_DAYS = 10
"""补录: how many working days back someone other than an administrator may enter a paper record."""


def bounded(due_soon: int, serious: int, escalation_grace: list[int]) -> tuple[int, int, list[int]]:
    """Thresholds as recorded, each at the bound of its range where an older version let a value
    beyond it through (a warning 99,999,999,999 working days ahead failed every page): for the
    views that store and the queries that read them."""
    grace = [GRACE_STEP.clamp(int(g)) for g in escalation_grace[: GRACE_STEPS.high]]
    return DUE_SOON.clamp(int(due_soon)), SERIOUS.clamp(int(serious)), grace or list(DEFAULT_ESCALATION_GRACE)


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
        DUE_SOON.check("due_soon", due_soon)
        SERIOUS.check("serious", serious)
        GRACE_STEPS.check("escalation_grace", len(escalation_grace))
        for grace in escalation_grace:
            GRACE_STEP.check("escalation_grace", grace)

    def change(self, due_soon: int, serious: int, escalation_grace: list[int], ctx: Context) -> None:
        self.check(due_soon, serious, escalation_grace)
        self._changed(due_soon=due_soon, serious=serious, escalation_grace=list(escalation_grace), **ctx.stamp())

    @event("WarningThresholdsChanged")
    def _changed(
        self, *, due_soon: int, serious: int, escalation_grace: list[int], actor: str, on: date, timestamp: datetime
    ) -> None:
        self._set(due_soon, serious, escalation_grace)

    def limit_back_entry(self, days: int, ctx: Context) -> None:
        BACK_ENTRY_DAYS.check("back_entry_days", days)
        self._back_entry_limited(days=days, **ctx.stamp())

    @event("BackEntryLimitSet")
    def _back_entry_limited(self, *, days: int, actor: str, on: date, timestamp: datetime) -> None:
        self.back_entry_days = days
