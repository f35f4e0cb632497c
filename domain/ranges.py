"""The range of every number a command takes. Beyond it a number is a slip of the keyboard or an
attack, never a plan: ``thresholds --due-soon 99999999999`` was recorded and then every warning
page failed computing a date 400 million years ahead, and an approved ``1e999999`` points broke
the points page, the bulletin and the ranking. Commands refuse a number outside its range,
naming the field and the range; readers of what an older version recorded take such a number at
the nearest bound (``clamp``), so a page never fails on it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from domain.errors import DomainError

N = TypeVar("N", int, Decimal)


@dataclass(frozen=True)
class Bounds:
    low: int
    high: int

    def check(self, field: str, value: N) -> N:
        """The value, if within the range; else a refusal naming ``field``."""
        if not self.low <= value <= self.high:
            raise DomainError("out_of_range", field=field, value=value, low=self.low, high=self.high)
        return value

    def clamp(self, value: N) -> N:
        """The value moved into the range (for reading what was recorded before ranges applied)."""
        return max(type(value)(self.low), min(type(value)(self.high), value))


DUE_SOON = Bounds(1, 60)
"""Working days ahead of a deadline that a warning starts: three months at most."""
SERIOUS = Bounds(1, 250)
"""Working days overdue that count as seriously overdue: a working year at most."""
GRACE_STEP = Bounds(1, 60)
"""Working days one escalation step waits before going a level up."""
BACK_ENTRY_DAYS = Bounds(0, 250)
"""补录: working days back a non-administrator may enter a paper record; a working year at most."""
GRACE_STEPS = Bounds(1, 10)
"""Escalation steps: the organisation is nowhere near ten levels deep."""
DEADLINE_WORKING_DAYS = Bounds(1, 750)
"""A deadline given in working days: three years at most."""
POINTS = Bounds(-100, 100)
"""Points one rule or one adjustment gives or costs; a month's points are in the tens."""
YEAR = Bounds(2000, 2100)
"""A year of a list, a review or an assessment."""
REMINDER_STEP = Bounds(0, 20)
"""Escalation steps of a reminder (0: the person responsible)."""
OVERDUE_DAYS = Bounds(0, 10_000)
"""Working days a reminder says something is overdue."""
