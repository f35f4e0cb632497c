"""A person's in-app inbox: their messages, newest first, read or unread.

For the CLI and the web app alike; each call takes a connection (or the engine, for a change)
and plain hex ids, like the read models' queries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, or_, select

from notifications.tables import messages
from projections.transactions import writing
from projections.view import moment

_COLUMNS = (messages.c.message_id, messages.c.kind, messages.c.subject, messages.c.body, messages.c.target_kind,
            messages.c.target_id, messages.c.business_date, messages.c.recorded_at, messages.c.read_at)


class NoSuchMessage(LookupError):
    def __init__(self, ref: str) -> None:
        super().__init__(f"no message {ref!r} in this inbox")
        self.ref = ref

    def message(self, locale: str) -> str:
        return f"no message {self.ref!r} in this inbox" if locale.lower().startswith("en") else f"收件箱中没有消息 {self.ref!r}"


def _mine(person_id: str) -> Any:
    return (messages.c.recipient_kind == "person") & (messages.c.recipient_id == person_id)


def inbox(conn: Connection, person_id: str, unread_only: bool = False, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    query = select(*_COLUMNS).where(_mine(person_id))
    if unread_only:
        query = query.where(messages.c.read_at.is_(None))
    query = query.order_by(messages.c.notification_id.desc(), messages.c.message_id).limit(limit).offset(offset)
    return [{**dict(r), "unread": r.read_at is None} for r in conn.execute(query).mappings()]


def message_count(conn: Connection, person_id: str, unread_only: bool = False) -> int:
    query = select(func.count()).select_from(messages).where(_mine(person_id))
    if unread_only:
        query = query.where(messages.c.read_at.is_(None))
    return int(conn.execute(query).scalar() or 0)


def unread_count(conn: Connection, person_id: str) -> int:
    return message_count(conn, person_id, unread_only=True)


def message(conn: Connection, person_id: str, ref: str) -> dict[str, Any]:
    """One of the person's messages by its id or an unambiguous prefix of it."""
    ref = ref.strip().lower()
    if len(ref) < 4:
        raise NoSuchMessage(ref)
    rows = conn.execute(
        select(*_COLUMNS).where(_mine(person_id), or_(messages.c.message_id == ref, messages.c.message_id.startswith(ref)))
        .limit(2)
    ).mappings().all()
    if len(rows) != 1:
        raise NoSuchMessage(ref)
    return {**dict(rows[0]), "unread": rows[0].read_at is None}


def mark_read(engine: Engine, person_id: str, ref: str, at: datetime) -> dict[str, Any]:
    """Mark one message read (reading it twice keeps the first time); returns it."""
    with engine.connect() as conn:
        found = message(conn, person_id, ref)
    if found["read_at"] is not None:
        return found
    with writing(engine).begin() as conn:
        conn.execute(messages.update().where(messages.c.message_id == found["message_id"], messages.c.read_at.is_(None))
                     .values(read_at=moment(at)))
    with engine.connect() as conn:
        return message(conn, person_id, found["message_id"])


def mark_all_read(engine: Engine, person_id: str, at: datetime) -> int:
    with writing(engine).begin() as conn:
        return conn.execute(messages.update().where(_mine(person_id), messages.c.read_at.is_(None))
                            .values(read_at=moment(at))).rowcount
