"""Two runners (two processes' worth: each its own engine and application) catching up at the
same moment on the same database apply every event exactly once, and end where one runner ends."""

from __future__ import annotations

import random
import threading

from sqlalchemy import func, select
from views_support import build_world, differences, race, random_work, view_contents

from domain.clock import ManualClock
from dutyloop.wiring import System, open_system
from projections.runner import VIEW_NAMES, ProjectionRunner
from projections.tables import trail


class Crash(BaseException):
    """The process dying: like a kill, nothing in the runner catches this."""


def _notification_ids(system: System) -> list[int]:
    head = system.views.head()
    return [n.id for n in system.app.recorder.select_notifications(start=1, limit=head + 1)]


def _trail_ids(system: System) -> list[int]:
    with system.engine.connect() as conn:
        return [r[0] for r in conn.execute(select(trail.c.notification_id).order_by(trail.c.notification_id))]


def test_two_runners_at_once_apply_every_event_exactly_once(system: System, clock: ManualClock) -> None:
    world = build_world(system.app, clock, branches=3)
    system.catch_up()
    rng = random.Random(11)
    other = open_system(system.settings, clock)
    try:
        both_worked = False
        for round_ in range(4):
            before = system.views.head()
            random_work(world, rng, 80)
            new = system.views.head() - before
            assert new > 0
            if round_ == 2:
                # One view behind the others (a rebuild of it that died after its first batch).
                def die(applied: int, position: int) -> None:
                    raise Crash

                try:
                    ProjectionRunner(system.engine, system.app, batch_size=10).rebuild(["tasks"], progress=die)
                except Crash:
                    pass
                behind = system.views.positions()
                assert behind["tasks"] == _notification_ids(system)[9] and behind["trail"] == before
            runners = [
                ProjectionRunner(system.engine, system.app, batch_size=7),
                ProjectionRunner(other.engine, other.app, batch_size=5),
                ProjectionRunner(other.engine, other.app, batch_size=11),
            ]
            applied = race(runners)
            both_worked |= sum(1 for n in applied if n) > 1
            head = system.views.head()
            assert system.views.positions() == {name: head for name in VIEW_NAMES}
            if round_ != 2:
                # Every new event was applied by exactly one of them.
                assert sum(applied) == new, applied
            ids = _notification_ids(system)
            assert _trail_ids(system) == ids
            with system.engine.connect() as conn:
                assert conn.execute(select(func.count()).select_from(trail)).scalar() == len(ids)
        concurrent = view_contents(system.engine)
        system.views.rebuild()
        assert not differences(view_contents(system.engine), concurrent)
        print(f"runners shared the work in some round: {both_worked}")
    finally:
        other.close()


def test_a_runner_started_while_another_is_mid_rebuild_changes_nothing_twice(system: System, clock: ManualClock) -> None:
    """A rebuild in one process while the other keeps catching up: same rows as a quiet rebuild."""
    world = build_world(system.app, clock, branches=2)
    random_work(world, random.Random(3), 120)
    system.catch_up()
    quiet = view_contents(system.engine)
    other = open_system(system.settings, clock)
    try:
        rebuilding = ProjectionRunner(system.engine, system.app, batch_size=9)
        follower = ProjectionRunner(other.engine, other.app, batch_size=4)
        done = threading.Event()
        errors: list[BaseException] = []

        def keep_following() -> None:
            try:
                while not done.is_set():
                    follower.catch_up()
            except BaseException as error:  # noqa: BLE001
                errors.append(error)

        thread = threading.Thread(target=keep_following)
        thread.start()
        try:
            rebuilding.rebuild(["chains", "trail"])
        finally:
            done.set()
            thread.join(timeout=60)
        assert not errors, errors
        follower.catch_up()
        assert not differences(view_contents(system.engine), quiet)
    finally:
        other.close()
