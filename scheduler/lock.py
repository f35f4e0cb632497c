"""Only one scheduler acts at a time: a lock on the database the events live in.

APScheduler's job store must not be shared by several running schedulers, so a process runs its
scheduler only while it holds this lock; the others stand by and try again every heartbeat.

- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) held on a connection kept
  for nothing else. It is released by the server the moment that session ends, so a leader that
  dies (killed, crashed, network gone) frees it at once.
- SQLite: a lease row — holder and expiry — taken with one atomic ``UPDATE … WHERE the lease is
  ours or has expired`` and renewed by the leader's heartbeat. A leader that dies stops
  renewing; a standby takes the lease once it has expired (at most ``ttl`` seconds later).

The lock saves work and keeps one writer; it is not what prevents duplicates — every reminder
and bulletin is idempotent by its identity, so even two leaders in the moment of a takeover
record each fact once.
"""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
import uuid
from typing import Protocol

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    MetaData,
    String,
    Table,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError

from projections.transactions import writing

LOCK_NAME = "dutyloop-scheduler"

lease_metadata = MetaData()
leases = Table(
    "scheduler_leases",
    lease_metadata,
    Column("name", String(40), primary_key=True),
    Column("holder", String(120), nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("renewed_at", Float, nullable=False),
)


class LeaderLock(Protocol):
    holder: str

    def try_acquire(self) -> bool:
        """Take the lock, or confirm (and renew) that we still hold it; never blocks."""
        ...

    def release(self) -> None: ...


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def leader_lock(engine: Engine, schema: str = "", ttl: float = 30.0) -> LeaderLock:
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine, schema)
    return LeaseLock(engine, ttl)


class AdvisoryLock:
    def __init__(self, engine: Engine, schema: str = "") -> None:
        self.engine = engine
        self.holder = holder_name()
        digest = hashlib.blake2b(f"{LOCK_NAME}:{schema}".encode(), digest_size=8).digest()
        self.key = int.from_bytes(digest, "big", signed=True)
        """One lock per schema: schedulers of different schemas in one database do not meet."""
        self._conn: Connection | None = None
        self._held = False
        self._mutex = threading.Lock()
        """The heartbeat and a running job both ask; one connection serves one at a time."""

    def try_acquire(self) -> bool:
        with self._mutex:
            return self._try_acquire()

    def _try_acquire(self) -> bool:
        try:
            if self._conn is None:
                self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if self._held:
                self._conn.execute(text("SELECT 1"))
            else:
                self._held = bool(self._conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar())
        except DBAPIError:
            self._drop()
        return self._held

    def release(self) -> None:
        with self._mutex:
            self._release()

    def _release(self) -> None:
        if self._conn is not None and self._held:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            except DBAPIError:
                pass
        self._drop()

    def _drop(self) -> None:
        """A lost session has lost its lock too; forget both."""
        self._held = False
        if self._conn is not None:
            try:
                self._conn.close()
            except DBAPIError:
                pass
            self._conn = None


class LeaseLock:
    def __init__(self, engine: Engine, ttl: float = 30.0) -> None:
        self.engine = engine
        self.ttl = ttl
        self.holder = holder_name()
        self._create_table()

    def _create_table(self) -> None:
        """Begun as a write: a second scheduler starting at the same moment waits for the first
        to make the table, then sees it."""
        lease_metadata.create_all(writing(self.engine))

    def try_acquire(self) -> bool:
        now = time.time()
        try:
            with writing(self.engine).begin() as conn:
                taken = conn.execute(
                    update(leases)
                    .where(leases.c.name == LOCK_NAME, (leases.c.holder == self.holder) | (leases.c.expires_at < now))
                    .values(holder=self.holder, expires_at=now + self.ttl, renewed_at=now)
                ).rowcount
                if taken == 0 and conn.execute(select(leases.c.name).where(leases.c.name == LOCK_NAME)).first() is None:
                    conn.execute(insert(leases).values(name=LOCK_NAME, holder=self.holder, expires_at=now + self.ttl, renewed_at=now))
                    taken = 1
        except (IntegrityError, DBAPIError):
            return False
        return taken == 1

    def release(self) -> None:
        with writing(self.engine).begin() as conn:
            conn.execute(update(leases).where(leases.c.name == LOCK_NAME, leases.c.holder == self.holder).values(expires_at=0.0))
