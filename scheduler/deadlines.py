"""The deadline check: reminders about unfinished tasks and rectifications, as of one day.

For each open item the deadline-warning view lists, exactly one reminder is due *now*: its
current level (due soon → due today → overdue → seriously overdue) to the person responsible,
and, once seriously overdue long enough, the current escalation step (see ``scheduler.ladder``)
to the people of that rung as well. Levels the item passed while nobody checked are not recorded
afterwards: a check after days of downtime records where each item stands today, once — but the
person responsible always hears of it at its level (严重逾期) before, or with, the first
escalation above them: months of downtime never take a matter to 纪检 behind the secretary's back.
On a day-by-day run the owner's 严重逾期 reminder is already recorded, so nothing is added.
Open tasks with a weekly or monthly report cycle whose last report is late get a
``progress_report_late`` reminder for the report most recently missed.

The check reads only the views of open items (never the event log), so it costs one pass over
the open items near or past their deadline, plus one write per reminder that is new.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import Connection, select

from domain.application import DutyLoop
from domain.calendar import WorkingCalendar
from domain.errors import CalendarYearMissing
from domain.vocabulary import ReminderLevel, ReportCycle
from projections import deadline_queries, task_queries
from projections.runner import ProjectionRunner
from projections.tables import tasks
from scheduler.ladder import Directory, current_step
from scheduler.progress import latest_missed
from scheduler.reminders import SCHEDULED, Due, Entry, record, recorded_keys


REPORTING_CYCLES = tuple(cycle.value for cycle in ReportCycle if cycle is not ReportCycle.NONE)
"""Named, not "anything but none", so the scan reads only tasks that report on a cycle (an index)."""


def check_deadlines(app: DutyLoop, views: ProjectionRunner, today: date, entry: Entry = SCHEDULED) -> list[UUID]:
    """Record the reminders due on ``today`` that were not recorded before; returns their ids."""
    views.catch_up()
    with views.engine.connect() as conn:
        due = deadline_reminders(conn, today) + progress_reminders(conn, today)
        known = recorded_keys(conn, (item.target_id for item in due))
    return record(app, due, known, entry)


def deadline_reminders(conn: Connection, today: date) -> list[Due]:
    limits = deadline_queries.thresholds_in_force(conn)
    directory = Directory.read(conn)
    due: list[Due] = []
    for row in deadline_queries.warnings(conn, today, limits):
        deadline = date.fromisoformat(row["deadline"])
        left = row["working_days_left"]
        overdue = max(-left if left is not None else (today - deadline).days, 0)
        common = {"deadline": deadline, "target_kind": row["kind"], "target_id": row["id"], "org_id": row["org_id"],
                  "overdue_working_days": overdue}
        step = None
        if row["level"] == ReminderLevel.SERIOUSLY_OVERDUE:
            ladder = directory.ladder(row["org_id"], row["owner_id"])
            step = current_step(ladder, limits.serious, limits.escalation_grace, overdue)
        due.append(Due(level=row["level"], step=0, recipient_id=row["owner_id"], **common))
        if step is not None:
            due.extend(
                Due(level=ReminderLevel.ESCALATED.value, step=step.number, recipient_id=person, **common)
                for person in step.recipients
            )
    return due


def progress_reminders(conn: Connection, today: date) -> list[Due]:
    calendar = deadline_queries.calendar_known(conn)
    rows = conn.execute(
        select(tasks.c.task_id, tasks.c.org_id, tasks.c.owner_id, tasks.c.issued_on, tasks.c.last_progress_on,
               tasks.c.report_cycle)
        .where(tasks.c.report_cycle.in_(REPORTING_CYCLES), tasks.c.status.in_(task_queries.OPEN_TASK))
    )
    due: list[Due] = []
    for row in rows:
        anchor = date.fromisoformat(row.last_progress_on or row.issued_on)
        missed = latest_missed(calendar, row.report_cycle, anchor, today)
        if missed is not None:
            due.append(Due(
                deadline=missed, target_kind="task", target_id=row.task_id,
                level=ReminderLevel.PROGRESS_REPORT_LATE.value, step=0, recipient_id=row.owner_id,
                org_id=row.org_id, overdue_working_days=_working_days_late(calendar, missed, today),
            ))
    return due


def _working_days_late(calendar: WorkingCalendar, due: date, today: date) -> int:
    try:
        return max(calendar.working_days_between(due, today), 0)
    except CalendarYearMissing:
        return (today - due).days
