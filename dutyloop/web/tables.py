"""Tables the web keeps beside the events, on the same database: login accounts and the open
sessions. Passwords and sessions are credentials, not facts of the domain, so they never enter
the (unalterable) event log. The key that signs session cookies is not here (see
``dutyloop/web/session_key.py``)."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, Text

metadata = MetaData()

accounts = Table(
    "web_accounts",
    metadata,
    Column("person_id", String(32), primary_key=True),
    Column("staff_no", Text, nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    # Raised by each password change; sessions carry it, so a change ends older sessions.
    Column("revision", Integer, nullable=False),
    Column("updated_at", String(32), nullable=False),
    # Consecutive wrong passwords, and until when the account refuses every password after too many.
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", String(32)),
)

sessions = Table(
    "web_sessions",
    metadata,
    # Only a hash of the session's id, which the signed cookie carries: whoever reads this table
    # (or a backup) learns no session to present.
    Column("session_hash", String(64), primary_key=True),
    Column("person_id", String(32), nullable=False, index=True),
    Column("started_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
)
