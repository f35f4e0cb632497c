"""Realistic data at a chosen scale, made with the domain's own commands and aggregates.

The structure (committee, branches, people, a year of meetings, inspections, interviews and
rectifications) comes from the demo builder. Further history is added as monthly task lists of
50 tasks per command, each task then worked through its lifecycle by its aggregate's own methods,
with many aggregates saved per transaction as an import would.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from uuid import UUID

from domain.application import DutyLoop
from domain.commands.task_lists import TaskSpec
from domain.clock import ManualClock
from domain.task import Deadline, Task
from domain.vocabulary import MeetingKind
from dutyloop.demo import DemoSummary, build_demo

TASKS_PER_LIST = 50
SAVE_GROUP = 200


def generate(app: DutyLoop, clock: ManualClock, events: int, seed: int = 11) -> DemoSummary:
    """Build at least ``events`` events (the demo year first, then bulk task history)."""
    end = date(2026, 11, 20)
    branches = max(12, min(1000, events // 1000))
    summary = build_demo(app, clock, end, branches=branches, seed=seed)
    rng = random.Random(seed)
    head = app.recorder.max_notification_id() or 0
    dept = summary.people.party_dept[0]
    supervisor = summary.people.party_dept[1]
    orgs = summary.branches
    day = date(2025, 1, 6)
    while head < events:
        clock.set(datetime(day.year, day.month, day.day, 9, tzinfo=clock.tz))
        meeting = app.plan_meeting(dept, MeetingKind.OTHER, summary.committee_id, f"{day:%Y年%m月%d日}专项部署会", day)
        app.record_minutes(dept, meeting, day, [dept, supervisor], ["部署专项任务"])
        issued: list[UUID] = []
        for start in range(0, len(orgs), TASKS_PER_LIST):
            specs = [
                TaskSpec(f"专项任务{day:%m%d}", org, summary.people.secretaries[org], Deadline(working_days=10), "按要求完成")
                for org in orgs[start : start + TASKS_PER_LIST]
            ]
            issued += app.issue_task_list(dept, meeting, specs)
        _work_through(app, clock, issued, summary, supervisor, day, rng)
        head = app.recorder.max_notification_id() or 0
        day += timedelta(days=7)
        if day > date(2026, 11, 30):
            day = date(2025, 1, 6)
    return summary


def _work_through(
    app: DutyLoop, clock: ManualClock, task_ids: list[UUID], summary: DemoSummary, supervisor: UUID, day: date,
    rng: random.Random,
) -> None:
    """Sign, report and accept each task with its own aggregate methods; save in groups."""
    steps = [(1, "sign"), (4, "progress"), (8, "done"), (10, "accept")]
    loaded: dict[UUID, Task] = {t: app.task(t) for t in task_ids}
    for offset, step in steps:
        clock.set(datetime.combine(day + timedelta(days=offset), datetime.min.time(), clock.tz).replace(hour=10))
        contexts = {person: app.context(person) for person in {t.owner_id for t in loaded.values()} | {supervisor}}
        pending: list[Task] = []
        for task in loaded.values():
            owner = contexts[task.owner_id]
            if step == "sign" and task.status == "issued":
                task.sign_for(owner)
            elif step == "progress" and rng.random() < 0.5 and task.status in ("signed", "in_progress"):
                task.report_progress("按计划推进", owner)
            elif step == "done" and rng.random() < 0.9 and task.status in ("signed", "in_progress"):
                task.report_done([{"kind": "text", "value": "已完成"}], "", owner)
            elif step == "accept" and task.status == "reported_done":
                task.accept("通过", contexts[supervisor])
            else:
                continue
            pending.append(task)
            if len(pending) >= SAVE_GROUP:
                app.save(*pending)
                pending = []
        if pending:
            app.save(*pending)
