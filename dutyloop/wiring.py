"""Builds the running system from settings: the event-sourced application, the SQLAlchemy engine
for the read models on the same database, and the projection runner that keeps them current."""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from eventsourcing.persistence import PersistenceError
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError

from domain.application import DutyLoop
from domain.clock import Clock, SystemClock
from dutyloop.private_files import open_private, private_dir, private_file
from dutyloop.settings import Settings
from projections.runner import VIEW_CLASSES, ProjectionRunner
from projections.transactions import begin_as_asked, is_busy
from projections.turns import FileTurns, OwnTurns, WriteTurns

log = logging.getLogger(__name__)


@dataclass
class System:
    settings: Settings
    clock: Clock
    app: DutyLoop
    engine: Engine
    views: ProjectionRunner

    def catch_up(self) -> int:
        """Bring every view up to the end of the log, so a query sees the command just run. When
        the database is too busy to take the views' write in time, they stay a moment behind and
        the next catch-up brings them up: a command already recorded is never reported as failed
        because its views could not follow at once (the log, not the views, is the record)."""
        try:
            return self.views.catch_up()
        except (DBAPIError, PersistenceError) as error:
            if not is_busy(error):
                raise
            log.warning("views not caught up: the database was busy")
            return 0

    def close(self) -> None:
        self.app.close()
        self.engine.dispose()


QUERY_PAGE_CACHE_MIB = 64
"""SQLite's page cache per connection where views are queried: their indexes stay in memory at
province scale."""
REBUILD_PAGE_CACHE_MIB = 16
"""A rebuild worker writes and reads little back: with the query-sized cache its memory rose by
the cache as the tables grew; with this one it stays flat, at the same speed (measured at 1M)."""
DEFAULT_CHECKPOINT_PAGES = 1000
"""SQLite's own: the write-ahead log is copied into the database once it holds this many pages."""
REBUILD_BATCH_SIZE = 20_000
"""Events per transaction in a rebuild's workers: a task's few events mostly fall in one batch, so
its row is written once instead of two or three times (task board and points at 1M events:
26.6 → 24.2 s); a catch-up after a command keeps the runner's default."""
REBUILD_CHECKPOINT_PAGES = 50_000
"""A rebuild worker commits megabytes per batch: with SQLite's default every commit also copied
the log into the database; at 200 MB the pages a replay writes again and again (a task's row,
a branch's points) are copied once per checkpoint, not once per batch — commit time of the task
board at 1M events 3.7 → 1.0 s, of the points 3.4 → 1.9 s (4 MB → 40 MB); of the trail 2.5 → 1.4 s
(40 → 200 MB)."""


def make_engine(
    settings: Settings, page_cache_mib: int = QUERY_PAGE_CACHE_MIB, checkpoint_pages: int = DEFAULT_CHECKPOINT_PAGES
) -> Engine:
    if not settings.is_postgres:
        engine = create_engine(settings.sqlalchemy_url(), connect_args={"timeout": settings.lock_timeout})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            # SQLAlchemy emits BEGIN (see begin_as_asked), not pysqlite.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # Views are rebuildable and commit their rows with their log position: in WAL mode a
            # power cut can lose the last commits, never mix them, so skip the fsync per commit.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA cache_size=-{page_cache_mib * 1024}")
            cursor.execute(f"PRAGMA wal_autocheckpoint={checkpoint_pages}")
            # Debian builds SQLite to zero every deleted row and write every freed page back: emptying
            # the views before a rebuild wrote 800 MB at 1M events (3.4 s; 0.45 s without). A view
            # row holds nothing that is not in the event log, which is never deleted from.
            cursor.execute("PRAGMA secure_delete=OFF")
            cursor.close()

        begin_as_asked(engine)
        return engine
    connect_args = {}
    if settings.postgres_schema:
        connect_args["options"] = f"-csearch_path={settings.postgres_schema}"
    return create_engine(settings.sqlalchemy_url(), connect_args=connect_args, pool_pre_ping=True)


def open_system(settings: Settings | None = None, clock: Clock | None = None) -> System:
    settings = settings or Settings.from_env()
    clock = clock or SystemClock(settings.timezone)
    if not settings.is_postgres:
        private_file(private_dir(settings.data_dir) / settings.sqlite_path.name)
    engine = make_engine(settings)
    with _one_setting_up(engine, settings):
        if settings.is_postgres and settings.postgres_schema:
            with engine.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{settings.postgres_schema}"'))
        app = DutyLoop(env=settings.eventsourcing_env(), clock=clock)
        views = ProjectionRunner(engine, app, events_beside=True)
        views.create_tables()
    return System(settings=settings, clock=clock, app=app, engine=engine, views=views)


def open_view_runner(settings: Settings, clock: Clock, names: list[str]) -> System:
    """A system whose runner keeps only the named views, for a worker of a parallel rebuild. It
    sets nothing up: the parent did, and dropped the views' indexes, which must stay dropped."""
    engine = make_engine(settings, REBUILD_PAGE_CACHE_MIB, REBUILD_CHECKPOINT_PAGES)
    with _one_setting_up(engine, settings):
        app = DutyLoop(env=settings.eventsourcing_env(), clock=clock)
    views = ProjectionRunner(
        engine, app, REBUILD_BATCH_SIZE, [cls for cls in VIEW_CLASSES if cls.name in names], _write_turns(settings),
        events_beside=True,
    )
    return System(settings=settings, clock=clock, app=app, engine=engine, views=views)


def _write_turns(settings: Settings) -> WriteTurns:
    """A rebuild's workers on SQLite take turns through a file lock beside the database."""
    if settings.is_postgres:
        return OwnTurns()
    return FileTurns(settings.data_dir / "dutyloop.db.rebuild-lock")


@contextmanager
def _one_setting_up(engine: Engine, settings: Settings) -> Iterator[None]:
    """Processes started together (web workers, the scheduler, runners) would race each other's
    ``CREATE … IF NOT EXISTS`` and fail — on SQLite a transaction that read the schema cannot then
    write once another wrote first; one sets up at a time: a session advisory lock on PostgreSQL,
    a lock on a file beside the database on SQLite."""
    if not settings.is_postgres:
        with open_private(settings.data_dir / "dutyloop.db.setup-lock", append=True) as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)
        return
    key = {"key": f"dutyloop-setup:{settings.postgres_schema}"}
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(hashtext(:key))"), key)
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(hashtext(:key))"), key)
            conn.commit()
