"""The story a 纪检 officer hands over: a task left overdue, the scheduler's reminders day by
day, an interview about it, the rectification it ends in, verified and closed — each step on its
own business day under the injected clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from scheduler_support import EVIDENCE, Org, build_org, issue

from domain.clock import ManualClock
from domain.task import Deadline
from dutyloop.wiring import System
from scheduler.deadlines import check_deadlines

ISSUED = date(2025, 4, 1)
DEADLINE = date(2025, 4, 9)
INTERVIEW_PLANNED = date(2025, 4, 21)
INTERVIEW_HELD = date(2025, 4, 22)
PLAN = date(2025, 4, 23)
COMPLETED = date(2025, 4, 28)
VERIFIED = date(2025, 4, 29)
CLOSED = date(2025, 4, 30)


@dataclass
class Story:
    org: Org
    task: UUID
    interview: UUID
    rectification: UUID


def _checks(system: System, clock: ManualClock, first: date, last: date) -> None:
    day = first
    while day <= last:
        clock.set_day(day)
        check_deadlines(system.app, system.views, day)
        day += timedelta(days=1)


def tell(system: System, clock: ManualClock) -> Story:
    app = system.app
    clock.set_day(date(2025, 3, 28))
    org = build_org(app)
    clock.set_day(ISSUED)
    (task,) = issue(app, clock, org, DEADLINE)
    _checks(system, clock, ISSUED, INTERVIEW_PLANNED - timedelta(days=1))
    clock.set_day(INTERVIEW_PLANNED)
    interview = app.schedule_interview(org.leader, org.leader, org.worker, "任务逾期未完成", INTERVIEW_HELD, task_ids=[task])
    check_deadlines(app, system.views, INTERVIEW_PLANNED)
    clock.set_day(INTERVIEW_HELD)
    rect = app.hold_interview(org.leader, interview, INTERVIEW_HELD, "指出逾期原因", ["一周内完成"], Deadline(working_days=10),
                              "限期完成支部标准化建设自查")
    check_deadlines(app, system.views, INTERVIEW_HELD)
    clock.set_day(PLAN)
    app.submit_rectification_plan(org.worker, rect, "逐项对照手册补齐材料")
    _checks(system, clock, PLAN, COMPLETED - timedelta(days=1))
    clock.set_day(COMPLETED)
    app.report_rectification_completion(org.worker, rect, EVIDENCE, "已补齐")
    clock.set_day(VERIFIED)
    app.verify_rectification(org.leader, rect, "材料齐全")
    clock.set_day(CLOSED)
    app.close_rectification(org.leader, rect)
    system.catch_up()
    return Story(org, task, interview, rect)
