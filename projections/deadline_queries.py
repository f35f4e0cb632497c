"""Deadlines as the views know them: the thresholds and working-day calendar in force, the
warnings they give (due soon, due today, overdue, seriously overdue), and the reminders recorded.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, literal, select

from domain.calendar import HolidaySchedule, WorkingCalendar
from domain.errors import CalendarYearMissing
from domain.warning_policy import DEFAULT_DUE_SOON, DEFAULT_ESCALATION_GRACE, DEFAULT_SERIOUS, bounded
from projections.chain_queries import OPEN_RECTIFICATION
from projections.tables import calendar_loads, organisations, people, rectifications, tasks, warning_policy
from projections.task_queries import OPEN_TASK


_BUILTIN = WorkingCalendar.builtin()


@dataclass(frozen=True)
class Thresholds:
    """When a deadline warns: ``due_soon`` working days ahead; ``serious`` working days overdue;
    ``escalation_grace``: working days each escalation step waits before the next."""

    due_soon: int = DEFAULT_DUE_SOON
    serious: int = DEFAULT_SERIOUS
    escalation_grace: tuple[int, ...] = tuple(DEFAULT_ESCALATION_GRACE)


def thresholds_in_force(conn: Connection) -> Thresholds:
    """The thresholds an admin set (as known to these views), or the defaults; a value an older
    version let through beyond its range is taken at the bound (``domain.ranges``)."""
    row = conn.execute(select(warning_policy)).mappings().first()
    if row is None:
        return Thresholds()
    due_soon, serious, grace = bounded(row["due_soon"], row["serious"], json.loads(row["escalation_grace"]))
    return Thresholds(due_soon, serious, tuple(grace))


def calendar_known(conn: Connection) -> WorkingCalendar:
    """Built-in schedules overlaid with every load these views have seen, in order."""
    rows = conn.execute(select(calendar_loads).order_by(calendar_loads.c.notification_id)).mappings().all()
    if not rows:
        return _BUILTIN
    calendar = _BUILTIN
    for row in rows:
        calendar = calendar.with_schedule(
            HolidaySchedule(
                row["year"],
                frozenset(date.fromisoformat(d) for d in json.loads(row["holidays"])),
                frozenset(date.fromisoformat(d) for d in json.loads(row["working_weekends"])),
            )
        )
    return calendar


LEVELS = ("seriously_overdue", "overdue", "due_today", "due_soon")


def classify(calendar: WorkingCalendar, today: date, deadline: date, thresholds: Thresholds) -> tuple[str | None, int | None]:
    """The warning level of an unfinished item, and its working days left (negative: overdue)."""
    try:
        left = calendar.working_days_between(today, deadline)
    except CalendarYearMissing:
        left = None
    if deadline < today:
        overdue = -left if left is not None else (today - deadline).days
        return ("seriously_overdue" if overdue >= thresholds.serious else "overdue"), left
    if deadline == today:
        return "due_today", 0
    if left is not None and left <= thresholds.due_soon:
        return "due_soon", left
    return None, left


def _horizon(calendar: WorkingCalendar, today: date, thresholds: Thresholds) -> date:
    try:
        return calendar.add_working_days(today, thresholds.due_soon)
    except CalendarYearMissing:
        return today + timedelta(days=thresholds.due_soon * 2 + 4)


def warnings(
    conn: Connection,
    today: date,
    limits: Thresholds | None = None,
    org_id: str | None = None,
    owner_id: str | None = None,
) -> list[dict[str, Any]]:
    """Unfinished tasks and rectifications that are due soon, due today or overdue, as of ``today``
    (with the thresholds in force unless ``limits`` are given); those begun after it did not exist yet."""
    calendar = calendar_known(conn)
    limits = limits or thresholds_in_force(conn)
    horizon = _horizon(calendar, today, limits).isoformat()
    owner = people.alias("w_owner")
    task_rows = (
        select(
            literal("task").label("kind"), tasks.c.task_id.label("id"), tasks.c.title.label("title"),
            tasks.c.deadline, tasks.c.original_deadline, tasks.c.status, tasks.c.org_id, tasks.c.owner_id,
            organisations.c.name.label("org_name"), organisations.c.parent_id, owner.c.name.label("owner_name"),
        )
        .join(organisations, organisations.c.org_id == tasks.c.org_id)
        .join(owner, owner.c.person_id == tasks.c.owner_id)
        .where(tasks.c.status.in_(OPEN_TASK), tasks.c.deadline <= horizon, tasks.c.issued_on <= today.isoformat())
    )
    rect_rows = (
        select(
            literal("rectification").label("kind"), rectifications.c.rectification_id.label("id"),
            rectifications.c.requirement.label("title"), rectifications.c.deadline, rectifications.c.original_deadline,
            rectifications.c.status, rectifications.c.org_id, rectifications.c.owner_id,
            organisations.c.name.label("org_name"), organisations.c.parent_id, owner.c.name.label("owner_name"),
        )
        .join(organisations, organisations.c.org_id == rectifications.c.org_id)
        .join(owner, owner.c.person_id == rectifications.c.owner_id)
        .where(rectifications.c.status.in_(OPEN_RECTIFICATION), rectifications.c.deadline <= horizon,
               rectifications.c.opened_on <= today.isoformat())
    )
    for query_filter in ((org_id, "org_id"), (owner_id, "owner_id")):
        value, column = query_filter
        if value:
            task_rows = task_rows.where(getattr(tasks.c, column) == value)
            rect_rows = rect_rows.where(getattr(rectifications.c, column) == value)
    result = []
    # Thousands of overdue items share a few hundred deadlines: classify each deadline once.
    levels: dict[str, tuple[str | None, int | None]] = {}
    for query in (task_rows, rect_rows):
        for row in conn.execute(query).mappings():
            deadline = row["deadline"]
            if deadline not in levels:
                levels[deadline] = classify(calendar, today, date.fromisoformat(deadline), limits)
            level, left = levels[deadline]
            if level is not None:
                result.append({**row, "level": level, "working_days_left": left})
    result.sort(key=lambda r: (LEVELS.index(r["level"]), r["deadline"], r["title"]))
    return result


def reminder_list(
    conn: Connection,
    recipient_id: str | None = None,
    target_id: str | None = None,
    level: str | None = None,
    since: date | None = None,
    limit: int = 200,
    reminder_ids: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Reminders recorded, newest first, with what they are about and who was reminded."""
    from projections.tables import reminders

    recipient = people.alias("r_recipient")
    query = (
        select(
            reminders, recipient.c.name.label("recipient_name"), organisations.c.name.label("org_name"),
            func.coalesce(tasks.c.title, rectifications.c.requirement).label("title"),
        )
        .join(recipient, recipient.c.person_id == reminders.c.recipient_id)
        .outerjoin(organisations, organisations.c.org_id == reminders.c.org_id)
        .outerjoin(tasks, tasks.c.task_id == reminders.c.target_id)
        .outerjoin(rectifications, rectifications.c.rectification_id == reminders.c.target_id)
    )
    if recipient_id:
        query = query.where(reminders.c.recipient_id == recipient_id)
    if target_id:
        query = query.where(reminders.c.target_id == target_id)
    if level:
        query = query.where(reminders.c.level == level)
    if since:
        query = query.where(reminders.c.recorded_on >= since.isoformat())
    if reminder_ids is not None:
        query = query.where(reminders.c.reminder_id.in_(list(reminder_ids)))
    query = query.order_by(reminders.c.recorded_on.desc(), reminders.c.deadline, reminders.c.step.desc()).limit(limit)
    return [dict(r) for r in conn.execute(query).mappings()]
