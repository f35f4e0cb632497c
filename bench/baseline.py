"""The raw library's own rates, each measured in the same run as the DutyLoop figure it is set
against: saving an aggregate event by event, saving many new aggregates in one call, and reading
and decoding the notification log in pages of 1,000."""

from __future__ import annotations

import sqlite3
import time

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from dutyloop.settings import Settings

READ_PAGE = 1000


class Counter(Aggregate):
    """An aggregate with one small event per change: what the library does with no domain rules."""

    @event("Started")
    def __init__(self) -> None:
        self.count = 0

    @event("Incremented")
    def increment(self, note: str) -> None:
        self.count += 1


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def same_size_raw_application(source: Application, settings: Settings) -> Application:  # type: ignore[type-arg]
    """The plain library writing into a store of the same size as DutyLoop's: saving into an
    empty table is faster than into one of a million events (its indexes are deeper), so an empty
    one would flatter the library. SQLite: a consistent copy of the whole file (the backup API);
    PostgreSQL: the event table's rows into the raw application's, its sequence moved on."""
    if not settings.is_postgres:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source.recorder.datastore.pool.db_name) as from_db, sqlite3.connect(settings.sqlite_path) as to_db:  # type: ignore[attr-defined]
            from_db.backup(to_db)
        return raw_application(settings)
    raw = raw_application(settings)
    events = _qualified(raw)
    with raw.recorder.datastore.transaction(commit=True) as cursor:  # type: ignore[attr-defined]
        cursor.execute(f"INSERT INTO {events} SELECT * FROM {_qualified(source)}")
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{events}', 'notification_id'), "
            f"(SELECT COALESCE(MAX(notification_id), 1) FROM {events}))"
        )
    return raw


def _qualified(app: Application) -> str:  # type: ignore[type-arg]
    recorder = app.recorder
    return f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'  # type: ignore[attr-defined]


def raw_application(settings: Settings) -> Application:  # type: ignore[type-arg]
    """The plain library on the same database engine (its own file or schema), without our ledger."""
    return Application(env=settings.eventsourcing_env() | {"APPLICATION_RECORDER_TOPIC": ""})


def single_save_rate(app: Application, saves: int) -> float:  # type: ignore[type-arg]
    """One event per transaction, as a user's command writes it."""
    counter = Counter()
    app.save(counter)
    began = time.perf_counter()
    for i in range(saves):
        counter.increment(note=f"n{i}")
        app.save(counter)
    return rate(saves, time.perf_counter() - began)


def batched_save_rate(app: Application, saves: int, per_save: int) -> float:  # type: ignore[type-arg]
    """Events per second when ``per_save`` new aggregates go in one transaction (an import)."""
    began = time.perf_counter()
    for _ in range(saves):
        app.save(*(Counter() for _ in range(per_save)))
    return rate(saves * per_save, time.perf_counter() - began)


def read_decode_rate(app: Application) -> tuple[int, float]:  # type: ignore[type-arg]
    """The library reading its notification log in pages and decoding every event: (events, rate)."""
    began = time.perf_counter()
    read = 0
    position = 0
    while True:
        page = app.recorder.select_notifications(start=position, limit=READ_PAGE, inclusive_of_start=False)
        if not page:
            break
        for notification in page:
            app.mapper.to_domain_event(notification)
        read += len(page)
        position = page[-1].id
    return read, rate(read, time.perf_counter() - began)
