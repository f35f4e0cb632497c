"""What a view is: some tables, and a method per event type that changes their rows."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar, Protocol, runtime_checkable
from uuid import UUID

import orjson
from sqlalchemy import Connection, Table

from projections.batch import Batch, Key

Handler = Callable[[Batch, int, Any], None]


class View:
    """Handlers are methods named ``on_<EventName>``; events a view has no method for pass by."""

    name: ClassVar[str]
    tables: ClassVar[tuple[Table, ...]]
    cost: ClassVar[int] = 1
    """Relative time a rebuild spends in this view (measured view by view on the bench's 1M-event
    log, index building included); the parallel rebuild balances its worker processes by it."""
    skips_failed_events: ClassVar[bool] = False
    """What happens to this view at an event it cannot apply (``ProjectionRunner``): a read model
    is held just before it, so what it shows stays true up to there; a view that acts on events
    (the notifier's outbox) passes it by, so one event cannot silence every later message."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler | None] = {}

    def handler(self, event_name: str) -> Handler | None:
        if event_name not in self._handlers:
            self._handlers[event_name] = getattr(self, f"on_{event_name}", None)
        return self._handlers[event_name]

    def wants(self, event: Any) -> Iterable[tuple[Table, Key]]:
        """Rows the handler of this event will read, so the batch can fetch them together."""
        return ()


@runtime_checkable
class Fills(Protocol):
    """A view whose rows the database can compute from the event table itself: where the events
    are in the views' database and a batch is large, ``fill`` writes them and only the handlers
    of ``handler_while_filling`` run in Python."""

    def handler_while_filling(self, event_name: str) -> Handler | None:
        """The handler of the events that ``fill`` needs handled in Python first."""
        ...

    def stage(self, conn: Connection, start: int, stop: int) -> None:
        """Prepare what ``fill`` will write for the events after ``start`` up to ``stop``, where
        that can be done without the database's write lock; called page by page while the batch
        is read, outside the write turn. ``fill`` gives the same rows whether it ran or not."""
        ...

    def fill(self, conn: Connection, start: int, stop: int) -> None:
        """Write the rows of the events after ``start`` up to ``stop`` from the event table, in
        the batch's transaction, after the batch's own rows."""
        ...


def event_name(event: Any) -> str:
    return str(event.event_type)


def hx(value: UUID | str | None) -> str | None:
    """Ids as 32-digit hex; system actors ("system:…") as they are."""
    if value is None:
        return None
    if type(value) is str and len(value) == 32:
        return value
    if isinstance(value, UUID):
        return value.hex
    if len(value) == 32 or value.startswith("system:"):
        return value
    if len(value) == 36:
        return value.replace("-", "")
    return UUID(value).hex


def day(value: date | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


@functools.lru_cache(maxsize=4096)
def moment(value: datetime | str) -> str:
    """A recorded time as sortable text: UTC, always with microseconds. Cached: the events of one
    save share their time, and a rebuild asks for it once per view per event."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.utcoffset() != _ZERO:
        value = value.astimezone(UTC)
    return value.isoformat(timespec="microseconds")


_ZERO = timedelta(0)


def to_json(value: Any) -> str:
    """Lists and records kept in a text column: orjson (UTF-8 as is, compact), several times
    faster than ``json.dumps`` on the rebuild's path."""
    return orjson.dumps(value).decode()
