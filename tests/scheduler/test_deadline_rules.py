"""The deadline check's rules beyond a task's plain life: downtime, rectifications, extensions,
late progress reports, and an organisation without some rungs of the ladder."""

from __future__ import annotations

from datetime import date

from scheduler_support import build_org, finish, issue, reminder_rows

from domain.clock import ManualClock
from domain.task import Deadline
from domain.vocabulary import InspectionKind, ReportCycle, Role
from dutyloop.wiring import System
from scheduler.deadlines import check_deadlines

DEADLINE = date(2025, 5, 20)


def test_after_days_of_downtime_only_the_current_level_is_recorded(system: System, clock: ManualClock) -> None:
    app = system.app
    org = build_org(app)
    clock.set_day(date(2025, 5, 6))
    tasks = issue(app, clock, org, DEADLINE, titles=("甲", "乙", "丙"))
    assert check_deadlines(app, system.views, date(2025, 5, 6)) == []

    late = app.calendar().add_working_days(DEADLINE, 6)  # seriously overdue, not yet escalated
    clock.set_day(late)
    recorded = check_deadlines(app, system.views, late)
    assert len(recorded) == 3
    for task in tasks:
        assert reminder_rows(system, task) == [(late.isoformat(), "seriously_overdue", 0, org.worker.hex, DEADLINE.isoformat())]
    assert check_deadlines(app, system.views, late) == []


def test_rectification_escalates_like_a_task(system: System, clock: ManualClock) -> None:
    app = system.app
    org = build_org(app)
    clock.set_day(date(2025, 5, 6))
    _, (finding,) = app.conduct_inspection(org.discipline, InspectionKind.RANDOM, org.branch, "组织生活检查", ["三会一课记录不全"])
    rect = app.open_rectification(org.discipline, finding, org.secretary, "补齐记录", Deadline(on=DEADLINE))
    day = app.calendar().add_working_days(DEADLINE, 5 + 2)
    clock.set_day(day)
    check_deadlines(app, system.views, day)
    # the secretary owns it, so the first rung is the 党委书记 (the branch's own secretary is the owner);
    # seen first this late, the owner hears of it too, in the same check
    assert sorted(reminder_rows(system, rect)) == [(day.isoformat(), "escalated", 1, org.leader.hex, DEADLINE.isoformat()),
                                                   (day.isoformat(), "seriously_overdue", 0, org.secretary.hex, DEADLINE.isoformat())]


def test_an_extended_deadline_starts_the_levels_again(system: System, clock: ManualClock) -> None:
    app = system.app
    org = build_org(app)
    clock.set_day(date(2025, 5, 6))
    (task,) = issue(app, clock, org, DEADLINE)
    clock.set_day(DEADLINE)
    check_deadlines(app, system.views, DEADLINE)
    app.request_extension(org.worker, task, date(2025, 6, 10), "等待上级材料")
    app.approve_extension(org.dept, task)
    assert check_deadlines(app, system.views, DEADLINE) == []
    due_soon = date(2025, 6, 5)
    clock.set_day(due_soon)
    assert len(check_deadlines(app, system.views, due_soon)) == 1
    assert [r[1:3] + (r[4],) for r in reminder_rows(system, task)] == [
        ("due_today", 0, DEADLINE.isoformat()), ("due_soon", 0, "2025-06-10")]


def test_a_finished_task_is_never_reminded(system: System, clock: ManualClock) -> None:
    app = system.app
    org = build_org(app)
    clock.set_day(date(2025, 5, 6))
    (task,) = issue(app, clock, org, DEADLINE)
    finish(app, org, task)
    clock.set_day(date(2025, 6, 30))
    assert check_deadlines(app, system.views, date(2025, 6, 30)) == []


def test_late_weekly_progress_report_reminded_once_per_missed_report(system: System, clock: ManualClock) -> None:
    app = system.app
    org = build_org(app)
    clock.set_day(date(2025, 3, 3))  # a Monday; the deadline is far away
    (task,) = issue(app, clock, org, date(2025, 9, 30), report_cycle=ReportCycle.WEEKLY)
    app.sign_for_task(org.worker, task)
    assert check_deadlines(app, system.views, date(2025, 3, 10)) == []  # due on the 10th: not late yet
    clock.set_day(date(2025, 3, 11))
    assert len(check_deadlines(app, system.views, date(2025, 3, 11))) == 1
    assert check_deadlines(app, system.views, date(2025, 3, 12)) == []
    clock.set_day(date(2025, 3, 13))
    app.report_task_progress(org.worker, task, "已完成自查第一阶段")
    assert check_deadlines(app, system.views, date(2025, 3, 20)) == []  # next report due on the 20th
    clock.set_day(date(2025, 3, 25))
    assert len(check_deadlines(app, system.views, date(2025, 3, 25))) == 1
    late = [r for r in reminder_rows(system, task) if r[1] == "progress_report_late"]
    assert [(r[0], r[4], r[3]) for r in late] == [("2025-03-11", "2025-03-10", org.worker.hex),
                                                   ("2025-03-25", "2025-03-20", org.worker.hex)]


def test_vacant_rungs_are_passed_over(system: System, clock: ManualClock) -> None:
    """Without a branch secretary and with the 党委书记 revoked, the first escalation step goes
    straight to discipline inspection."""
    app = system.app
    org = build_org(app)
    app.revoke_role(org.admin, org.secretary, Role.BRANCH_SECRETARY, org.branch)
    app.revoke_role(org.admin, org.leader, Role.COMMITTEE_SECRETARY, org.committee)
    clock.set_day(date(2025, 5, 6))
    (task,) = issue(app, clock, org, DEADLINE)
    day = app.calendar().add_working_days(DEADLINE, 5 + 2)
    clock.set_day(day)
    check_deadlines(app, system.views, day)
    assert sorted(reminder_rows(system, task)) == [(day.isoformat(), "escalated", 1, org.discipline.hex, DEADLINE.isoformat()),
                                                   (day.isoformat(), "seriously_overdue", 0, org.worker.hex, DEADLINE.isoformat())]
