"""Follows the event store's notification log and keeps every view current, exactly once.

Each batch of events is read and decoded once, applied to every view that has not yet seen it,
and committed in one transaction together with each view's new position. The views' rows are read
and changed in memory first, without holding the database's write lock; then the runner takes the
lock on its own views' positions and re-reads them: if another runner moved them since they were
read, it drops the batch and reads again, so two runners can never apply the same event twice,
and a position only moves forward. Killed at any point, the transaction rolls back and a restart
continues from the committed positions.

Because the lock is held only while the rows are written, runners over different views proceed
side by side: ``dutyloop rebuild`` splits the views among worker processes that way.

No event can stop every view: when a batch fails for a reason of its own (a value the database
refuses, a handler's error; not the database being busy, gone or without a table), each view is
caught up alone, in ever smaller batches, down to the one event it cannot apply. That view is
held just before it and the failure recorded (``projection_failures``, shown by ``dutyloop
status`` and the audit page); the other views, the pages that read them and the commands whose
events were recorded go on. A held view stays so until it is rebuilt. A view that acts on events
rather than shows them (the notifier's outbox, ``View.skips_failed_events``) passes such an event
by instead, recorded the same way.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from eventsourcing.application import Application
from sqlalchemy import Connection, Engine, create_engine, delete, inspect, select, text
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, SQLAlchemyError, StatementError
from sqlalchemy.pool import StaticPool

from projections.batch import Batch
from projections.calendar import CalendarView
from projections.chains import ChainsView
from projections.directory import DirectoryView
from projections.facts import FactReader
from projections.ledger import LEDGER_TABLE, recorded_at_text
from projections.log import LogReader
from projections.points import PointsView
from projections.reminders import RemindersView
from projections.reviews import ReviewsView
from projections.search import SearchView
from projections.tables import positions, view_failures
from projections.taskboard import TaskBoardView
from projections.trail import EVENT_STATES, TrailView, stored_states
from projections.transactions import writing
from projections.turns import OwnTurns, WriteTurns
from projections.view import Fills, View, moment

VIEW_CLASSES: tuple[type[View], ...] = (
    DirectoryView,
    TaskBoardView,
    ChainsView,
    TrailView,
    RemindersView,
    CalendarView,
    PointsView, ReviewsView,
    SearchView,
)
VIEW_NAMES = tuple(v.name for v in VIEW_CLASSES)
BATCH_SIZE = 5000
FILL_FROM = 1000
"""Events in a batch's first page from which views that the database can fill are filled by it
(a rebuild, a long catch-up); fewer (a command's few events) go through their handlers, which is
quicker than the statements' fixed cost. Both give the same rows."""
SPARSE_SHARE = 4
"""A page of which fewer than one event in this many has a handler (the views the trail's worker
keeps while the database fills the trail: one event in fifty) is followed by pages read without
the stored states of the events no view handles."""
PAGES_WHILE_WAITING = 4
"""Pages a runner reads into one batch while another has the write turn, before it waits."""
ROW_CACHE_LIMIT = 50_000
"""Rows kept between batches: beyond this the oldest are forgotten (memory stays bounded while the
rows recent events touched, which the next events most likely touch again, stay at hand)."""

Route = tuple[tuple[int, Callable[..., None], Callable[[Any], Iterable[Any]] | None], ...]

Progress = Callable[[int, int], None]
"""Called after each committed batch with (events applied so far, position reached)."""


@dataclass(frozen=True)
class ViewStatus:
    """``failed_event``: the position of the event the view could not apply (it stands just
    before it, or passed it by where ``skipped``), with that event's type and the error;
    ``None`` while the view is well."""

    name: str
    position: int
    lag: int
    updated_at: str
    failed_event: int | None = None
    failed_event_type: str = ""
    failure: str = ""
    skipped: bool = False


class ProjectionRunner:
    """Keeps a set of views current. The read models are one set; a follower with work of its own
    (the notifier's outbox) runs another runner over its own views, with positions of its own, so
    rebuilding the read models never replays it."""

    def __init__(
        self,
        engine: Engine,
        app: Application[Any],
        batch_size: int = BATCH_SIZE,
        view_classes: Sequence[type[View]] = VIEW_CLASSES,
        turns: WriteTurns | None = None,
        events_beside: bool = False,
        isolate: bool = True,
        views: Sequence[View] | None = None,
    ) -> None:
        """``turns``: how this runner takes turns with others that write beside it (a rebuild's
        workers on SQLite); alone by default. ``events_beside``: the application's event table
        is in ``engine``'s database (the live views; not a private copy), so views that can have
        the database fill their rows from it do. ``isolate``: a failing event holds only the views
        it fails (see the module's docstring); off for the runner that isolates them. ``views``:
        instances to keep instead of making them from ``view_classes`` (one bound to what it needs,
        as the notifier's outbox is)."""
        self.engine = engine
        self.events_beside = events_beside
        self.isolate = isolate
        self.app = app
        self.batch_size = batch_size
        self.turns: WriteTurns = turns or OwnTurns()
        self.view_classes = tuple(view_classes)
        self.views: list[View] = list(views) if views is not None else [cls() for cls in self.view_classes]
        self.names = tuple(view.name for view in self.views)
        self.facts = FactReader(app.mapper)
        self.log = LogReader(app.recorder, direct=self.facts.fast)
        self.filled: dict[int, Fills] = {
            i: view for i, view in enumerate(self.views) if isinstance(view, Fills) and events_beside and self.facts.fast
        }
        self._routes: dict[tuple[str, bool], Route] = {}
        self._topic_routes: dict[tuple[str, bool], Route] = {}
        self._sparse = False
        """The last page was filled by the database and few of its events had a handler: the next
        is read with the stored states of those events only."""
        self._known_rows: dict[Any, Any] | None = None
        self._known_at: dict[str, int] | None = None
        self._held: frozenset[str] = frozenset()
        """Views held before an event they could not apply: no handler of theirs runs."""
        self._filling: dict[int, Fills] = dict(self.filled)

    def create_tables(self) -> None:
        """Create what is missing, including indexes a killed rebuild left dropped or an upgrade
        added, and drop the indexes an upgrade replaced."""
        self._drop_reshaped()
        tables = [positions, view_failures, *(table for view in self.views for table in view.tables)]
        for schema in {table.metadata for table in tables}:
            schema.create_all(writing(self.engine), tables=[t for t in tables if t.metadata is schema])
        with writing(self.engine).begin() as conn:
            _drop_retired_indexes(conn, tables)
            for table in tables:
                for index in table.indexes:
                    index.create(conn, checkfirst=True)
            known = {r[0] for r in conn.execute(select(positions.c.name))}
            for view in self.views:
                if view.name not in known:
                    conn.execute(positions.insert().values(name=view.name, position=0, updated_at=_now()))

    def _drop_reshaped(self) -> None:
        """A view whose tables an upgrade changed (a column added or dropped, a table added)
        starts again from the beginning of the log: its rows are derived from the events, so they
        are replayed rather than migrated. Its tables are dropped here and its position set back
        to the start."""
        with writing(self.engine).begin() as conn:
            # One query for every table's columns (one per table on PostgreSQL would slow each start).
            columns = {name: {c["name"] for c in found} for (_, name), found in inspect(conn).get_multi_columns().items()}
            present = set(columns)
            reshaped = [
                view for view in self.views
                if any(table.name in columns for table in view.tables)
                and any(columns.get(table.name) != {c.name for c in table.columns} for table in view.tables)
            ]
            for view in reshaped:
                for table in view.tables:
                    table.drop(conn, checkfirst=True)
                if positions.name in present:
                    conn.execute(positions.update().where(positions.c.name == view.name).values(position=0, updated_at=_now()))

    def select(self, names: Sequence[str] | None) -> list[View]:
        """The views named (all when none are), refusing names that are not views."""
        if not names:
            return self.views
        unknown = set(names) - set(self.names)
        if unknown:
            raise ValueError(f"unknown view(s): {', '.join(sorted(unknown))}; views are: {', '.join(self.names)}")
        return [v for v in self.views if v.name in names]

    def positions(self, conn: Connection | None = None) -> dict[str, int]:
        if conn is None:
            with self.engine.connect() as own:
                return self.positions(own)
        return {r.name: r.position for r in conn.execute(select(positions.c.name, positions.c.position))}

    def head(self) -> int:
        return self.app.recorder.max_notification_id() or 0

    def catch_up(self, stop: int | None = None, progress: Progress | None = None) -> int:
        """Apply every event not yet applied (up to ``stop``); returns how many were read. A page
        shorter than a batch reached the end of the log: the catch-up after a command reads the
        positions once and the log twice (its events, then nothing more), not the positions again."""
        applied = 0
        while True:
            with self.engine.connect() as conn:
                known = self.positions(conn)
                self._hold(frozenset(conn.execute(select(view_failures.c.name).where(~view_failures.c.skipped)).scalars()))
            working = [name for name in self.names if name not in self._held]
            if not working:
                return applied
            start = min(known[name] for name in working)
            if stop is not None and start >= stop:
                return applied
            try:
                outcome = self._apply(start, stop, known)
            except Exception as error:
                if not self.isolate or not _caused_by_an_event(error):
                    raise
                applied += self._isolate(working, stop)
                continue
            if outcome is None:
                continue
            read, last, more = outcome
            if read:
                applied += read
                if progress is not None:
                    progress(applied, last)
            if not more:
                return applied

    def _hold(self, held: frozenset[str]) -> None:
        held &= set(self.names)
        if held == self._held:
            return
        self._held = held
        self._routes.clear()
        self._topic_routes.clear()
        self._filling = {i: view for i, view in self.filled.items() if self.views[i].name not in self._held}

    def _isolate(self, names: Sequence[str], stop: int | None) -> int:
        """A batch failed: catch each view up alone, in batches ever smaller where it fails, and
        hold the one that fails on a single event just before it, or pass that event by where
        the view ``skips_failed_events`` (recording why either way). Returns the most events one
        of them read."""
        read = 0
        for view in self.views:
            if view.name not in names:
                continue
            began = self.positions()[view.name]
            size = self.batch_size
            while True:
                alone = ProjectionRunner(
                    self.engine, self.app, size, [type(view)], self.turns, self.events_beside, isolate=False, views=[view]
                )
                try:
                    alone.catch_up(stop=stop)
                    break
                except Exception as error:
                    if not _caused_by_an_event(error):
                        raise
                    if size > 1:
                        size = max(1, size // 16)
                        continue
                    at = alone.positions()[view.name]
                    self._record_failure(view, at, error)
                    if not view.skips_failed_events or alone.positions()[view.name] == at:
                        break
                    size = self.batch_size
            read = max(read, alone.positions()[view.name] - began)
        self._known_rows = self._known_at = None
        return read

    def _record_failure(self, view: View, position: int, error: Exception) -> None:
        """Keep why ``view`` could not apply the event after ``position``; a view that skips
        such events moves past it in the same transaction."""
        failing = self.log.page(position, 1, None)
        nid, topic = (failing[0].id, failing[0].topic) if failing else (position + 1, "")
        first_line = next(iter(str(error).strip().splitlines()), "")
        values = {
            "position": nid, "event_type": self.facts.event_type(topic) if topic else "",
            "error": f"{type(error).__name__}: {first_line}"[:2000], "failed_at": _now(), "skipped": view.skips_failed_events,
        }
        with writing(self.engine).begin() as conn:
            self._lock_positions(conn)
            moved = conn.execute(view_failures.update().where(view_failures.c.name == view.name).values(**values))
            if moved.rowcount == 0:
                conn.execute(view_failures.insert().values(name=view.name, **values))
            if view.skips_failed_events:
                conn.execute(
                    positions.update().where(positions.c.name == view.name, positions.c.position == position)
                    .values(position=nid, updated_at=_now())
                )

    def _route(self, name: str, filling: bool) -> Route:
        """The views that handle events of this name, each with its handler and the rows it wants
        fetched first; worked out once per name."""
        route = self._routes.get((name, filling))
        if route is None:
            route = self._routes[name, filling] = tuple(
                (i, handler, view.wants if type(view).wants is not View.wants else None)
                for i, view in enumerate(self.views)
                if view.name not in self._held
                and (handler := self.filled[i].handler_while_filling(name) if filling and i in self.filled else view.handler(name))
                is not None
            )
        return route

    def _topic_route(self, topic: str, filling: bool) -> Route:
        route = self._topic_routes.get((topic, filling))
        if route is None:
            route = self._topic_routes[topic, filling] = self._route(self.facts.event_type(topic), filling)
        return route

    def _apply(self, start: int, stop: int | None, expected: dict[str, int]) -> tuple[int, int, bool] | None:
        """(events read, position reached, whether the log may hold more), or None when another
        runner moved the views first.
        Rows read by the previous batch are reused when the views still stand where that batch
        left them (nobody else wrote in between; views are deterministic, so equal positions mean
        equal rows). A dropped batch or any failure forgets them: they may hold changes that were
        never committed."""
        try:
            outcome = self._apply_batch(start, stop, expected)
        except BaseException:
            self._known_rows = self._known_at = None
            raise
        if outcome is None:
            self._known_rows = self._known_at = None
        return outcome

    def _apply_batch(self, start: int, stop: int | None, expected: dict[str, int]) -> tuple[int, int, bool] | None:
        """Pages of the log applied to one batch of rows, then written in one transaction. While
        another runner has the write turn, the next page is read into the same batch instead of
        waiting (up to ``PAGES_WHILE_WAITING``)."""
        starts = [expected[view.name] for view in self.views]
        with self.engine.connect() as conn:
            reuse = self._known_rows is not None and self._known_at == {n: expected[n] for n in self.names}
            batch = Batch(conn, self._known_rows if reuse else None)
            read, last, pages = 0, start, 0
            filling: bool | None = None
            try:
                while True:
                    sparse = self._sparse
                    notifications = self.log.page(last, self.batch_size, stop, self._is_routed if sparse else None)
                    if not notifications and not read:
                        return 0, start, False
                    if filling is None:
                        filling = bool(self._filling) and len(notifications) >= FILL_FROM
                        if sparse and not filling:
                            # Every event goes through the handlers after all: they need its state.
                            notifications = self.log.page(last, self.batch_size, stop)
                    if notifications:
                        read += len(notifications)
                        first, last = last, notifications[-1].id
                        pages += 1
                        routed = self._compute(batch, notifications, starts, filling)
                        self._sparse = bool(filling) and routed * SPARSE_SHARE < len(notifications)
                        for i, filled in self._filling.items() if filling else ():
                            if last > starts[i]:
                                filled.stage(conn, max(first, starts[i]), last)
                        # Ends the read (and keeps what was staged: nothing in the views is written).
                        conn.commit()
                    at_end = len(notifications) < self.batch_size
                    if self.turns.take(wait=at_end or pages >= PAGES_WHILE_WAITING):
                        break
                with conn.begin() as transaction:
                    if not self._move_positions(conn, expected, last):
                        transaction.rollback()
                        return None
                    batch.flush()
                    for i, filled in self._filling.items() if filling else ():
                        if last > starts[i]:
                            filled.fill(conn, starts[i], last)
            finally:
                self.turns.give()
        batch.trim(ROW_CACHE_LIMIT)
        self._known_rows = batch.rows
        self._known_at = {name: expected[name] if name in self._held else max(expected[name], last) for name in self.names}
        return read, last, not at_end

    def _is_routed(self, topic: str) -> bool:
        """Whether some view handles events of this topic in a batch the database fills."""
        return bool(self._topic_route(topic, True))

    def _compute(self, batch: Batch, notifications: Sequence[Any], starts: list[int], filling: bool) -> int:
        """Decode a page (events no view handles are not) and apply it to the batch's rows, each
        event only to the views that have not yet seen it (views the database fills: only to the
        handlers they need while filling); returns how many of the page's events some view handled."""
        decoded = [
            (n.id, self.facts.read(n), route) for n in notifications if (route := self._topic_route(n.topic, filling))
        ]
        # Rows keyed by an aggregate that this batch creates are made by the batch's own
        # handlers: asking the database for them finds nothing (most of a rebuild's look-ups).
        born = {(event.originator_id,) for _, event, _ in decoded if event.originator_version == 1}
        batch.prefetch(
            wanted
            for nid, event, route in decoded
            for i, _, wants in route
            if wants is not None and nid > starts[i]
            for wanted in wants(event)
            if wanted[1] not in born
        )
        for nid, event, route in decoded:
            for i, handler, _ in route:
                if nid > starts[i]:
                    handler(batch, nid, event)
        return len(decoded)

    def _move_positions(self, conn: Connection, expected: dict[str, int], last: int) -> bool:
        """Move the views behind ``last`` (and not held) to it, only where they still stand as
        read: the first write of the transaction, so it also takes the lock (SQLite's one writer;
        on PostgreSQL this runner's own position rows, so runners over other views go on). False
        when another runner moved one first. One prebuilt statement per starting position (after
        a command, one for all views) instead of a lock statement and an UPDATE built per view."""
        behind: dict[int, list[str]] = {}
        for name in self.names:
            if last > expected[name] and name not in self._held:
                behind.setdefault(expected[name], []).append(name)
        stamp = _now()
        for start, names in behind.items():
            moved = conn.exec_driver_sql(_move_sql(conn.dialect.name, len(names)), (last, stamp, start, *names))
            if moved.rowcount != len(names):
                return False
        return True

    def _lock_positions(self, conn: Connection) -> dict[str, int]:
        """Take the write lock first, then read: SQLite by writing (one writer at a time),
        PostgreSQL by locking this runner's own position rows (runners over other views go on)."""
        if conn.dialect.name == "sqlite":
            conn.execute(positions.update().where(positions.c.name == "").values(position=0))
            return self.positions(conn)
        rows = conn.execute(
            select(positions.c.name, positions.c.position).where(positions.c.name.in_(self.names)).with_for_update()
        )
        return {r.name: r.position for r in rows}

    def reset(self, names: Sequence[str] | None = None) -> list[View]:
        """Empty the chosen views and set them back to the start of the log. Their indexes are
        dropped too (a rebuild writes faster without them); ``restore_indexes`` puts them back."""
        chosen = self.select(names)
        with writing(self.engine).begin() as conn:
            self._lock_positions(conn)
            tables = [table for view in chosen for table in view.tables]
            if conn.dialect.name == "postgresql":
                # DELETE would leave every row behind as a dead tuple: the replay's rows would go
                # after them and the vacuum after the rebuild would have to clear them all.
                conn.exec_driver_sql(f"TRUNCATE {', '.join(table.name for table in tables)}")
            else:
                # SQLite empties a table deleted from without a condition page by page, as fast.
                for table in tables:
                    conn.execute(table.delete())
            for view in chosen:
                conn.execute(positions.update().where(positions.c.name == view.name).values(position=0, updated_at=_now()))
            conn.execute(delete(view_failures).where(view_failures.c.name.in_([view.name for view in chosen])))
            for index in _indexes(chosen):
                index.drop(conn, checkfirst=True)
        self._known_rows = self._known_at = None
        return chosen

    def restore_indexes(self, views: Sequence[View]) -> None:
        """Put back the views' indexes, each in a transaction and a write turn of its own: on
        SQLite building an index holds the database's only write lock, and the trail's four in one
        transaction kept the other worker of a rebuild from writing for four seconds. A table that
        is missing gets its indexes with the table, from ``create_tables``."""
        present = set(inspect(self.engine).get_table_names())
        for index in _indexes(views):
            if index.table is None or index.table.name not in present:
                continue
            self.turns.take(wait=True)
            try:
                with writing(self.engine).begin() as conn:
                    # The lock first: on SQLite a transaction that has read cannot then write once
                    # another process (a worker of the same rebuild) has written.
                    self._lock_positions(conn)
                    index.create(conn, checkfirst=True)
            finally:
                self.turns.give(to_waiting=True)

    def refresh_statistics(self, views: Sequence[View]) -> None:
        """After a rebuild, on PostgreSQL: tables just filled have no planner statistics and no
        visibility map, so queries read the table instead of their covering indexes (the board's
        p95 was 52 ms at 1M events, a secretary's page 77 ms). VACUUM (ANALYZE) gives both.
        SQLite plans these queries well without statistics."""
        if self.engine.dialect.name != "postgresql":
            return
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            present = set(inspect(conn).get_table_names())
            for table in (table for view in views for table in view.tables):
                if table.name in present:
                    conn.exec_driver_sql(f"VACUUM (ANALYZE) {table.name}")

    def rebuild(self, names: Sequence[str] | None = None, progress: Progress | None = None) -> tuple[int, float]:
        """Drop the views' rows and replay the whole log; returns (events read, seconds)."""
        began = time.perf_counter()
        chosen = self.reset(names)
        try:
            count = self.catch_up(progress=progress)
        finally:
            self.restore_indexes(chosen)
        self.refresh_statistics(chosen)
        return count, time.perf_counter() - began

    def status(self) -> list[ViewStatus]:
        head = self.head()
        with self.engine.connect() as conn:
            rows = conn.execute(select(positions).where(positions.c.name.in_(self.names))).mappings().all()
            failed = {
                f.name: f for f in conn.execute(select(view_failures).where(view_failures.c.name.in_(self.names)))
            }
        order = {name: i for i, name in enumerate(self.names)}
        return sorted(
            (
                ViewStatus(
                    r["name"], r["position"], max(head - r["position"], 0), r["updated_at"],
                    *((f.position, f.event_type, f.error, f.skipped) if (f := failed.get(r["name"])) else ()),
                )
                for r in rows
            ),
            key=lambda s: order.get(s.name, 99),
        )

    def failures(self) -> list[dict[str, Any]]:
        """Every view's last event it could not apply, this runner's views or another's (the
        notifier's outbox): name, failed_event, failed_event_type, failure, skipped."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(view_failures).order_by(view_failures.c.name)).mappings().all()
        return [
            {"name": r["name"], "failed_event": r["position"], "failed_event_type": r["event_type"], "failure": r["error"],
             "skipped": r["skipped"]}
            for r in rows
        ]

    def position_as_of(self, when: datetime) -> int:
        """The last event recorded at or before ``when`` (the ledger's recorded times)."""
        with self.engine.connect() as conn:
            after = conn.execute(
                text(f"SELECT MIN(notification_id) FROM {LEDGER_TABLE} WHERE recorded_at > :t"), {"t": _ledger_time(conn, when)}
            ).scalar()
            if after is not None:
                before = conn.execute(
                    text(f"SELECT MAX(notification_id) FROM {LEDGER_TABLE} WHERE notification_id < :n"), {"n": after}
                ).scalar()
                return int(before or 0)
            return int(conn.execute(text(f"SELECT MAX(notification_id) FROM {LEDGER_TABLE}")).scalar() or 0)

    def as_of(self, when: datetime) -> Engine:
        """A private in-memory copy of every view as it stood at ``when``; the live views are
        untouched. Its trail reads the events' own fields from the live event table."""
        engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
        private = ProjectionRunner(engine, self.app, self.batch_size, self.view_classes)
        private.create_tables()
        stop = self.position_as_of(when)
        if stop:
            private.catch_up(stop=stop)
        with engine.connect() as conn:
            conn.info[EVENT_STATES] = self._event_states
        return engine

    def _event_states(self, ids: Sequence[int]) -> dict[int, bytes]:
        with self.engine.connect() as conn:
            return stored_states(conn, ids)


def _caused_by_an_event(error: Exception) -> bool:
    """A value the database refuses (``DataError``, ``IntegrityError``) or a handler's own error
    comes from the events being applied; the database busy, gone or without a table
    (``OperationalError``, ``ProgrammingError``, …) does not, and no view is held for it."""
    if isinstance(error, (DataError, IntegrityError)):
        return True
    if isinstance(error, DBAPIError):
        return False
    # A value the driver could not bind is the event's; any other failure of SQLAlchemy is not.
    return isinstance(error, StatementError) or not isinstance(error, SQLAlchemyError)


def _now() -> str:
    return moment(datetime.now(UTC))


@functools.cache
def _move_sql(dialect: str, views: int) -> str:
    marker = "%s" if dialect == "postgresql" else "?"
    return (
        f"UPDATE {positions.name} SET position = {marker}, updated_at = {marker} "
        f"WHERE position = {marker} AND name IN ({', '.join(marker for _ in range(views))})"
    )


def _drop_retired_indexes(conn: Connection, tables: Sequence[Any]) -> None:
    """An index of ours (``ix_…``) on a view table that no longer declares it was replaced by an
    upgrade: it would only slow every write. Found in one query for all tables."""
    declared = {table.name: {index.name for index in table.indexes} for table in tables}
    found = inspect(conn).get_multi_indexes(filter_names=list(declared))
    for (_, table_name), indexes in found.items():
        for index in indexes:
            name = index["name"]
            if name and name.startswith("ix_") and name not in declared[table_name]:
                conn.exec_driver_sql(f'DROP INDEX "{name}"')


def _indexes(views: Sequence[View]) -> list[Any]:
    return [index for view in views for table in view.tables for index in table.indexes]


def _ledger_time(conn: Connection, when: datetime) -> Any:
    if when.tzinfo is None:
        raise ValueError("an as-of time needs a time zone")
    return when if conn.dialect.name == "postgresql" else recorded_at_text(when)



