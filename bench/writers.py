"""Several processes writing at once: throughput with 1, 2 and 4 writers, and nothing lost or doubled.

A system of its own (a committee and 12 branches) gets a pool of signed tasks. Each writer is a
separate process that reports progress on tasks drawn at random from the pool for a fixed time,
so writers now and then change the same task at once and the command reruns on the version
conflict; one more process catches the projections up every tenth of a second meanwhile. Afterwards every command a writer
counted must be exactly one event in the store and one row in the trail, and the ledger must be
intact.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from dataclasses import dataclass
from datetime import date, datetime
from multiprocessing.synchronize import Event, Lock
from uuid import UUID

from sqlalchemy import func, select

from bench.org import small_org
from domain.commands.task_lists import TaskSpec
from domain.clock import ManualClock, SystemClock
from domain.task import Deadline
from domain.vocabulary import MeetingKind
from dutyloop.integrity import verify
from dutyloop.settings import Settings
from dutyloop.wiring import System, open_system
from projections.tables import trail

POOL = 200
TODAY = date(2026, 11, 20)


@dataclass(frozen=True)
class WritersRun:
    writers: int
    commands: int
    seconds: float
    events_added: int
    trail_rows_added: int
    intact: bool

    @property
    def rate(self) -> float:
        return self.commands / self.seconds

    @property
    def exact(self) -> bool:
        """Every counted command is one event and one trail row: none lost, none doubled."""
        return self.commands == self.events_added == self.trail_rows_added and self.intact


def measure(settings: Settings, counts: tuple[int, ...], seconds: float) -> list[WritersRun]:
    pool = _prepare(settings)
    return [_run(settings, pool, writers, seconds) for writers in counts]


def _prepare(settings: Settings) -> list[tuple[UUID, UUID]]:
    """A small organisation, then a pool of signed tasks: (task, its owner)."""
    clock = ManualClock(datetime(2026, 1, 5, 9))
    system = open_system(settings, clock)
    try:
        app = system.app
        org = small_org(app, clock, datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=clock.tz))
        dept = org.dept
        meeting = app.plan_meeting(dept, MeetingKind.OTHER, org.committee, "并发写入测试会", TODAY)
        app.record_minutes(dept, meeting, TODAY, [dept], ["部署专项任务"])
        pool = []
        for start in range(0, POOL, 50):
            specs = [
                TaskSpec(f"并发任务{i}", branch, org.secretaries[branch], Deadline(working_days=20))
                for i in range(start, start + 50)
                for branch in [org.branches[i % len(org.branches)]]
            ]
            for task_id, spec in zip(app.issue_task_list(dept, meeting, specs), specs, strict=True):
                app.sign_for_task(spec.owner_id, task_id)
                pool.append((task_id, spec.owner_id))
        system.catch_up()
        return pool
    finally:
        system.close()


def _run(settings: Settings, pool: list[tuple[UUID, UUID]], writers: int, seconds: float) -> WritersRun:
    context = multiprocessing.get_context("spawn")
    text = settings.to_json()
    start = _counts(settings)
    stop = context.Event()
    go = context.Event()
    opening = context.Lock()
    ready = context.Queue()
    results = context.Queue()
    follower = context.Process(target=_follow, args=(text, stop, opening))
    workers = [
        context.Process(target=_write, args=(text, pool, seconds, seed, opening, ready, go, results))
        for seed in range(writers)
    ]
    follower.start()
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.get(timeout=120)
    go.set()
    reported = [results.get(timeout=seconds + 120) for _ in workers]
    for worker in workers:
        worker.join()
    stop.set()
    follower.join()
    if any(worker.exitcode != 0 for worker in [*workers, follower]):
        codes = [worker.exitcode for worker in [*workers, follower]]
        raise RuntimeError(f"a writer or the projection process failed (exit codes {codes})")
    end = _counts(settings)
    commands = sum(count for count, _ in reported)
    elapsed = max(took for _, took in reported)
    return WritersRun(writers, commands, elapsed, end[0] - start[0], end[1] - start[1], end[2])


def _counts(settings: Settings) -> tuple[int, int, bool]:
    """Events in the store, rows in the trail (caught up), and whether the ledger is intact."""
    system = open_system(settings, SystemClock(settings.timezone))
    try:
        system.catch_up()
        with system.engine.connect() as conn:
            rows = conn.execute(select(func.count()).select_from(trail)).scalar_one()
        verdict = verify(system.engine)
        return verdict.checked, rows, verdict.intact
    finally:
        system.close()


def _write(
    text: str, pool: list[tuple[UUID, UUID]], seconds: float, seed: int, opening: Lock,
    ready: multiprocessing.Queue, go: Event, results: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:
    """Open (one process at a time: see _open), warm the aggregate cache, then write until time is up."""
    rng = random.Random(seed)
    done = 0
    began = time.perf_counter()
    try:
        system = _open(text, opening)
        for task_id, owner in pool:
            system.app.task(task_id)
            system.app.person(owner)
        ready.put(seed)
        go.wait()
        began = time.perf_counter()
        try:
            while time.perf_counter() - began < seconds:
                task_id, owner = pool[rng.randrange(len(pool))]
                system.app.report_task_progress(owner, task_id, f"进展{seed}-{done}")
                done += 1
        finally:
            system.close()
    finally:
        results.put((done, time.perf_counter() - began))


def _open(text: str, opening: Lock) -> System:
    """Processes starting together on PostgreSQL race in the library's ``CREATE TABLE IF NOT
    EXISTS`` ("tuple concurrently updated"), so they open one at a time."""
    settings = Settings.from_json(text)
    with opening:
        return open_system(settings, SystemClock(settings.timezone))


def _follow(text: str, stop: Event, opening: Lock) -> None:
    system = _open(text, opening)
    try:
        while not stop.wait(0.1):
            system.catch_up()
    finally:
        system.close()
