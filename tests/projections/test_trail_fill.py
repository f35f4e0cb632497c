"""The trail filled by the database from the event table (a rebuild, a long catch-up) holds
exactly the rows the trail recorded event by event holds (a private copy replaying the same log),
on SQLite and on PostgreSQL: times with microseconds and in another zone, actors who are people and the system,
entities whose later events name no organisation, and roles that change between an actor's
actions."""

from __future__ import annotations

import random
from datetime import timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.pool import StaticPool
from views_support import build_world, race, random_work, step, view_contents

from domain.clock import ManualClock
from domain.vocabulary import Role
from dutyloop.catalogue import event_classes
from dutyloop.wiring import System, open_system
from projections import runner as runner_module
from projections.directory import DirectoryView
from projections.chain_queries import trail_rows
from projections.runner import ProjectionRunner
from projections.trail import TrailView

TRAIL_TABLES = [table.name for table in TrailView.tables]


def _recorded_one_by_one(system: System) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine("sqlite://", poolclass=StaticPool)
    private = ProjectionRunner(engine, system.app, batch_size=7)
    private.create_tables()
    private.catch_up()
    contents = view_contents(engine)
    engine.dispose()
    return contents


def _roles_seen(system: System, actor: str) -> list[list[str]]:
    """The actor's roles on each of their trail rows, oldest first, as the trail is read."""
    with system.engine.connect() as conn:
        return [item["actor_roles"] for item in reversed(trail_rows(conn, actor_id=actor))]


def test_the_filled_trail_equals_the_trail_recorded_event_by_event(
    system: System, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert system.views.filled, "the live views are meant to have the trail filled by the database"
    monkeypatch.setattr(runner_module, "FILL_FROM", 1)  # every catch-up here is a command's few events
    world = build_world(system.app, clock, branches=2)
    random_work(world, random.Random(5), 40)
    system.catch_up()
    secretary = world.secretaries[world.branches[0]]
    # A role given and taken back between the secretary's own actions.
    system.app.assign_role(world.admin, secretary, Role.DISCIPLINE, world.committee)
    clock.advance(seconds=1, microseconds=250_001)
    for n in range(6):
        step(world, "issue", n, n)
        step(world, "sign", n, n)
    system.catch_up()
    system.app.revoke_role(world.admin, secretary, Role.DISCIPLINE, world.committee)
    # The events of the next command recorded with a time in another zone than UTC.
    later = clock.now() + timedelta(hours=1, microseconds=7)
    clock._now = later.astimezone(timezone(timedelta(hours=8)))
    random_work(world, random.Random(6), 30)
    system.catch_up()

    filled = view_contents(system.engine)
    one_by_one = _recorded_one_by_one(system)
    for name in TRAIL_TABLES:
        assert filled[name] == one_by_one[name], name
    assert len(filled["view_trail"]) == system.views.head()
    seen = _roles_seen(system, secretary.hex)
    given = [n for n, roles in enumerate(seen) if Role.DISCIPLINE.value in roles]
    assert given and given[0] > 0 and given[-1] < len(seen) - 1, seen  # held for a while, not before or after
    assert any(".250001+00:00" in row[1] for row in filled["view_trail"])
    assert {row[3] for row in filled["view_trail"]} >= {"system:init", world.admin.hex}

    # And rebuilt by the database from zero, in one statement per batch.
    system.views.rebuild(["trail"])
    assert {name: view_contents(system.engine)[name] for name in TRAIL_TABLES} == {name: filled[name] for name in TRAIL_TABLES}


def test_a_commands_few_events_go_through_the_handlers(system: System, clock: ManualClock) -> None:
    """Below ``FILL_FROM`` events the trail is recorded event by event (the statements' fixed cost
    is more than a few events' handlers): no statement over the event table runs."""
    world = build_world(system.app, clock, branches=2)
    system.catch_up()
    statements: list[str] = []
    listen = "before_cursor_execute"
    record = lambda conn, cursor, sql, *rest: statements.append(sql)
    event.listen(system.engine, listen, record)
    try:
        step(world, "issue", 1, 1)
        system.catch_up()
    finally:
        event.remove(system.engine, listen, record)
    assert statements and not [sql for sql in statements if sql.startswith("WITH names")], statements
    with system.engine.connect() as conn:
        assert len(trail_rows(conn, limit=10_000)) == system.views.head()


def test_the_events_are_stored_as_the_fill_reads_them() -> None:
    """The fill reads stored JSON as it is: no event may be upcast (``class_version``), and an
    organisation is stored as a typed id (``org_id._data_``). An event class that breaks either
    must teach the fill first."""
    events = list(event_classes())
    assert len(events) > 40
    upcast = [name for _, name, cls in events if getattr(cls, "class_version", 1) != 1]
    untyped = [
        name for _, name, cls in events
        if "org_id" in getattr(cls, "__annotations__", {}) and "UUID" not in str(cls.__annotations__["org_id"])
    ]
    assert upcast == [] and untyped == [], (upcast, untyped)


def test_a_trail_of_an_older_release_without_actor_changes_is_replayed(recorded: System, clock: ManualClock) -> None:
    """The trail's table of actor changes is new: a database without it replays the trail."""
    before = view_contents(recorded.engine)
    with recorded.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE view_trail_actor_changes")
    reopened = open_system(recorded.settings, clock)
    try:
        assert reopened.views.positions()["trail"] == 0
        reopened.catch_up()
        assert view_contents(reopened.engine) == before
    finally:
        reopened.close()



class _RefusedUntilWaiting:
    """Another runner always has the turn until this one waits for it: each batch reads
    ``PAGES_WHILE_WAITING`` pages first."""

    def take(self, wait: bool) -> bool:
        return wait

    def give(self, to_waiting: bool = False) -> None:
        return None


@pytest.mark.parametrize("backend", ["sqlite"])  # staging outside the write turn: PostgreSQL has no single writer
def test_the_trail_staged_page_by_page_and_by_racing_runners_equals_the_trail_recorded_event_by_event(
    system: System, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite the rows are computed page by page while the batch is read, outside the write
    turn, and copied in it: batches of several pages, and batches dropped because another runner
    moved the trail first, give the trail recorded event by event."""
    monkeypatch.setattr(runner_module, "FILL_FROM", 1)
    world = build_world(system.app, clock, branches=3)
    random_work(world, random.Random(8), 80)
    system.catch_up()
    expected = _recorded_one_by_one(system)
    staged: list[str] = []
    listen = "before_cursor_execute"
    record = lambda conn, cursor, sql, *rest: staged.append(sql) if "INTO temp.dutyloop_trail_staged_rows" in sql else None
    event.listen(system.engine, listen, record)
    try:
        paged = ProjectionRunner(system.engine, system.app, 9, [TrailView], _RefusedUntilWaiting(), events_beside=True)
        paged.reset()
        paged.catch_up()
        assert len(staged) > paged.positions()["trail"] // 9 // 2, "pages were meant to be staged"
        assert {name: view_contents(system.engine)[name] for name in TRAIL_TABLES} == {name: expected[name] for name in TRAIL_TABLES}

        other = open_system(system.settings, clock)
        try:
            racing = [
                ProjectionRunner(system.engine, system.app, 5, [TrailView], events_beside=True),
                ProjectionRunner(other.engine, other.app, 7, [TrailView], events_beside=True),
            ]
            racing[0].reset()
            applied = race(racing)
        finally:
            other.close()
    finally:
        event.remove(system.engine, listen, record)
    assert sum(applied) >= system.views.head()
    assert {name: view_contents(system.engine)[name] for name in TRAIL_TABLES} == {name: expected[name] for name in TRAIL_TABLES}


def test_a_runner_whose_events_mostly_pass_by_reads_only_the_states_it_handles(
    system: System, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trail's runner, while the database fills the trail, handles only the few events of the
    directory and of actors: it reads the other events without their stored state, and a batch
    too small to be filled reads every state again. Its views equal those recorded event by event."""
    monkeypatch.setattr(runner_module, "FILL_FROM", 5)
    world = build_world(system.app, clock, branches=3)
    random_work(world, random.Random(9), 60)
    views = [TrailView, DirectoryView]
    runner = ProjectionRunner(system.engine, system.app, 9, views, events_beside=True)
    pages: list[bool] = []
    read = runner.log.page
    monkeypatch.setattr(runner.log, "page", lambda *args: pages.append(len(args) > 3 and args[3] is not None) or read(*args))
    runner.reset()
    runner.catch_up()
    for work in (1, 2, 25, 1, 3):
        random_work(world, random.Random(work), work)
        runner.catch_up()
    assert any(pages) and not all(pages), pages
    tables = [table.name for view in views for table in view.tables]
    expected = _recorded_one_by_one(system)
    assert {name: view_contents(system.engine)[name] for name in tables} == {name: expected[name] for name in tables}
