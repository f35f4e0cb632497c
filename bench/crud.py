"""The workflow as a competent engineer would write it without events: a tasks table changed in
place and an audit table with a row per change, in SQLAlchemy, indexed for the same questions and
loaded in batches. The bench sets DutyLoop's figures against this peer's, measured in the same run
on the same data: the tasks and the trail DutyLoop's views hold at that moment.

It answers what DutyLoop's pages ask: a command (one transaction: read the task, check who and
what state, change it, add the audit row), a supervisor's trail, a secretary's warnings (the same
working-day classification), and what the history takes on disk.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger, Column, Connection, Engine, Index, Integer, MetaData, String, Table, Text, func, insert, select, text,
)

from projections.deadline_queries import _horizon, calendar_known, classify, thresholds_in_force
from projections.tables import tasks, trail
from projections.task_queries import OPEN_TASK

LOAD_ROWS = 5000
"""Rows per INSERT while loading the peer."""

peer = MetaData()
crud_tasks = Table(
    "crud_tasks",
    peer,
    Column("task_id", String(36), primary_key=True),
    Column("title", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("org_id", String(36), nullable=False),
    Column("owner_id", String(36), nullable=False),
    Column("deadline", String(10), nullable=False),
    Column("last_progress_on", String(10)),
    Column("version", Integer, nullable=False),
    Column("updated_at", String(32), nullable=False),
)
Index("ix_crud_tasks_owner_status", crud_tasks.c.owner_id, crud_tasks.c.status)
Index("ix_crud_tasks_org_status", crud_tasks.c.org_id, crud_tasks.c.status)
Index("ix_crud_tasks_status_deadline", crud_tasks.c.status, crud_tasks.c.deadline)
crud_audit = Table(
    "crud_audit",
    peer,
    Column("audit_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("actor", String(36), nullable=False),
    Column("action", String(60), nullable=False),
    Column("entity_id", String(36), nullable=False),
    Column("org_id", String(36)),
    Column("detail", Text, nullable=False),
)
Index("ix_crud_audit_actor", crud_audit.c.actor, crud_audit.c.audit_id)
Index("ix_crud_audit_entity", crud_audit.c.entity_id)
Index("ix_crud_audit_org", crud_audit.c.org_id, crud_audit.c.audit_id)


class Refused(Exception):
    """The peer's own domain check failed (wrong person or state)."""


@dataclass
class CrudPeer:
    engine: Engine

    def load_from(self, views: Engine) -> None:
        """The tasks and the trail as DutyLoop's views hold them now, in batches."""
        peer.create_all(self.engine)
        with views.connect() as source, self.engine.begin() as target:
            columns = [tasks.c[c.name] for c in crud_tasks.columns]
            for chunk in _chunks(source.execute(select(*columns))):
                target.execute(insert(crud_tasks), [dict(r._mapping) for r in chunk])
            audit = select(trail.c.recorded_at, trail.c.actor, trail.c.event_type, trail.c.entity_id, trail.c.org_id)
            for chunk in _chunks(source.execute(audit.order_by(trail.c.notification_id))):
                target.execute(insert(crud_audit), [
                    {"at": r.recorded_at, "actor": r.actor, "action": r.event_type, "entity_id": r.entity_id,
                     "org_id": r.org_id, "detail": "{}"}
                    for r in chunk
                ])

    def report_progress(self, actor: UUID, task_id: UUID, note: str) -> None:
        """What DutyLoop's report_task_progress does, done in place with its audit row."""
        now = datetime.now(UTC).isoformat()
        with self.engine.begin() as conn:
            row = conn.execute(
                select(crud_tasks.c.owner_id, crud_tasks.c.status, crud_tasks.c.version, crud_tasks.c.org_id)
                .where(crud_tasks.c.task_id == task_id.hex)
            ).first()
            if row is None or row.owner_id != actor.hex or row.status not in ("signed", "in_progress"):
                raise Refused(task_id.hex)
            moved = conn.execute(
                crud_tasks.update()
                .where(crud_tasks.c.task_id == task_id.hex, crud_tasks.c.version == row.version)
                .values(status="in_progress", version=row.version + 1, last_progress_on=now[:10], updated_at=now)
            )
            if moved.rowcount != 1:
                raise Refused(task_id.hex)
            conn.execute(insert(crud_audit).values(
                at=now, actor=actor.hex, action="TaskProgressReported", entity_id=task_id.hex, org_id=row.org_id,
                detail=json.dumps({"note": note}, ensure_ascii=False),
            ))

    def trail(self, conn: Connection, actor: str, limit: int = 500) -> list[Any]:
        return conn.execute(
            select(crud_audit).where(crud_audit.c.actor == actor).order_by(crud_audit.c.audit_id.desc()).limit(limit)
        ).all()

    def warnings(self, conn: Connection, views: Connection, today: date, owner: str) -> list[dict[str, Any]]:
        """A secretary's unfinished tasks due soon or overdue, with the same working-day rules
        (read from DutyLoop's calendar, as the peer would keep its own)."""
        calendar, limits = calendar_known(views), thresholds_in_force(views)
        horizon = _horizon(calendar, today, limits).isoformat()
        rows = conn.execute(
            select(crud_tasks).where(
                crud_tasks.c.owner_id == owner, crud_tasks.c.status.in_(OPEN_TASK), crud_tasks.c.deadline <= horizon,
            ).order_by(crud_tasks.c.deadline)
        ).mappings()
        found = []
        for row in rows:
            level, left = classify(calendar, today, date.fromisoformat(row["deadline"]), limits)
            if level is not None:
                found.append({**row, "level": level, "working_days_left": left})
        return found

    def bytes_on_disk(self) -> int:
        return storage_bytes(self.engine, [t.name for t in peer.sorted_tables])


def storage_bytes(engine: Engine, tables: list[str] | None = None) -> int:
    """SQLite: the database file and its write-ahead log; PostgreSQL: the tables named (all of the
    schema when none are), with their indexes and TOAST."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar() or 0
            size = conn.exec_driver_sql("PRAGMA page_size").scalar() or 0
        return int(pages) * int(size)
    with engine.connect() as conn:
        if tables is None:
            tables = list(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
        return int(sum(conn.execute(select(func.pg_total_relation_size(name))).scalar() or 0 for name in tables))


def _chunks(result: Any) -> Iterator[list[Any]]:
    while chunk := result.fetchmany(LOAD_ROWS):
        yield chunk
