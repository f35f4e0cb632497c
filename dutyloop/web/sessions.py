"""Open sessions, kept on the server so that they can be ended.

The signed cookie names a session by a random id; a request is logged in only while that
session is open here. Logging out ends it (a copied cookie is then refused), and a password
change or the removal of the account ends every session of the person (``accounts.py`` does that
in the same transaction). Sessions expire after ``SESSION_HOURS`` as the cookie does.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert, select

from dutyloop.web.tables import sessions
from dutyloop.web.tokens import digest
from projections.transactions import writing

SESSION_HOURS = 12


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Sessions:
    def __init__(self, engine: Engine, now: Callable[[], datetime] = _utc_now) -> None:
        self.engine = engine
        self.now = now

    def start(self, person_id: str) -> str:
        """A new session's id, for the cookie; sessions long expired are cleared on the way."""
        session_id = secrets.token_urlsafe(32)
        now = self.now()
        with writing(self.engine).begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.expires_at < now.isoformat()))
            conn.execute(insert(sessions).values(
                session_hash=digest(session_id), person_id=person_id, started_at=now.isoformat(),
                expires_at=(now + timedelta(hours=SESSION_HOURS)).isoformat(),
            ))
        return session_id

    def is_open(self, session_id: str, person_id: str) -> bool:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(sessions.c.person_id, sessions.c.expires_at).where(sessions.c.session_hash == digest(session_id))
            ).first()
        return row is not None and row.person_id == person_id and row.expires_at > self.now().isoformat()

    def end(self, session_id: str) -> None:
        with writing(self.engine).begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.session_hash == digest(session_id)))
