"""Measure 10: the pages people wait for, timed over HTTP beside the query functions they use.

The query rows (measure 4) time what the views answer; a page also signs the viewer in, reads
more than its headline query, renders a template and travels over a socket. Here the real
application is served by uvicorn on a loopback port in a thread of this process, each page is
requested in sequence as its user (signed in with a password given for the bench), and after
each request the page's query function is called once on its own connection, so the page and its
baseline see the same load on a shared machine. Nothing is asserted: the rows say "NO" where a
page misses p95 < 50 ms.

Run alone on a data directory a bench left behind (or any DutyLoop data directory) to compare
code before and after a change on the same data:
``python -m bench.pages --data-dir DIR [--events N] [--repeat N]`` (``--events`` generates into
an empty directory first).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import requests
from sqlalchemy import Connection, func, select

from domain.clock import ManualClock
from dutyloop.web.accounts import Accounts
from dutyloop.web.app import create_app
from dutyloop.web.threaded import serving
from dutyloop.web.seeing import Seeing
from dutyloop.wiring import System, open_system
from projections import chain_story, deadline_queries, task_queries
from projections.search_queries import search
from projections.tables import chain_links, people, rectifications, role_assignments, tasks
from projections.task_finder import OPEN_TASK, TaskFilter, find_tasks

TODAY = date(2026, 11, 20)
PASSWORD = "dutyloop-bench"
TARGET_MS = 50
SEARCHED = "整改"
Row = tuple[str, str, str, str, str, str]


@dataclass(frozen=True)
class Subjects:
    """Who asks for the pages: the secretary of the branch with the most tasks (home, task list,
    search), a party department member (board, chain), and the chain with the most members."""

    secretary: str
    branch: str
    leader: str
    chain: str | None


def subjects_of(conn: Connection) -> Subjects:
    branch, _ = conn.execute(
        select(tasks.c.org_id, func.count()).group_by(tasks.c.org_id).order_by(func.count().desc(), tasks.c.org_id).limit(1)
    ).one()
    secretary = conn.execute(
        select(role_assignments.c.person_id)
        .where(role_assignments.c.role == "branch_secretary", role_assignments.c.org_id == branch)
        .order_by(role_assignments.c.person_id)
    ).scalar_one()
    leader = conn.execute(
        select(role_assignments.c.person_id).where(role_assignments.c.role == "party_dept").order_by(role_assignments.c.person_id)
    ).scalars().first()
    chain = conn.execute(
        select(rectifications.c.rectification_id)
        .join(chain_links, chain_links.c.entity_id == rectifications.c.rectification_id)
        .group_by(rectifications.c.rectification_id)
        .order_by(func.count().desc(), rectifications.c.rectification_id)
        .limit(1)
    ).scalar()
    return Subjects(secretary=secretary, branch=branch, leader=leader, chain=chain)


def signed_in(base: str, system: System, person_id: str) -> requests.Session:
    """A session of this person, signed in through the login form."""
    with system.engine.connect() as conn:
        staff_no = conn.execute(select(people.c.staff_no).where(people.c.person_id == person_id)).scalar_one()
    Accounts(system.engine).give_missing([(person_id, staff_no)], PASSWORD)
    client = requests.Session()
    form = client.get(f"{base}/login").text
    token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    done = client.post(f"{base}/login", data={"staff_no": staff_no, "password": PASSWORD, "next": "/", "csrf_token": token},
                       allow_redirects=False)
    if done.status_code != 303 or done.headers.get("location") != "/":
        raise RuntimeError(f"the bench could not sign in as {staff_no}: {done.status_code}")
    return client


def _queries(subjects: Subjects) -> dict[str, Callable[[Connection], object]]:
    """Each page's headline query function, as measure 4 times it."""
    secretary = subjects.secretary
    mine = TaskFilter(work_of=((subjects.branch,), secretary), statuses=OPEN_TASK)
    return {
        "/": lambda conn: (deadline_queries.warnings(conn, TODAY, owner_id=secretary), task_queries.task_list(conn, owner_id=secretary)),
        "/board": lambda conn: task_queries.branch_summary(conn, TODAY),
        "/chains": lambda conn: chain_story.story(conn, subjects.chain),
        "/tasks": lambda conn: find_tasks(conn, mine, Seeing(secretary, frozenset({subjects.branch})), TODAY),
        "/search": lambda conn: search(conn, SEARCHED, Seeing(secretary, frozenset({subjects.branch})), per_page=20),
    }


def pages(subjects: Subjects) -> list[tuple[str, str, str, str]]:
    """(row name, address, who asks, query key) of every page timed."""
    listed = "&".join(f"status={s}" for s in OPEN_TASK)
    rows = [
        ("secretary home /", "/", subjects.secretary, "/"),
        ("board /board", "/board", subjects.leader, "/board"),
        ("task list /tasks?mine=1", f"/tasks?mine=1&{listed}", subjects.secretary, "/tasks"),
        (f"search /search?q={SEARCHED}", f"/search?q={SEARCHED}", subjects.secretary, "/search"),
    ]
    if subjects.chain:
        rows.insert(2, ("chain /chains/<id>", f"/chains/{subjects.chain}", subjects.leader, "/chains"))
    return rows


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[math.ceil(len(ordered) * 0.95) - 1]


def measure(system: System, repeat: int = 30) -> list[Row]:
    """Measure 10: p50 and p95 of ``repeat`` sequential requests of each page, beside its query."""
    system.catch_up()
    with system.engine.connect() as conn:
        subjects = subjects_of(conn)
    queries = _queries(subjects)
    rows: list[Row] = []
    with serving(create_app(system)) as base:
        clients: dict[str, requests.Session] = {}
        try:
            for name, address, person, key in pages(subjects):
                client = clients.get(person) or clients.setdefault(person, signed_in(base, system, person))
                page, query = _timed(system, client, base + address, queries[key], repeat)
                rows.append(_row(name, page, query))
        finally:
            for client in clients.values():
                client.close()
    return rows


def _timed(
    system: System, client: requests.Session, address: str, query: Callable[[Connection], object], repeat: int,
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The page and its query in turn; one warm-up of each first (templates, statement cache)."""
    page_ms: list[float] = []
    query_ms: list[float] = []
    for turn in range(repeat + 1):
        began = time.perf_counter()
        response = client.get(address)
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{address} answered {response.status_code}")
        with system.engine.connect() as conn:
            began = time.perf_counter()
            query(conn)
            queried = (time.perf_counter() - began) * 1000
        if turn:
            page_ms.append(elapsed)
            query_ms.append(queried)
    return _percentiles(page_ms), _percentiles(query_ms)


def _row(name: str, page: tuple[float, float], query: tuple[float, float]) -> Row:
    (p50, p95), (q50, q95) = page, query
    return (
        f"10. page: {name}", f"p50 {p50:.1f} / p95 {p95:.1f} ms", f"query p50 {q50:.1f} / p95 {q95:.1f} ms",
        f"{p95 / q95:.1f}×" if q95 else "", f"p95 < {TARGET_MS} ms", "yes" if p95 < TARGET_MS else "NO",
    )


def main() -> None:
    from bench.generate import generate
    from dutyloop.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m bench.pages")
    parser.add_argument("--data-dir", type=Path, required=True, help="a DutyLoop data directory (kept)")
    parser.add_argument("--events", type=int, default=0, help="generate this many events first if the directory is empty")
    parser.add_argument("--repeat", type=int, default=30, help="requests of each page")
    args = parser.parse_args()
    clock = ManualClock(datetime(2025, 1, 6, 9))
    system = open_system(Settings(data_dir=args.data_dir), clock)
    try:
        if args.events and not system.views.head():
            generate(system.app, clock, args.events)
        clock.set(datetime(TODAY.year, TODAY.month, TODAY.day, 16, tzinfo=clock.tz))
        system.catch_up()
        print(f"pages at {system.views.head():,} events")
        for row in measure(system, args.repeat):
            print("  ".join(row))
    finally:
        system.close()


if __name__ == "__main__":
    main()
