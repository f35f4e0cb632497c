"""Measure 5: the scheduler's deadline job over many open tasks, and how its time grows.

A system of its own (a committee and 12 branches) is given open tasks in task lists of 50, with
deadlines spread over the next 400 days, so about one in thirty is overdue or due soon a week
later. The job runs at each size first to record the reminders now due, then three times more finding
them all recorded and recording nothing (the daily scan with nothing new; the median is taken). From a tenth of
the open tasks to all of them, a job that reads only open tasks grows at most tenfold.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from bench.org import SmallOrg, small_org
from domain.commands.task_lists import TaskSpec
from domain.clock import ManualClock
from domain.task import Deadline
from domain.vocabulary import MeetingKind
from dutyloop.settings import Settings
from dutyloop.wiring import System, open_system
from scheduler.deadlines import check_deadlines

ISSUED_ON = date(2026, 11, 20)
CHECKED_ON = ISSUED_ON + timedelta(days=7)
SPREAD_DAYS = 400
PER_LIST = 50
REPEATS = 3
"""Repeat scans per size; the median is reported (the machine may be busy with other work)."""


@dataclass(frozen=True)
class JobRun:
    open_tasks: int
    first_seconds: float
    recorded: int
    repeat_seconds: float
    issue_rate: float
    """Tasks per second issued in lists of 50 to reach this size (also measure 2's figure here)."""


def measure(settings: Settings, sizes: tuple[int, ...]) -> list[JobRun]:
    clock = ManualClock(datetime(2026, 1, 5, 9))
    system = open_system(settings, clock)
    try:
        org = small_org(system.app, clock, datetime(ISSUED_ON.year, ISSUED_ON.month, ISSUED_ON.day, 9, tzinfo=clock.tz))
        meeting = _held_meeting(system, org)
        runs = []
        issued = 0
        for size in sizes:
            began = time.perf_counter()
            issued = _issue(system, org, meeting, issued, size)
            issue_rate = (size - (runs[-1].open_tasks if runs else 0)) / (time.perf_counter() - began)
            system.catch_up()
            began = time.perf_counter()
            recorded = len(check_deadlines(system.app, system.views, CHECKED_ON))
            first = time.perf_counter() - began
            system.catch_up()
            repeats = []
            for _ in range(REPEATS):
                began = time.perf_counter()
                again = check_deadlines(system.app, system.views, CHECKED_ON)
                repeats.append(time.perf_counter() - began)
                if again:
                    raise RuntimeError(f"the repeated deadline job recorded {len(again)} reminders twice")
            runs.append(JobRun(size, first, recorded, statistics.median(repeats), issue_rate))
        return runs
    finally:
        system.close()


def _held_meeting(system: System, org: SmallOrg) -> UUID:
    dept = org.dept
    app = system.app
    meeting = app.plan_meeting(dept, MeetingKind.OTHER, org.committee, "专项任务部署会", ISSUED_ON)
    app.record_minutes(dept, meeting, ISSUED_ON, [dept], ["部署专项任务"])
    return meeting


def _issue(system: System, org: SmallOrg, meeting: UUID, issued: int, upto: int) -> int:
    dept = org.dept
    branches = org.branches
    while issued < upto:
        specs = []
        for i in range(issued, min(issued + PER_LIST, upto)):
            branch = branches[i % len(branches)]
            due = ISSUED_ON + timedelta(days=1 + i % SPREAD_DAYS)
            specs.append(TaskSpec(f"专项任务{i}", branch, org.secretaries[branch], Deadline(on=due), "按要求完成"))
        system.app.issue_task_list(dept, meeting, specs)
        issued += len(specs)
    return issued
