"""For any valid sequence of commands, the views kept live (caught up after every command), the
views rebuilt from zero, and the views rebuilt after a crash at a random point are the same rows.

A crash is simulated four ways while a small-batch runner replays the log: a view's handler
raises in the middle of a batch (nothing of that batch may stay); the batch's writes reach the
database and then the process dies before the positions are moved; the process dies in the
commit itself, everything written (the transaction must roll back as one); or the runner dies
between two committed batches. Committed positions must never
go backwards, the rows committed must be exactly those of the events up to the committed
position, and a fresh runner on the same database must finish the job with the same result.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.pool import StaticPool

from domain.clock import ManualClock
from dutyloop.settings import Settings
from dutyloop.wiring import open_system
from projections import runner as runner_module
from projections.batch import Batch
from projections.runner import VIEW_CLASSES, VIEW_NAMES, ProjectionRunner
from projections.tables import positions
from views_support import WEIGHTED_OPS, build_world, differences, step, view_contents


class Crash(BaseException):
    """The process dying, as far as the runner can tell: like a kill, nothing in it catches this
    (an ordinary exception from a handler is taken as that event's failure, and holds its view)."""


SCRIPT = st.lists(
    st.tuples(st.sampled_from(WEIGHTED_OPS), st.integers(0, 999), st.integers(0, 999)), min_size=30, max_size=80
)


def _replayed_to(app: Any, stop: int) -> dict[str, list[tuple[Any, ...]]]:
    """What every view holds after exactly the events up to ``stop``, replayed in a private database."""
    engine = create_engine("sqlite://", poolclass=StaticPool)
    private = ProjectionRunner(engine, app)
    private.create_tables()
    if stop:
        private.catch_up(stop=stop)
    contents = view_contents(engine)
    engine.dispose()
    return contents


def _tables_of(names: list[str]) -> set[str]:
    return {table.name for cls in VIEW_CLASSES if cls.name in names for table in cls.tables}


def _crash_in_handler(crasher: ProjectionRunner, view_name: str, after: int) -> None:
    """The view's handler raises on the (after+1)-th event it is given, in the middle of a batch."""
    view = next(v for v in crasher.views if v.name == view_name)
    original = view.handler
    seen = [0]

    def handler(event_name: str) -> Any:
        found = original(event_name)
        if found is None:
            return None

        def counted(*args: Any) -> None:
            seen[0] += 1
            if seen[0] > after:
                raise Crash(f"{view_name} died on its event number {seen[0]}")
            found(*args)

        return counted

    view.handler = handler  # type: ignore[method-assign]


def _events_handled(runner: ProjectionRunner, view_name: str) -> int:
    """How many events of the log the view has a handler for."""
    view = next(v for v in runner.views if v.name == view_name)
    log = runner.app.recorder.select_notifications(start=None, limit=1_000_000)
    return sum(1 for n in log if view.handler(runner.facts.event_type(n.topic)) is not None)


class _DyingBatch(Batch):
    """Writes the batch's rows to the database, then dies before the positions move."""

    flushes = 0
    die_at = 0

    def flush(self) -> None:
        super().flush()
        type(self).flushes += 1
        if type(self).flushes > type(self).die_at:
            raise Crash("died after writing the rows, before moving the positions")


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    script=SCRIPT,
    branches=st.integers(2, 3),
    batch_size=st.integers(1, 9),
    mode=st.sampled_from(("handler", "flush", "commit", "progress")),
    rebuilt=st.sets(st.sampled_from(VIEW_NAMES)),
    data=st.data(),
)
def test_live_rebuilt_and_crash_recovered_views_are_the_same(
    script: list[tuple[str, int, int]], branches: int, batch_size: int, mode: str, rebuilt: set[str], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        clock = ManualClock(datetime(2025, 3, 28, 9, 0))
        system = open_system(Settings(data_dir=Path(directory)), clock)
        try:
            _check(system, clock, script, branches, batch_size, mode, sorted(rebuilt), data)
        finally:
            system.close()


def _check(
    system: Any, clock: ManualClock, script: list[tuple[str, int, int]], branches: int, batch_size: int, mode: str,
    rebuilt: list[str], data: st.DataObject,
) -> None:
    world = build_world(system.app, clock, branches)
    system.catch_up()

    # 1. Live: caught up after every command; positions only move forward, and reach the head.
    previous = system.views.positions()
    for op, a, b in script:
        step(world, op, a, b)
        system.catch_up()
        now = system.views.positions()
        assert all(now[name] >= previous[name] for name in VIEW_NAMES), (previous, now)
        assert set(now.values()) == {system.views.head()}
        previous = now
    head = system.views.head()
    live = view_contents(system.engine)
    with system.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM view_trail").scalar() == head

    # 2. Rebuilt from zero, in the runner's big batches, with the trail filled by the database as
    #    a long log's would be (the live views went event by event).
    with mock.patch.object(runner_module, "FILL_FROM", 1):
        system.views.rebuild()
    assert not differences(view_contents(system.engine), live)

    # 3. Rebuilt (all views, or some) with small batches, and killed part-way.
    chosen = rebuilt or list(VIEW_NAMES)
    crasher = ProjectionRunner(system.engine, system.app, batch_size=batch_size)
    batches = -(-head // batch_size)
    seen: list[dict[str, int]] = []

    def progress(applied: int, position: int) -> None:
        seen.append(crasher.positions())
        if mode == "progress" and len(seen) > die_after_batches:
            raise Crash("died between two batches")

    die_after_batches = data.draw(st.integers(0, batches - 1), label="batches committed before dying")
    patch: Any = mock.patch.object(runner_module, "Batch", Batch)
    handled = {name: _events_handled(crasher, name) for name in chosen}
    if mode == "handler" and not any(handled.values()):
        mode = "progress"  # the views chosen have no event to die on: die between two batches
    if mode == "handler":
        dying = data.draw(st.sampled_from([name for name in chosen if handled[name]]), label="dying view")
        after = data.draw(st.integers(0, handled[dying] - 1), label="events the view handles before dying")
        _crash_in_handler(crasher, dying, after)
    elif mode == "flush":
        _DyingBatch.flushes, _DyingBatch.die_at = 0, die_after_batches
        patch = mock.patch.object(runner_module, "Batch", _DyingBatch)
    commits = [0]

    def die_in_commit(conn: Any) -> None:
        commits[0] += 1
        # The first commit is the rebuild's reset; then one per batch; die once only.
        if mode == "commit" and commits[0] == die_after_batches + 2:
            raise Crash("died in the commit")

    event.listen(system.engine, "commit", die_in_commit)
    try:
        with patch:
            crasher.rebuild(rebuilt or None, progress=progress)
    except Crash:
        pass
    else:
        raise AssertionError("the runner was meant to die")
    finally:
        event.remove(system.engine, "commit", die_in_commit)

    after_crash = system.views.positions()
    for earlier, later in zip([{n: 0 for n in chosen}, *seen], [*seen, after_crash], strict=True):
        assert all(later[name] >= earlier[name] for name in chosen), (earlier, later)
    stopped = {after_crash[name] for name in chosen}
    assert len(stopped) == 1, after_crash
    [reached] = stopped
    assert reached == (seen[-1][chosen[0]] if seen else 0)
    assert all(after_crash[name] == head for name in VIEW_NAMES if name not in chosen)

    # What survived the crash is exactly the events up to the committed position, nothing half-done.
    crashed = view_contents(system.engine)
    expected = _replayed_to(system.app, reached)
    for table in _tables_of(chosen):
        assert crashed[table] == expected[table], (table, differences({table: crashed[table]}, {table: expected[table]}))
    for table in set(live) - _tables_of(chosen) - {positions.name}:
        assert crashed[table] == live[table], table
    assert inspect(system.engine).get_indexes("view_tasks"), "a killed rebuild left the indexes dropped"

    # 4. A fresh runner (a restarted process) resumes from the committed positions.
    fresh = ProjectionRunner(system.engine, system.app, batch_size=batch_size + 3)
    resumed: list[dict[str, int]] = []
    read = fresh.catch_up(progress=lambda applied, position: resumed.append(fresh.positions()))
    assert read == head - reached
    for earlier, later in zip([after_crash, *resumed], resumed, strict=False):
        assert all(later[name] >= earlier[name] for name in VIEW_NAMES), (earlier, later)
    assert not differences(view_contents(system.engine), live)
    assert fresh.catch_up() == 0
