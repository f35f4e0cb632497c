"""The event log as the views read it: pages of stored events straight from the event table.

The library's ``select_notifications`` turns every originator id into a ``UUID`` object, which
the views only turn back into hex: on a rebuild that was two thirds of the time spent reading the
log. Reading the same rows with the same statement (position after ``start``, up to ``stop``, in
order, ``limit`` at a time) through the event store's own connections gives the ids as text
(as SQLite stores them; as hex from PostgreSQL's ``uuid``), in plain tuples. Where the library must decode events itself (the store encrypts or compresses them),
its own read is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.rows import tuple_row


class StoredNotification(NamedTuple):
    """What a view needs of a stored event: its position, its aggregate and its stored bytes."""

    id: int
    originator_id: UUID | str
    originator_version: int
    topic: str
    state: bytes


class LogReader:
    def __init__(self, recorder: ApplicationRecorder, direct: bool) -> None:
        self.recorder = recorder
        self._sql = _statements(recorder) if direct else None

    def page(self, start: int, limit: int, stop: int | None) -> Sequence[Any]:
        """The events after position ``start`` (up to ``stop``), at most ``limit`` of them, read
        through the event store's own connections."""
        if self._sql is None:
            return self.recorder.select_notifications(start=start, limit=limit, stop=stop, inclusive_of_start=False)
        bounded, open_ended = self._sql
        statement, params = (open_ended, (start, limit)) if stop is None else (bounded, (start, stop, limit))
        with self.recorder.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
            if isinstance(self.recorder, PostgresApplicationRecorder):
                # The library makes psycopg return a dictionary per row; a tuple is cheaper.
                cursor.row_factory = tuple_row
            cursor.execute(statement, params)
            rows = cursor.fetchall()
        return [StoredNotification(*row) for row in rows]


def _statements(recorder: ApplicationRecorder) -> tuple[str, str] | None:
    if isinstance(recorder, SQLiteApplicationRecorder):
        columns = f"SELECT rowid AS id, originator_id, originator_version, topic, state FROM {recorder.events_table_name}"
        return (
            f"{columns} WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?",
            f"{columns} WHERE rowid > ? ORDER BY rowid LIMIT ?",
        )
    if isinstance(recorder, PostgresApplicationRecorder):
        table = f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'
        # The id as text without dashes, which is what the views keep: psycopg would make a UUID
        # object of it (reading a page of the log took twice as long).
        columns = (
            "SELECT notification_id AS id, replace(originator_id::text, '-', ''), originator_version, topic, state "
            f"FROM {table}"
        )
        return (
            f"{columns} WHERE notification_id > %s AND notification_id <= %s ORDER BY notification_id LIMIT %s",
            f"{columns} WHERE notification_id > %s ORDER BY notification_id LIMIT %s",
        )
    return None
