"""As of a past moment: the private replay answers every question exactly as the live views
answered it at that moment, whatever was recorded since (including changed warning thresholds)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from domain.commands.task_lists import TaskSpec
from domain.clock import ManualClock, today
from domain.task import Deadline
from domain.vocabulary import InspectionKind, MeetingKind
from dutyloop.wiring import System
from projections import chain_queries, chain_story, deadline_queries, task_queries
from views_support import EVIDENCE, World, build_world


def _answers(conn: Connection, day: date, chains: list[str]) -> dict[str, Any]:
    return {
        "task_list": task_queries.task_list(conn, limit=10_000),
        "warnings": deadline_queries.warnings(conn, day),
        "branch_summary": task_queries.branch_summary(conn, day),
        "trail_rows": chain_queries.trail_rows(conn, limit=10_000),
        "chains": [chain_story.story(conn, c) for c in chains],
        "open_chains": chain_queries.open_chains(conn, day),
        "thresholds": deadline_queries.thresholds_in_force(conn),
    }


def _issue(w: World, title: str, deadlines: list[date]) -> list[Any]:
    app = w.app
    meeting = app.plan_meeting(w.dept, MeetingKind.SECRETARIES, w.committee, f"{title}例会", w.today)
    app.record_minutes(w.dept, meeting, w.today, [w.dept, *w.secretaries.values()], [f"部署{title}"])
    specs = [
        TaskSpec(f"{title}{i}", org, w.secretaries[org], Deadline(on=due))
        for i, (org, due) in enumerate(zip(w.branches, deadlines, strict=True))
    ]
    return app.issue_task_list(w.dept, meeting, specs)


def test_as_of_answers_what_the_live_views_answered_then(system: System, clock: ManualClock) -> None:
    app = system.app
    w = build_world(app, clock, branches=3)
    app.set_warning_thresholds(w.admin, 3, 5, [2, 3])
    d0 = w.today  # 2025-03-28, a Friday
    first = _issue(w, "一季度任务", [d0 + timedelta(days=4), d0 + timedelta(days=12), d0 + timedelta(days=30)])
    for org, task in zip(w.branches, first, strict=True):
        app.sign_for_task(w.secretaries[org], task)
    _, [finding] = app.conduct_inspection(w.dept, InspectionKind.RANDOM, w.branches[0], "组织生活", ["记录不全"])
    by_finding = app.open_rectification(w.dept, finding, w.secretaries[w.branches[0]], "补齐记录", Deadline(working_days=5))

    clock.advance(days=3)
    app.report_task_done(w.secretaries[w.branches[1]], first[1], EVIDENCE)
    app.submit_rectification_plan(w.secretaries[w.branches[0]], by_finding, "逐条补齐")
    interview = app.schedule_interview(w.discipline, w.leader, w.secretaries[w.branches[2]], "进度滞后", w.today, task_ids=[first[2]])
    clock.advance(days=2)
    by_interview = app.hold_interview(w.discipline, interview, w.today, "提出要求", ["两周内完成"], Deadline(working_days=10), "限期完成")
    app.accept_task(w.dept, first[1], "通过")

    clock.advance(days=5)
    app.report_rectification_completion(w.secretaries[w.branches[0]], by_finding, EVIDENCE[:1])
    app.request_extension(w.secretaries[w.branches[2]], first[2], d0 + timedelta(days=40), "迎峰度夏")
    t1 = clock.now()
    day1 = today(clock)
    system.catch_up()
    chains = [by_finding.hex, by_interview.hex]
    with system.engine.connect() as conn:
        then = _answers(conn, day1, chains)
    # Not an empty question: something is overdue, due soon, open and traced at T1.
    assert {w["level"] for w in then["warnings"]} >= {"overdue"}
    assert len(then["open_chains"]) == 2 and len(then["task_list"]) == 3
    assert any(b["tasks_overdue"] for b in then["branch_summary"])

    # T2: more work, a new task list, a closed chain, and different thresholds.
    clock.advance(hours=2)
    app.approve_extension(w.dept, first[2])
    app.verify_rectification(w.dept, by_finding, "到位")
    app.close_rectification(w.dept, by_finding)
    clock.advance(days=1)
    _issue(w, "二季度任务", [w.today + timedelta(days=2), w.today + timedelta(days=3), w.today + timedelta(days=9)])
    app.set_warning_thresholds(w.admin, 6, 2, [1])
    app.report_task_progress(w.secretaries[w.branches[0]], first[0], "补做中")
    system.catch_up()
    with system.engine.connect() as conn:
        now = _answers(conn, day1, chains)
    for key in then:
        assert now[key] != then[key], f"{key} did not change after T1: the test would prove nothing"

    replay = system.views.as_of(t1)
    try:
        with replay.connect() as conn:
            assert _answers(conn, day1, chains) == then
    finally:
        replay.dispose()

    # Between two recorded moments: exactly the facts recorded by then.
    middle = t1 - timedelta(days=5, hours=1)
    replay = system.views.as_of(middle)
    try:
        with replay.connect() as conn:
            earlier = chain_queries.trail_rows(conn, limit=10_000)
    finally:
        replay.dispose()
    assert earlier == [row for row in now["trail_rows"] if row["recorded_at"] <= _moment(middle)]
    assert 0 < len(earlier) < len(then["trail_rows"])


def _moment(when: Any) -> str:
    from projections.view import moment

    return moment(when)
