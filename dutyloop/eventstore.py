"""The event store with a tamper-evident ledger beside it.

Every insert of events also appends, in the same database transaction, one ledger row per
event: its notification id, when it was recorded (by the application's clock) and a SHA-256
hash chained over the previous row's hash and the event's stored bytes. The event table's own
write lock (SQLite's single writer; the library's EXCLUSIVE table lock on PostgreSQL) serialises
the chain, so two writers can never fork it. ``verify`` walks both tables and names the first
event that was altered, deleted, or inserted without going through the application.

PostgreSQL's recorder is in ``eventstore_postgres``, so that a run on SQLite never imports psycopg.

The ledger's ``recorded_at`` also answers "what did we know at time T": the events up to the
last one recorded by then.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from dutyloop.audit.chainproof import GENESIS, chain_hash
from projections.ledger import LEDGER_TABLE, recorded_at_text


def ledger_rows(
    previous: bytes, ids: Sequence[int], events: Sequence[StoredEvent], recorded_at: datetime
) -> list[tuple[int, str, bytes]]:
    moment = recorded_at_text(recorded_at)
    rows = []
    for notification_id, stored in zip(ids, events, strict=True):
        previous = chain_hash(
            previous, notification_id, stored.originator_id, stored.originator_version, stored.topic,
            stored.state, moment,
        )
        rows.append((notification_id, moment, previous))
    return rows


def recorded_at_of(kwargs: dict[str, Any]) -> datetime:
    moment = kwargs.get("recorded_at")
    return moment if isinstance(moment, datetime) else datetime.now(timezone.utc)


RECORDED_AT_INDEX = f"{LEDGER_TABLE}_recorded_at"
_DROP_RECORDED_AT_INDEX = f"DROP INDEX IF EXISTS {RECORDED_AT_INDEX}"
"""Earlier releases indexed the ledger by recorded time. Only "as of" questions look it up, once
each before replaying the log up to that moment (tens of milliseconds to scan at a million events,
against seconds of replay), while every write paid for the index: commands 7 % slower."""


class ChainHead:
    """The last ledger row this process committed. When the next events directly follow it (no
    one else wrote in between), the chain goes on from it without reading the ledger: one query
    less in every command's transaction. It is taken only once its transaction has committed."""

    def __init__(self) -> None:
        self._committed: tuple[int, bytes] | None = None
        self._local = threading.local()

    def previous(self, first_id: int, read: Callable[[], bytes]) -> bytes:
        head = self._committed
        if head is not None and head[0] == first_id - 1:
            return head[1]
        return read()

    def written(self, rows: list[tuple[int, str, bytes]]) -> None:
        self._local.pending = (rows[-1][0], rows[-1][2])

    def writing(self) -> None:
        self._local.pending = None

    def committed(self) -> None:
        pending = getattr(self._local, "pending", None)
        if pending is not None:
            self._committed = pending


class ContinuesChain:
    """Both recorders: the library's insert (which commits) wrapped so that a chain head written
    in it is taken only once it has committed."""

    chain_head: ChainHead

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        self.chain_head.writing()
        ids = super().insert_events(stored_events, **kwargs)  # type: ignore[misc]
        self.chain_head.committed()
        return ids  # type: ignore[no-any-return]


class LedgeredSQLiteApplicationRecorder(ContinuesChain, SQLiteApplicationRecorder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chain_head = ChainHead()

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {LEDGER_TABLE} ("
            "notification_id INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL, hash BLOB NOT NULL)",
            _DROP_RECORDED_AT_INDEX,
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        if not ids:
            return ids

        def read() -> bytes:
            c.execute(f"SELECT hash FROM {LEDGER_TABLE} ORDER BY notification_id DESC LIMIT 1")
            row = c.fetchone()
            return bytes(row[0]) if row else GENESIS

        rows = ledger_rows(self.chain_head.previous(ids[0], read), ids, stored_events, recorded_at_of(kwargs))
        c.executemany(f"INSERT INTO {LEDGER_TABLE} (notification_id, recorded_at, hash) VALUES (?, ?, ?)", rows)
        self.chain_head.written(rows)
        return ids


@dataclass(frozen=True)
class LedgerEntry:
    notification_id: int
    recorded_at: str
    hash: bytes


@dataclass(frozen=True)
class StoredRow:
    notification_id: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes


@dataclass(frozen=True)
class Verdict:
    """The outcome of walking the chain: intact with how many checked, or the first problem."""

    intact: bool
    checked: int
    head: str
    problem: str | None = None
    notification_id: int | None = None
    originator_id: str | None = None
    originator_version: int | None = None


def verify_chain(events: Iterator[StoredRow], ledger: Iterator[LedgerEntry]) -> Verdict:
    """Merge-walk the events and the ledger, both in notification order."""
    previous = GENESIS
    checked = 0
    event = next(events, None)
    entry = next(ledger, None)
    while event is not None or entry is not None:
        if entry is None or (event is not None and event.notification_id < entry.notification_id):
            assert event is not None
            return _broken("inserted", checked, previous, event)
        if event is None or entry.notification_id < event.notification_id:
            return Verdict(False, checked, previous.hex(), "deleted", entry.notification_id)
        expected = chain_hash(
            previous, event.notification_id, event.originator_id, event.originator_version, event.topic,
            event.state, entry.recorded_at,
        )
        if expected != entry.hash:
            return _broken("altered", checked, previous, event)
        previous = entry.hash
        checked += 1
        event = next(events, None)
        entry = next(ledger, None)
    return Verdict(True, checked, previous.hex())


def _broken(problem: str, checked: int, previous: bytes, event: StoredRow) -> Verdict:
    return Verdict(
        False, checked, previous.hex(), problem, event.notification_id, event.originator_id,
        event.originator_version,
    )
