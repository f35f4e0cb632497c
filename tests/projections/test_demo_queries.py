"""The demo year, asked what people ask: the board, the warnings, a chain, the trail. Every answer
comes from the views alone (no aggregate is loaded), is not empty, and agrees with the others."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.application import Repository
from openpyxl import load_workbook

from domain.clock import ManualClock
from dutyloop.demo import DemoSummary, build_demo
from dutyloop.wiring import System
from projections import chain_queries, chain_story, deadline_queries, lookup, task_queries
from projections.chain_queries import OPEN_RECTIFICATION
from projections.task_queries import OPEN_TASK
from views_support import Cli

END = date(2026, 6, 30)
OVERDUE = ("overdue", "seriously_overdue")


class AggregateLoaded(AssertionError):
    pass


def _no_aggregates(*args: Any, **kwargs: Any) -> Any:
    raise AggregateLoaded("a query loaded an aggregate instead of reading the views")


@pytest.fixture
def demo(system: System, clock: ManualClock) -> DemoSummary:
    summary = build_demo(system.app, clock, END, branches=12)
    events = system.views.head()
    count, seconds = system.views.rebuild()
    assert count == events
    print(f"\n[{system.engine.dialect.name}] demo: {events} events; rebuild of every view {count / seconds:,.0f} events/s")
    return summary


def test_demo_answers_come_from_the_views_and_agree(
    system: System, demo: DemoSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(system.app.repository, "get", _no_aggregates)
    monkeypatch.setattr(Repository, "get", _no_aggregates)
    monkeypatch.setattr(system.app.recorder, "select_events", _no_aggregates)
    today = END
    with system.engine.connect() as conn:
        board = task_queries.branch_summary(conn, today)
        tasks = task_queries.task_list(conn, limit=1_000_000)
        warned = deadline_queries.warnings(conn, today)
        chains = chain_queries.open_chains(conn, today)
        rects = {r["rectification_id"]: r for r in chains}
        story = chain_story.story(conn, demo.sample_chain.hex)
        trail = chain_queries.trail_rows(conn, limit=1_000_000)
        secretary = lookup.resolve_person(conn, demo.sample_secretary)
        by_secretary = chain_queries.trail_rows(conn, actor_id=secretary, limit=1_000_000)
        counts = {r["key"]: r for r in task_queries.task_counts(conn, "org")}
    assert len(board) == len(demo.branches) == 14  # 12 branches and the two temporary project branches
    assert len(tasks) == demo.tasks and warned and chains and trail

    # The board agrees with the task list and the open chains, branch by branch.
    for row in board:
        mine = [t for t in tasks if t["org_id"] == row["org_id"]]
        assert row["tasks_open"] == sum(t["status"] in OPEN_TASK for t in mine), row["name"]
        assert row["tasks_overdue"] == sum(t["status"] in OPEN_TASK and t["deadline"] < today.isoformat() for t in mine), row["name"]
        assert row["awaiting_acceptance"] == sum(t["status"] == "reported_done" for t in mine), row["name"]
        accepted = [t for t in mine if t["status"] == "accepted"]
        assert row["done_on_time"] + row["done_late"] == len(accepted) == (counts[row["org_id"]]["accepted"] if accepted else 0)
        assert row["done_on_time"] == sum(t["reported_done_on"] <= t["deadline"] for t in accepted), row["name"]
        open_here = [c for c in chains if c["org_id"] == row["org_id"]]
        assert row["rectifications_open"] == len(open_here)
        assert row["rectifications_overdue"] == sum(c["status"] in OPEN_RECTIFICATION and c["overdue"] for c in open_here)
    assert sum(r["tasks_overdue"] for r in board) > 0 and sum(r["done_on_time"] for r in board) > 0

    # Overdue warnings are exactly the unfinished items past their deadline (committee tasks included).
    overdue_tasks = {t["task_id"] for t in tasks if t["status"] in OPEN_TASK and t["deadline"] < today.isoformat()}
    assert {w["id"] for w in warned if w["kind"] == "task" and w["level"] in OVERDUE} == overdue_tasks
    overdue_rects = {r for r, c in rects.items() if c["status"] in OPEN_RECTIFICATION and c["overdue"]}
    assert {w["id"] for w in warned if w["kind"] == "rectification" and w["level"] in OVERDUE} == overdue_rects
    for warning in warned:
        assert warning["level"] in deadline_queries.LEVELS
        assert (warning["working_days_left"] or 0) <= 0 or warning["level"] == "due_soon"
    assert Counter(w["level"] for w in warned)["seriously_overdue"] > 0

    # The sample chain tells its whole story, in order.
    assert story["rectifications"] and (story["findings"] or story["interviews"])
    ids = [row["notification_id"] for row in story["timeline"]]
    assert ids == sorted(ids) and len(ids) >= 3
    kinds = [row["event_type"] for row in story["timeline"]]
    assert "RectificationOpened" in kinds and ("FindingRaised" in kinds or "InterviewScheduled" in kinds)

    # The trail: one row per event, newest first; a person's trail is theirs alone.
    assert [r["notification_id"] for r in trail] == sorted((r["notification_id"] for r in trail), reverse=True)
    assert len(trail) == system.views.head()
    assert by_secretary and all(r["actor"] == secretary for r in by_secretary)
    assert all(r["actor_name"] and r["event_type"] for r in trail)


def test_demo_commands_and_exports_do_not_load_aggregates(
    system: System, demo: DemoSummary, cli_for: Callable[[System], Cli], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Through the command line as a user runs it (its own process state), views only."""
    cli = cli_for(system)
    monkeypatch.setattr(Repository, "get", _no_aggregates)
    day = END.isoformat()
    chain = demo.sample_chain.hex[:8]
    began = time.perf_counter()
    for args in (("board",), ("warnings",), ("tasks",), ("chains",), ("chain", chain), ("trail", "--limit", "50"),
                 ("mywork", "--person", demo.sample_secretary)):
        result = cli("--json", *args, "--today", day)
        assert result.exit_code == 0, (args, result.output)
        assert result.stdout.strip() not in ("[]", "{}"), args
    for what, extra in (("board", ()), ("warnings", ()), ("trail", ()), ("tasks", ()), ("chain", (chain,))):
        path = tmp_path / f"{what}.xlsx"
        result = cli("export", what, *extra, "--out", str(path), "--today", day)
        assert result.exit_code == 0, (what, result.output)
        assert load_workbook(path).worksheets[0].max_row > 1, what
    print(f"\n[{system.engine.dialect.name}] queries and exports through the CLI: {time.perf_counter() - began:.2f} s")
