"""What the read side knows of the event store: where its events and its ledger are, and how the
ledger writes times.

The ledger is written by the event store (dutyloop/eventstore.py) in the same transaction as the
events; the read side uses its recorded times to answer "as of" questions. The trail reads an
event's own fields from the event table by position instead of keeping a copy."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.application import DutyLoop

LEDGER_TABLE = "event_ledger"


def events_table(dialect: str) -> tuple[str, str]:
    """The library's event table and its position column: one shared table on SQLite (positions
    are its rowids), one per application (named after it) on PostgreSQL."""
    if dialect == "sqlite":
        return "stored_events", "rowid"
    return f"{DutyLoop.name.lower()}_events", "notification_id"


def recorded_at_text(moment: datetime) -> str:
    """One fixed text form, for hashing and for comparing times on SQLite."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
