"""The base of every aggregate here."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol, runtime_checkable

from eventsourcing.domain import Aggregate


class DutyAggregate(Aggregate):
    """Aggregates are copied each time they are read from the repository's cache, so that a command
    that fails half-way never leaves a changed object behind. ``copy.deepcopy`` was the largest
    cost of a command; our aggregates only ever replace nested values or change a top-level list,
    dict or set, so copying one level deep is a complete copy for them, and several times faster.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> DutyAggregate:
        clone = object.__new__(type(self))
        clone.__dict__.update(
            {k: v.copy() if isinstance(v, (list, dict, set)) else v for k, v in self.__dict__.items()}
        )
        return clone


class Stamps(Protocol):
    """What an aggregate needs from a command to record an event: who acted and when. A person
    takes only this, not the whole command context, because the context's authority is read from
    the person's own roles (domain/authority.py)."""

    def stamp(self, on: date | None = None) -> dict[str, Any]: ...


@runtime_checkable
class Begun(Protocol):
    """Work that began on a business day: nothing about it can be entered as of an earlier day."""

    @property
    def begun_on(self) -> date: ...
