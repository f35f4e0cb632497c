"""How a transaction that may write begins, and how to tell that the database was too busy.

SQLite lets one writer at a time. A transaction begun with a plain ``BEGIN`` that reads and then
writes fails at once with "database is locked" when another writer committed in between, whatever
the busy timeout: its snapshot is stale and SQLite cannot wait it fresh. Begun as ``BEGIN
IMMEDIATE`` it takes the write lock first, waiting up to the busy timeout for it, and then cannot
fail that way. Reads keep the plain ``BEGIN``: in WAL mode they run beside the writer, and making
them take the write lock would queue every page behind every command.

So the engine's transactions begin as reads, and code that may write asks for ``writing(engine)``
(or ``conn.execution_options(**WRITES)`` on a connection it holds). PostgreSQL ignores the choice:
its row locks and MVCC need no such care.

When the lock cannot be had in time, ``is_busy`` recognises the error, so the web can answer 503
with ``Retry-After`` and the CLI a clear "try again", never a server error.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import DBAPIError

WRITE_OPTION = "dutyloop_writes"
WRITES: dict[str, Any] = {WRITE_OPTION: True}
RETRY_AFTER_SECONDS = 2
"""What a busy answer asks the caller to wait: a command holds SQLite's write lock for tens of
milliseconds, a long catch-up for a second or two."""

_BUSY_SQLITE = ("database is locked", "database is busy", "database table is locked")
_BUSY_POSTGRES = {"40001", "40P01", "55P03"}
"""serialization_failure, deadlock_detected, lock_not_available: the transaction was rolled back
and may simply be run again."""


def writing(engine: Engine) -> Engine:
    """The same engine (same pool), its transactions begun as writes."""
    return engine.execution_options(**WRITES)


def begin_as_asked(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, emit BEGIN (SQLAlchemy's documented recipe; the connection
    must be in pysqlite's autocommit mode), and emit the kind the transaction asked for."""

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` (from SQLAlchemy, the event store or a driver, however wrapped) means the
    database could not give a lock in time, so that running the same thing again may succeed."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sqlite3.OperationalError) and any(text in str(current) for text in _BUSY_SQLITE):
            return True
        if getattr(current, "sqlstate", None) in _BUSY_POSTGRES:
            return True
        if isinstance(current, DBAPIError) and current.orig is not None and current.orig is not current:
            current = current.orig
            continue
        current = current.__cause__ or (current.args[0] if current.args and isinstance(current.args[0], BaseException) else None)
    return False
