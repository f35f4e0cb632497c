"""Everything at once against one database (issue 17.2): the JSON API with bearer tokens, the
calendar feeds, the notifier, the scheduler and CLI commands, each as its own system over the
same SQLite file (or PostgreSQL schema), for a few seconds on loopback. No answer is a server
error and no accepted command is lost (its event is in the log and in the views). Every write
waits up to the lock timeout (30 s) for its turn, longer than the load lasts, so no lock can
really be out of reach here: a "busy, try again" (503) would mean a transaction that read and then
could not write (SQLite's stale snapshot), and none may come. The honest 503, when a lock is
held past the timeout, is shown in ``test_busy``."""

from __future__ import annotations

import contextlib
import io
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import httpx2 as httpx
import pytest

from dutyloop.cli import main as cli
from dutyloop.settings import Settings
from dutyloop.web.app import create_app
from dutyloop.web.tokens import Purpose, Tokens
from dutyloop.wiring import open_system
from notifications.config import NotifyConfig
from notifications.service import Notifier
from projections import chain_queries
from scheduler.service import SchedulerService
from scheduler.ticks import CHECKS
from api_world import ApiWorld, build_api_world
from dutyloop.web.threaded import serving

SECONDS = 5.0
"""How long the load runs; each client also stops after ``MAX_REQUESTS``."""
MAX_REQUESTS = 80
WRITERS = ("secretary", "worker")
READS = (
    ("secretary", "/api/v1/my-work"), ("admin", "/api/v1/board"), ("dept", "/api/v1/tasks"),
    ("admin", "/api/v1/trail"), ("committee_secretary", "/api/v1/warnings"), ("discipline", "/api/v1/chains"),
)
FEED_PEOPLE = ("secretary", "worker", "dept", "admin")


@dataclass
class Tally:
    """What the load saw, kept by every client thread under one lock."""

    statuses: Counter[int] = field(default_factory=Counter)
    accepted: dict[str, UUID] = field(default_factory=dict)
    """Progress note → task, for every command answered as recorded."""
    failures: list[str] = field(default_factory=list)
    background_passes: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, response: httpx.Response, note: str | None = None, task: UUID | None = None) -> None:
        with self.lock:
            self.statuses[response.status_code] += 1
            if note is not None and task is not None and response.status_code == 200:
                self.accepted[note] = task
            elif response.status_code >= 300:
                self.failures.append(f"{response.request.method} {response.request.url.path}: {response.status_code} {response.text[:200]}")

    def failed(self, what: str, error: BaseException) -> None:
        with self.lock:
            self.failures.append(f"{what}: {type(error).__name__}: {error}")


@pytest.fixture
def loaded(make_settings, backend: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ApiWorld, Settings]]:  # type: ignore[no-untyped-def]
    settings = make_settings(backend)
    if settings.postgres_schema:
        # The CLI reads its schema from the environment, as a shell would give it.
        monkeypatch.setenv("DUTYLOOP_POSTGRES_SCHEMA", settings.postgres_schema)
    world = build_api_world(settings)
    yield world, settings
    world.client.close()
    world.system.close()


def _until(stop_at: float, body: Callable[[int], None]) -> None:
    for n in range(MAX_REQUESTS):
        if time.monotonic() > stop_at:
            return
        body(n)


def _api_writer(base: str, world: ApiWorld, role: str, task: UUID, tally: Tally, stop_at: float) -> None:
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {world.tokens[role]}"}, timeout=60) as client:
        def write(n: int) -> None:
            note = f"{role} 进展 {n}"
            tally.answer(client.post(f"/api/v1/tasks/{task}/progress", json={"note": note}), note, task)

        _until(stop_at, write)


def _api_reader(base: str, world: ApiWorld, tally: Tally, stop_at: float) -> None:
    clients = {role: httpx.Client(base_url=base, headers={"Authorization": f"Bearer {world.tokens[role]}"}, timeout=60)
               for role, _ in READS}
    try:
        _until(stop_at, lambda n: tally.answer(clients[READS[n % len(READS)][0]].get(READS[n % len(READS)][1])))
    finally:
        for client in clients.values():
            client.close()


def _feed_reader(base: str, feeds: list[str], tally: Tally, stop_at: float) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        def fetch(n: int) -> None:
            response = client.get(feeds[n % len(feeds)])
            tally.answer(response)
            if response.status_code == 200 and not response.text.startswith("BEGIN:VCALENDAR"):
                tally.failed("feed", AssertionError(response.text[:80]))

        _until(stop_at, fetch)


def _cli_writer(settings: Settings, world: ApiWorld, task: UUID, tally: Tally, stop_at: float) -> None:
    """The CLI as a shell runs it, but in this process so that it takes the test's clock."""
    where = ["--database-url", settings.database_url] if settings.database_url else ["--data-dir", str(settings.data_dir)]
    staff = world.app.person(world.people["secretary"]).staff_no

    def run(n: int) -> None:
        note = f"cli 进展 {n}"
        code = 0
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
            try:
                cli.main([*where, "--as", staff, "task", "progress", task.hex, note], obj=world.system.clock, standalone_mode=False)
            except SystemExit as exit_:
                code = int(exit_.code or 0)
        with tally.lock:
            tally.statuses[{0: 200, 75: 503}.get(code, 900 + code)] += 1
            if code == 0:
                tally.accepted[note] = task
            else:
                tally.failures.append(f"cli exit {code}: {err.getvalue()[:200]}")

    _until(stop_at, run)


def _notifier(notifier: Notifier, tally: Tally, stop_at: float) -> None:
    while time.monotonic() < stop_at:
        notifier.run_once()
        with tally.lock:
            tally.background_passes["notifier"] += 1


def _scheduler(service: SchedulerService, tally: Tally, stop_at: float) -> None:
    while time.monotonic() < stop_at:
        for check in CHECKS:
            service.run_job(check)
        with tally.lock:
            tally.background_passes["scheduler"] += 1


@contextlib.contextmanager
def background(settings: Settings, clock: Any) -> Iterator[tuple[Notifier, SchedulerService]]:
    """The notifier and the scheduler, each on a system of its own as in its own process, set up
    before the load starts."""
    notifier_system, scheduler_system = open_system(settings, clock), open_system(settings, clock)
    service = SchedulerService.for_system(scheduler_system, heartbeat=0.5, lease_seconds=5.0)
    try:
        yield Notifier(notifier_system, NotifyConfig(), now=clock.now), service
    finally:
        service.lock.release()
        notifier_system.close()
        scheduler_system.close()


def _warm_up(base: str, world: ApiWorld, feeds: list[str]) -> None:
    """One request of each kind before the clock starts: the first answer of a route builds its
    models, which is not what the load measures."""
    with httpx.Client(base_url=base, timeout=60) as client:
        for role, path in READS:
            client.get(path, headers={"Authorization": f"Bearer {world.tokens[role]}"}).raise_for_status()
        client.get(feeds[0]).raise_for_status()


def _guarded(tally: Tally, what: str, body: Callable[[], None]) -> threading.Thread:
    def run() -> None:
        try:
            body()
        except BaseException as error:  # noqa: BLE001 - every failure of a client is a finding of the test
            tally.failed(what, error)

    thread = threading.Thread(target=run, name=what)
    thread.start()
    return thread


def _notes_in_log(world: ApiWorld, task: UUID) -> list[str]:
    return [e.note for e in world.app.repository.event_store.get(task) if hasattr(e, "note")]


def _notes_in_views(world: ApiWorld, task: UUID) -> str:
    with world.system.engine.connect() as conn:
        return json.dumps([item["details"] for item in chain_queries.timeline(conn, [task.hex])], ensure_ascii=False, default=str)


def test_api_feeds_notifier_scheduler_and_cli_at_once_lose_nothing(loaded: tuple[ApiWorld, Settings]) -> None:
    world, settings = loaded
    tasks = {role: world.task("signed") for role in (*WRITERS, "cli")}
    calendar = Tokens(world.system.engine)
    feeds = [f"/calendar/ics/{calendar.issue(world.people[p].hex, Purpose.CALENDAR, 'load', 'tests').secret}.ics" for p in FEED_PEOPLE]
    tally = Tally()
    clock = world.system.clock
    with serving(create_app(world.system)) as base, background(settings, clock) as (notifier, scheduler):
        _warm_up(base, world, feeds)
        stop_at = time.monotonic() + SECONDS
        threads = [
            *(_guarded(tally, f"api {role}", lambda role=role: _api_writer(base, world, role, tasks[role], tally, stop_at)) for role in WRITERS),
            _guarded(tally, "api reads", lambda: _api_reader(base, world, tally, stop_at)),
            _guarded(tally, "feeds", lambda: _feed_reader(base, feeds, tally, stop_at)),
            _guarded(tally, "cli", lambda: _cli_writer(settings, world, tasks["cli"], tally, stop_at)),
            _guarded(tally, "notifier", lambda: _notifier(notifier, tally, stop_at)),
            _guarded(tally, "scheduler", lambda: _scheduler(scheduler, tally, stop_at)),
        ]
        for thread in threads:
            thread.join(timeout=120)
    world.system.catch_up()
    requests = sum(tally.statuses.values())
    logged = {task: _notes_in_log(world, task) for task in tasks.values()}
    viewed = {task: _notes_in_views(world, task) for task in tasks.values()}
    lost = [note for note, task in tally.accepted.items() if note not in logged[task] or note not in viewed[task]]
    print(f"\nload on {world.system.engine.dialect.name}: {requests} requests and commands, statuses {dict(tally.statuses)}, "
          f"{len(tally.accepted)} commands accepted, {len(lost)} lost, "
          f"background passes {dict(tally.background_passes)}")
    assert not tally.failures, tally.failures
    assert not [s for s in tally.statuses if s >= 500], tally.statuses
    assert not lost, f"accepted but not in the log and the views: {lost}"
    assert len(tally.accepted) >= 3 * len(tasks), "the load ran: every writer had commands accepted"
    assert tally.background_passes["notifier"] and tally.background_passes["scheduler"]
    assert sorted(n for notes in logged.values() for n in notes) == sorted(tally.accepted), "nothing recorded twice or unasked"
