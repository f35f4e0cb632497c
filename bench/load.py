"""Measure 11: the web under load with 1, 2 and 4 worker processes (``dutyloop serve --workers N``).

A bounded load from loopback: ``--clients`` threads, each its own signed-in session, request the
secretary's home, the board and a rectification chain in turn for ``--seconds``; every tenth
request of a secretary's client reports progress on one of the branch's tasks through the web
form, so the load writes as people do. The server is the real command line in its own process,
with the notifier and the scheduler off (in a deployment they are their own processes). Printed
per worker count: requests per second (and its ratio to one worker, the same run's baseline), p95
of each page, errors (any answer of 500 or more, or none), and whether the views are consistent
afterwards: every progress report the clients saw accepted is one event in the log and one row
in the trail. Nothing is asserted.

``python -m bench.load [--postgres URL] [--events N] [--workers 1,2,4] [--clients 8] [--seconds 20]``
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select, text

from bench.generate import generate
from bench.pages import PASSWORD, Subjects, signed_in, subjects_of
from domain.clock import ManualClock
from dutyloop.settings import Settings
from dutyloop.web.threaded import free_port
from dutyloop.wiring import System, open_system
from projections.tables import tasks, trail

PROGRESS_EVERY = 10
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Load:
    """What the clients of one run saw."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    reports: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def seen(self, page: str, ms: float) -> None:
        with self.lock:
            self.latencies[page].append(ms)

    def failed(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)

    def reported(self) -> None:
        with self.lock:
            self.reports += 1


@dataclass(frozen=True)
class Run:
    workers: int
    requests: int
    seconds: float
    p95: dict[str, float]
    errors: list[str]
    reports: int
    events_added: int
    trail_rows_added: int

    @property
    def consistent(self) -> bool:
        return self.events_added == self.reports == self.trail_rows_added

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def _serve(settings: Settings, workers: int) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    env = {**os.environ, "DUTYLOOP_DATA_DIR": str(settings.data_dir), "DUTYLOOP_DATABASE_URL": settings.database_url or "",
           "DUTYLOOP_POSTGRES_SCHEMA": settings.postgres_schema}
    server = subprocess.Popen(
        [sys.executable, "-m", "dutyloop", "serve", "--port", str(port), "--workers", str(workers), "--no-notify", "--no-scheduler"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/login", timeout=2):
                return server, base
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"dutyloop serve --workers {workers} stopped at start") from None
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"dutyloop serve --workers {workers} did not answer in 120 s")


def _client(base: str, system: System, who: str, pages: list[tuple[str, str]], task: str | None, stop: float, load: Load) -> None:
    session = signed_in(base, system, who)
    done = 0
    while time.monotonic() < stop:
        for name, path in pages:
            began = time.perf_counter()
            try:
                answer = session.get(f"{base}{path}", timeout=30)
            except OSError as error:
                load.failed(f"{path}: {error.__class__.__name__}")
                continue
            load.seen(name, (time.perf_counter() - began) * 1000)
            if answer.status_code >= 500:
                load.failed(f"{path}: {answer.status_code}")
            done += 1
            if task and done % PROGRESS_EVERY == 0:
                try:
                    token = CSRF.search(session.get(f"{base}/tasks/{task}", timeout=30).text)
                except OSError as error:
                    load.failed(f"task page: {error.__class__.__name__}")
                    continue
                try:
                    sent = session.post(f"{base}/tasks/{task}/progress", timeout=30,
                                        data={"note": f"压力测试进展 {done}", "csrf_token": token.group(1) if token else ""})
                except OSError as error:
                    load.failed(f"progress: {error.__class__.__name__}")
                    continue
                if sent.status_code >= 500:
                    load.failed(f"progress: {sent.status_code}")
                elif sent.ok:
                    load.reported()


def _counts(system: System, after: int) -> tuple[int, int]:
    """The events and trail rows after position ``after``: counted, since PostgreSQL's positions
    may skip a number (a write that lost a race and was retried)."""
    head = system.app.recorder.max_notification_id() or 0
    events = len(system.app.recorder.select_notifications(start=after, limit=max(head - after, 1), inclusive_of_start=False))
    with system.engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(trail).where(trail.c.notification_id > after)).scalar_one()
    return events, int(rows)


def run_once(settings: Settings, system: System, subjects: Subjects, task: str, workers: int, clients: int, seconds: float) -> Run:
    server, base = _serve(settings, workers)
    load = Load()
    try:
        system.catch_up()
        head = system.app.recorder.max_notification_id() or 0
        roles = [
            (subjects.secretary, [("home", "/")], task),
            (subjects.leader, [("board", "/board")], None),
            (subjects.leader, [("chain", f"/chains/{subjects.chain}" if subjects.chain else "/chains")], None),
        ]
        stop = time.monotonic() + seconds
        began = time.perf_counter()
        threads = [
            threading.Thread(target=_client, args=(base, system, *roles[i % len(roles)], stop, load), daemon=True)
            for i in range(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)
    system.catch_up()
    events_added, rows_added = _counts(system, head)
    p95 = {page: sorted(ms)[max(int(len(ms) * 0.95) - 1, 0)] for page, ms in load.latencies.items()}
    return Run(workers, sum(len(ms) for ms in load.latencies.values()), elapsed, p95, load.errors, load.reports,
               events_added, rows_added)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--postgres", help="PostgreSQL URL; default SQLite in a temporary directory")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dutyloop-load-"))
    settings = (Settings(data_dir=tmp, database_url=args.postgres, postgres_schema=f"bench_load_{uuid.uuid4().hex[:8]}")
                if args.postgres else Settings(data_dir=tmp))
    clock = ManualClock(datetime(2026, 1, 5, 9))
    system = open_system(settings, clock)
    try:
        began = time.perf_counter()
        generate(system.app, clock, args.events)
        system.catch_up()
        print(f"generated {system.app.recorder.max_notification_id():,} events in {time.perf_counter() - began:.0f} s")
        with system.engine.connect() as conn:
            subjects = subjects_of(conn)
            task = conn.execute(
                select(tasks.c.task_id).where(tasks.c.owner_id == subjects.secretary, tasks.c.status.in_(("signed", "in_progress")))
                .order_by(tasks.c.deadline.desc()).limit(1)
            ).scalar()
        runs = [run_once(settings, system, subjects, task, int(w), args.clients, args.seconds) for w in args.workers.split(",")]
        _print("PostgreSQL" if args.postgres else "SQLite", system.app.recorder.max_notification_id() or 0, args.clients, runs)
    finally:
        system.close()
        if args.postgres:
            with open_system(settings).engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{settings.postgres_schema}" CASCADE'))
        shutil.rmtree(tmp, ignore_errors=True)


def _print(backend: str, events: int, clients: int, runs: list[Run]) -> None:
    print(f"\nDutyLoop web under load on {backend}: {events:,} events, {clients} clients from loopback, password {PASSWORD!r}")
    one = runs[0].rate or float("nan")
    pages = sorted({page for run in runs for page in run.p95})
    print(f"{'workers':>7} {'req/s':>8} {'÷ 1 worker':>10} " + " ".join(f"{'p95 ' + p:>18}" for p in pages) + f" {'errors':>7} {'consistent':>10}")
    for run in runs:
        print(f"{run.workers:>7} {run.rate:>8.1f} {run.rate / one:>10.2f} "
              + " ".join(f"{run.p95.get(p, float('nan')):>15.0f} ms" for p in pages)
              + f" {len(run.errors):>7} {'yes' if run.consistent else 'NO':>10}"
              + f"  ({run.reports} reports accepted, {run.events_added} events, {run.trail_rows_added} trail rows)")
        for error in sorted(set(run.errors))[:5]:
            print(f"  error: {error}")
    medians = statistics.median(run.rate for run in runs)
    print(f"note: median throughput {medians:.1f} req/s; the clients share the machine's cores with the workers")


if __name__ == "__main__":
    main()
