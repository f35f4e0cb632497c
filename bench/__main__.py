"""``python -m bench --events N [--postgres URL]``: DutyLoop's speed next to the raw library's.

Prints, for the chosen database, every measure of the benchmarks issue beside its baseline
measured in the same run, the ratio, the target and whether it is met:

1. command rate (one event per transaction) ÷ the raw save rate of an aggregate, one event each;
2. bulk import (task lists of 50 in one command) ÷ the raw save rate of 50 new aggregates per save;
3. rebuild of all views ÷ the library's read-and-decode rate of the log in pages of 1,000;
4. query latencies at this size (median and p95);
5. the scheduler's deadline job at a tenth of and at all the open tasks, and how its time grows;
6. peak resident memory of the rebuild at a quarter, half and all of the log;
7. the integrity check rate;
8. beside a CRUD peer of the same workflow on the same data (bench/crud.py): a command written, a
   command with its views caught up, a supervisor's trail, a secretary's warnings, storage on disk;
9. how long ``dutyloop --help`` and a simple query (``counts status``) take as processes, beside
   ``python -c pass``;
10. the pages people wait for (home, board, a chain, the task list, search) over HTTP, p50 and p95,
   each beside its query function timed in turn with it (bench/pages.py);
and, on PostgreSQL, throughput with 1, 2 and 4 writer processes with nothing lost or doubled.
Not a test: it asserts nothing, but says "no" where a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from bench import deadlines, pages, writers
from bench.crud import CrudPeer, storage_bytes
from bench.baseline import (
    batched_save_rate,
    rate,
    same_size_raw_application,
    single_save_rate,
)
from bench.generate import generate
from bench.rebuild import RebuildResult
from domain.commands.task_lists import TaskSpec
from domain.clock import ManualClock
from domain.task import Deadline
from domain.vocabulary import MeetingKind
from dutyloop.demo import DemoSummary
from dutyloop.integrity import verify
from dutyloop.rebuild import peak_rss_mb
from dutyloop.settings import Settings
from dutyloop.wiring import System, make_engine, open_system
from projections import chain_queries, chain_story, deadline_queries, task_queries

TODAY = date(2026, 11, 20)
PER_LIST = 50
Row = tuple[str, str, str, str, str, str]
"""measure, DutyLoop, baseline, ratio, target, met."""


def _settings(args: argparse.Namespace, tmp: Path, label: str) -> Settings:
    if args.postgres:
        return Settings(data_dir=tmp, database_url=args.postgres, postgres_schema=f"bench_{label}_{uuid.uuid4().hex[:8]}")
    return Settings(data_dir=tmp / label)


def _latency(call: Callable[[], object], repeat: int = 30) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


def _ratio_row(name: str, value: float, unit: str, baseline: float, what: str, target: float) -> Row:
    ratio = value / baseline
    return (name, f"{value:,.0f} {unit}", f"{what} {baseline:,.0f}/s", f"{ratio:.2f}", f"≥ {target}", _met(ratio >= target))


def _met(ok: bool) -> str:
    return "yes" if ok else "NO"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--postgres", help="PostgreSQL URL; default SQLite in a temporary directory")
    parser.add_argument("--commands", type=int, default=1000, help="single commands timed for measure 1")
    parser.add_argument("--imports", type=int, default=100, help="task lists of 50 timed for measure 2")
    parser.add_argument("--open-tasks", type=int, help="open tasks for measure 5 (default: a tenth of --events, at most 100,000)")
    parser.add_argument("--writer-seconds", type=float, default=5.0, help="how long each multi-writer run lasts")
    parser.add_argument("--page-requests", type=int, default=30, help="requests of each page for measure 10")
    args = parser.parse_args()
    open_tasks = args.open_tasks or max(1000, min(100_000, args.events // 10))
    tmp = Path(tempfile.mkdtemp(prefix="dutyloop-bench-"))
    used: list[Settings] = []
    try:
        _run(args, tmp, used, open_tasks)
    finally:
        _clean_up(args, tmp, used)


def _run(args: argparse.Namespace, tmp: Path, used: list[Settings], open_tasks: int) -> None:
    backend = "PostgreSQL" if args.postgres else "SQLite"
    began_all = time.perf_counter()
    rows: list[Row] = []
    notes: list[str] = []

    clock = ManualClock(datetime(2025, 1, 6, 9))
    used.append(_settings(args, tmp, "data"))
    system = open_system(used[-1], clock)
    began = time.perf_counter()
    summary = generate(system.app, clock, args.events)
    total = system.views.head()
    rows.append(("data generated", f"{total:,} events", f"{rate(total, time.perf_counter() - began):,.0f} events/s", "", "", ""))

    used.append(_settings(args, tmp, "raw"))
    raw_settings = used[-1]
    raw_settings.data_dir.mkdir(parents=True, exist_ok=True)
    if raw_settings.is_postgres:
        open_system(raw_settings, clock).close()
    raw = same_size_raw_application(system.app, raw_settings)
    raw_single = single_save_rate(raw, args.commands)
    raw_batched = batched_save_rate(raw, args.imports, PER_LIST)
    raw.close()

    rows.append(_ratio_row("1. command rate (1 event/txn)", _command_rate(system, args.commands), "cmd/s", raw_single, "raw save", 0.7))
    rows.append(_ratio_row("2. bulk import (lists of 50)", _import_rate(system, summary, clock, args.imports), "events/s", raw_batched, "raw 50/save", 0.7))
    system.catch_up()

    result = _rebuild_elsewhere(system.settings)
    rows.append(_ratio_row(
        f"3. rebuild all views ({result.workers} proc.)", result.rebuild_rate, "events/s", result.read_rate, "read+decode", 0.5
    ))

    began = time.perf_counter()
    verdict = verify(system.engine)
    verify_rate = rate(verdict.checked, time.perf_counter() - began)
    rows.append(("7. integrity check", f"{verify_rate:,.0f} events/s", f"intact={verdict.intact}", f"{verify_rate / result.read_rate:.2f}", "", ""))

    rows.extend(_queries(system, summary))
    rows.extend(pages.measure(system, args.page_requests))
    used.append(_settings(args, tmp, "crud"))
    rows.extend(_against_peer(system, summary, used[-1], args.commands))
    system.close()
    rows.extend(_cli_start(system.settings))

    marks = ", ".join(f"{mb:,.0f} MB at {events:,}" for events, mb in result.peak_mb)
    flat = result.peak_mb[-1][1] <= result.peak_mb[0][1] * 1.25 + 16 if result.peak_mb else False
    rows.append(("6. rebuild peak RSS", marks, f"{result.with_indexes_mb:,.0f} MB with indexes rebuilt", "", "flat", _met(flat)))

    used.append(_settings(args, tmp, "deadlines"))
    runs = deadlines.measure(used[-1], (open_tasks // 10, open_tasks))
    for run in runs:
        rows.append((
            f"5. deadline job, {run.open_tasks:,} open", f"scan {run.repeat_seconds * 1000:,.0f} ms",
            f"first run {run.first_seconds:.1f} s ({run.recorded} new)", "", "", "",
        ))
    growth = runs[1].repeat_seconds / runs[0].repeat_seconds
    rows.append((
        "5. deadline job growth ×10 tasks", f"× {growth:.1f}", "linear: × 10", f"{growth / 10:.2f}", "≤ 1 (+20 % noise)",
        _met(growth <= 12),
    ))

    if args.postgres:
        used.append(_settings(args, tmp, "writers"))
        first = None
        for run in writers.measure(used[-1], (1, 2, 4), args.writer_seconds):
            first = first or run.rate
            rows.append((
                f"multi-writer: {run.writers} process(es)", f"{run.rate:,.0f} cmd/s",
                f"{run.commands} cmds = {run.events_added} events = {run.trail_rows_added} trail rows",
                f"{run.rate / first:.2f}", "rising, exact", _met(run.exact and run.rate >= first * 0.95),
            ))
    else:
        notes.append("multi-writer throughput: PostgreSQL only (SQLite takes one writer at a time); run with --postgres URL")

    rows.append(("peak RSS of this process", f"{peak_rss_mb():,.0f} MB", "", "", "", ""))
    rows.append(("whole run", f"{time.perf_counter() - began_all:,.0f} s", "", "", "", ""))
    _print(backend, total, len(summary.branches), rows, notes)


def _command_rate(system: System, commands: int) -> float:
    app = system.app
    tasks = _open_tasks(system)[:commands]
    owner = {t: app.task(t).owner_id for t in tasks}
    began = time.perf_counter()
    for task_id in tasks:
        app.report_task_progress(owner[task_id], task_id, "进展")
    return rate(len(tasks), time.perf_counter() - began)


def _import_rate(system: System, summary: DemoSummary, clock: ManualClock, lists: int) -> float:
    """Task lists of 50 issued by the party department, one command each, on the last day."""
    app = system.app
    clock.set(datetime(TODAY.year, TODAY.month, TODAY.day, 16, tzinfo=clock.tz))
    dept = summary.people.party_dept[0]
    meeting = app.plan_meeting(dept, MeetingKind.OTHER, summary.committee_id, "年度任务导入", TODAY)
    app.record_minutes(dept, meeting, TODAY, [dept], ["导入年度任务"])
    branches = summary.branches
    plans = [
        [
            TaskSpec(f"年度任务{n}-{i}", org, summary.people.secretaries[org], Deadline(on=date(2027, 6, 30)), "按计划完成")
            for i in range(PER_LIST)
            for org in [branches[(n * PER_LIST + i) % len(branches)]]
        ]
        for n in range(lists)
    ]
    head = system.views.head()
    began = time.perf_counter()
    for specs in plans:
        app.issue_task_list(dept, meeting, specs)
    seconds = time.perf_counter() - began
    return rate(system.views.head() - head, seconds)


def _rebuild_elsewhere(settings: Settings) -> RebuildResult:
    """Measures 3 and 6 in a process of their own (see bench/rebuild.py)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.rebuild", settings.to_json()], capture_output=True, text=True, check=True
    )
    values = json.loads(done.stdout.strip().splitlines()[-1])
    values["peak_mb"] = [tuple(mark) for mark in values["peak_mb"]]
    return RebuildResult(**values)


def _queries(system: System, summary: DemoSummary) -> list[Row]:
    secretary_id = summary.people.secretaries[summary.branches[0]].hex
    rows: list[Row] = []
    with system.engine.connect() as conn:
        home = _latency(lambda: (deadline_queries.warnings(conn, TODAY, owner_id=secretary_id), task_queries.task_list(conn, owner_id=secretary_id)))
        board = _latency(lambda: task_queries.branch_summary(conn, TODAY))
        chain_id = summary.sample_chain.hex if summary.sample_chain else None
        chain = _latency(lambda: chain_story.story(conn, chain_id)) if chain_id else (0.0, 0.0)
        province = _latency(lambda: deadline_queries.warnings(conn, TODAY), repeat=10)
    for name, (median, p95), limit in (
        ("secretary home", home, 50), ("board", board, 50), ("chain", chain, 50), ("province warnings", province, 500),
    ):
        rows.append((f"4. query: {name}", f"median {median:.1f} ms", f"p95 {p95:.1f} ms", "", f"p95 < {limit} ms", _met(p95 < limit)))
    return rows


PEER_BLOCK = 25
"""Commands timed in turn on DutyLoop and on the peer, so both see the same load on a shared machine."""


def _against_peer(system: System, summary: DemoSummary, settings: Settings, commands: int) -> list[Row]:
    """Measure 8: DutyLoop ÷ the CRUD peer, each ratio above 1 where DutyLoop is the faster or smaller."""
    if settings.is_postgres:
        open_system(settings, system.clock).close()
    else:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    peer = CrudPeer(make_engine(settings))
    peer.load_from(system.engine)
    app = system.app
    tasks = _open_tasks(system)[-commands:]
    owner = {t: app.task(t).owner_id for t in tasks}
    timed = {"written": 0.0, "caught up": 0.0, "peer": 0.0}
    for start in range(0, len(tasks), PEER_BLOCK):
        block = tasks[start : start + PEER_BLOCK]
        began = time.perf_counter()
        for task_id in block:
            app.report_task_progress(owner[task_id], task_id, "进展")
        timed["written"] += time.perf_counter() - began
        system.catch_up()
        began = time.perf_counter()
        for task_id in block:
            app.report_task_progress(owner[task_id], task_id, "进展")
            system.catch_up()
        timed["caught up"] += time.perf_counter() - began
        began = time.perf_counter()
        for task_id in block:
            peer.report_progress(owner[task_id], task_id, "进展")
        timed["peer"] += time.perf_counter() - began
    peer_rate = rate(len(tasks), timed["peer"])
    supervisor = summary.people.party_dept[1].hex
    secretary = summary.people.secretaries[summary.branches[0]].hex
    with system.engine.connect() as conn, peer.engine.connect() as peer_conn:
        trail = _latency(lambda: chain_queries.trail_rows(conn, actor_id=supervisor, limit=500))
        peer_trail = _latency(lambda: peer.trail(peer_conn, supervisor))
        warned = _latency(lambda: deadline_queries.warnings(conn, TODAY, owner_id=secretary))
        peer_warned = _latency(lambda: peer.warnings(peer_conn, conn, TODAY, secretary))
    ours, theirs = storage_bytes(system.engine), peer.bytes_on_disk()
    peer.engine.dispose()
    rows = [
        _ratio_row("8. command written vs CRUD", rate(len(tasks), timed["written"]), "cmd/s", peer_rate, "CRUD", 1.0),
        _ratio_row("8. command + views vs CRUD", rate(len(tasks), timed["caught up"]), "cmd/s", peer_rate, "CRUD", 1.0),
    ]
    for name, (median, _), (peer_median, _) in (("trail of a supervisor", trail, peer_trail), ("secretary's warnings", warned, peer_warned)):
        ratio = peer_median / median
        rows.append((f"8. {name} p50", f"{median:.1f} ms", f"CRUD {peer_median:.1f} ms", f"{ratio:.2f}", "≥ 0.67", _met(ratio >= 1 / 1.5)))
    ratio = theirs / ours
    rows.append(("8. storage on disk", f"{ours / 2**20:,.0f} MB", f"CRUD {theirs / 2**20:,.0f} MB", f"{ratio:.2f}", "≥ 0.5", _met(ratio >= 0.5)))
    return rows


CLI_STARTS = 5
"""Starts of each command line timed, the median kept."""


def _cli_start(settings: Settings) -> list[Row]:
    """Measure 9: the wall time of a process, from start to exit, against an empty interpreter's."""
    env = {**os.environ, "DUTYLOOP_DATA_DIR": str(settings.data_dir), "DUTYLOOP_DATABASE_URL": settings.database_url or "",
           "DUTYLOOP_POSTGRES_SCHEMA": settings.postgres_schema}

    def started(*argv: str) -> float:
        samples = []
        for _ in range(CLI_STARTS):
            began = time.perf_counter()
            subprocess.run([sys.executable, *argv], env=env, capture_output=True, check=True)
            samples.append(time.perf_counter() - began)
        return statistics.median(samples)

    empty = started("-c", "pass")
    rows = []
    for name, argv in (("--help", ("-m", "dutyloop", "--help")), ("counts status", ("-m", "dutyloop", "counts", "status"))):
        seconds = started(*argv)
        rows.append((
            f"9. CLI start: {name}", f"{seconds:.2f} s", f"python -c pass {empty:.2f} s", f"{seconds / empty:.1f}×",
            "< 0.4 s", _met(seconds < 0.4),
        ))
    return rows


def _print(backend: str, total: int, branches: int, rows: list[Row], notes: list[str]) -> None:
    print(f"\nDutyLoop bench on {backend}: {total:,} events, {branches} branches")
    print(f"{'measure':36} {'DutyLoop':>30} {'baseline (same run)':>46} {'ratio':>6} {'target':>14} {'met':>4}")
    for name, value, baseline, ratio, target, met in rows:
        print(f"{name:36} {value:>30} {baseline:>46} {ratio:>6} {target:>14} {met:>4}")
    for note in notes:
        print(f"note: {note}")


def _clean_up(args: argparse.Namespace, tmp: Path, used: list[Settings]) -> None:
    """Leave nothing behind: the temporary SQLite files, or the PostgreSQL schemas."""
    shutil.rmtree(tmp, ignore_errors=True)
    if args.postgres:
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as conn:
            for settings in used:
                conn.execute(f'DROP SCHEMA IF EXISTS "{settings.postgres_schema}" CASCADE')


def _open_tasks(system: System) -> list[uuid.UUID]:
    system.catch_up()
    with system.engine.connect() as conn:
        return [uuid.UUID(r["task_id"]) for r in task_queries.task_list(conn, status=("signed", "in_progress"), limit=100000)]


if __name__ == "__main__":
    main()
