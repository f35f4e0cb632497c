"""``python -m bench --events N [--postgres URL]``: DutyLoop's speed next to the raw library's.

Prints, for the chosen database: the command rate against the raw save rate of an aggregate
with the same number of events per transaction; the rebuild rate of all views against the
library's own read-and-decode rate of the notification log in pages of 1,000; the integrity
check rate; and query latencies. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from bench.generate import generate
from domain.clock import ManualClock
from dutyloop.integrity import verify
from dutyloop.settings import Settings
from dutyloop.wiring import open_system
from projections import queries


class Counter(Aggregate):
    """The raw baseline: an aggregate with one small event per change."""

    @event("Started")
    def __init__(self) -> None:
        self.count = 0

    @event("Incremented")
    def increment(self, note: str) -> None:
        self.count += 1


def _settings(args: argparse.Namespace, tmp: Path, label: str) -> Settings:
    if args.postgres:
        return Settings(data_dir=tmp, database_url=args.postgres, postgres_schema=f"bench_{label}_{uuid.uuid4().hex[:8]}")
    return Settings(data_dir=tmp / label)


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def _latency(call: Callable[[], object], repeat: int = 30) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--postgres", help="PostgreSQL URL; default SQLite in a temporary directory")
    parser.add_argument("--commands", type=int, default=1000, help="single commands timed for the command rate")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dutyloop-bench-"))
    backend = "PostgreSQL" if args.postgres else "SQLite"
    rows: list[tuple[str, str, str, str]] = []

    clock = ManualClock(datetime(2025, 1, 6, 9))
    system = open_system(_settings(args, tmp, "data"), clock)
    began = time.perf_counter()
    summary = generate(system.app, clock, args.events)
    total = system.views.head()
    rows.append(("data generated", f"{total:,} events", f"{_rate(total, time.perf_counter() - began):,.0f} events/s", ""))

    raw_settings = _settings(args, tmp, "raw")
    raw_settings.data_dir.mkdir(parents=True, exist_ok=True)
    if raw_settings.is_postgres:
        open_system(raw_settings, clock).close()
    raw = Application(env=raw_settings.eventsourcing_env() | {"APPLICATION_RECORDER_TOPIC": ""})
    counter = Counter()
    raw.save(counter)
    began = time.perf_counter()
    for i in range(args.commands):
        counter.increment(note=f"n{i}")
        raw.save(counter)
    raw_rate = _rate(args.commands, time.perf_counter() - began)

    app = system.app
    tasks = [t for t in _open_tasks(system)][: args.commands]
    secretary = {t: app.task(t).owner_id for t in tasks}
    began = time.perf_counter()
    for task_id in tasks:
        app.report_task_progress(secretary[task_id], task_id, "进展")
    command_rate = _rate(len(tasks), time.perf_counter() - began)
    rows.append(("1. command rate (1 event/txn)", f"{command_rate:,.0f} cmd/s", f"raw save {raw_rate:,.0f}/s", f"{command_rate / raw_rate:.2f}"))

    began = time.perf_counter()
    read = 0
    position = 0
    while True:
        page = app.recorder.select_notifications(start=position, limit=1000, inclusive_of_start=False)
        if not page:
            break
        for notification in page:
            app.mapper.to_domain_event(notification)
        read += len(page)
        position = page[-1].id
    read_rate = _rate(read, time.perf_counter() - began)
    count, seconds = system.views.rebuild()
    rebuild_rate = _rate(count, seconds)
    rows.append(("3. rebuild all views", f"{rebuild_rate:,.0f} events/s", f"read+decode {read_rate:,.0f}/s", f"{rebuild_rate / read_rate:.2f}"))

    began = time.perf_counter()
    verdict = verify(system.engine)
    verify_rate = _rate(verdict.checked, time.perf_counter() - began)
    rows.append(("7. integrity check", f"{verify_rate:,.0f} events/s", f"intact={verdict.intact}", f"{verify_rate / read_rate:.2f}"))

    today = date(2026, 11, 20)
    secretary_id = summary.people.secretaries[summary.branches[0]].hex
    with system.engine.connect() as conn:
        home = _latency(lambda: (queries.warnings(conn, today, owner_id=secretary_id), queries.task_list(conn, owner_id=secretary_id)))
        board = _latency(lambda: queries.branch_summary(conn, today))
        chain_id = summary.sample_chain.hex if summary.sample_chain else None
        chain = _latency(lambda: queries.chain(conn, chain_id)) if chain_id else (0.0, 0.0)
        province = _latency(lambda: queries.warnings(conn, today), repeat=10)
    for name, (median, p95) in (("secretary home", home), ("board", board), ("chain", chain), ("province warnings", province)):
        rows.append((f"4. query: {name}", f"median {median:.1f} ms", f"p95 {p95:.1f} ms", ""))

    print(f"\nDutyLoop bench on {backend}: {total:,} events, {len(summary.branches)} branches")
    print(f"{'measure':34} {'DutyLoop':>20} {'baseline (same run)':>24} {'ratio':>7}")
    for name, value, baseline, ratio in rows:
        print(f"{name:34} {value:>20} {baseline:>24} {ratio:>7}")
    system.close()
    raw.close()
    _clean_up(args, tmp, [system.settings, raw_settings])


def _clean_up(args: argparse.Namespace, tmp: Path, used: list[Settings]) -> None:
    """Leave nothing behind: the temporary SQLite files, or the PostgreSQL schemas."""
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)
    if args.postgres:
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as conn:
            for settings in used:
                conn.execute(f'DROP SCHEMA IF EXISTS "{settings.postgres_schema}" CASCADE')


def _open_tasks(system: object) -> list[uuid.UUID]:
    system.catch_up()  # type: ignore[attr-defined]
    with system.engine.connect() as conn:  # type: ignore[attr-defined]
        return [uuid.UUID(r["task_id"]) for r in queries.task_list(conn, status=("signed", "in_progress"), limit=100000)]


if __name__ == "__main__":
    main()
