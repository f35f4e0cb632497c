"""What the read side knows of the event store's ledger: its table and how it writes times.

The ledger is written by the event store (dutyloop/eventstore.py) in the same transaction as the
events; the read side uses its recorded times to answer "as of" questions."""

from __future__ import annotations

from datetime import UTC, datetime

LEDGER_TABLE = "event_ledger"


def recorded_at_text(moment: datetime) -> str:
    """One fixed text form, for hashing and for comparing times on SQLite."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
