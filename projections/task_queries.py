"""Tasks as the views know them: lists, one task with its timeline, counts, and the board of every
branch (open, overdue, done on time or late, rectifications, last meeting).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, case, func, select, union

from domain.errors import NotFound
from projections.chain_queries import OPEN_RECTIFICATION, timeline
from projections.tables import (
    branch_counts,
    meetings,
    organisations,
    people,
    rectifications,
    responsibility_items,
    task_followers,
    tasks,
)


OPEN_TASK = ("issued", "signed", "in_progress", "returned")

_owner = people.alias("owner")


def _task_query() -> Any:
    return (
        select(
            tasks,
            organisations.c.name.label("org_name"),
            _owner.c.name.label("owner_name"),
            meetings.c.title.label("meeting_title"),
        )
        .join(organisations, organisations.c.org_id == tasks.c.org_id)
        .join(_owner, _owner.c.person_id == tasks.c.owner_id)
        .outerjoin(meetings, meetings.c.meeting_id == tasks.c.meeting_id)
    )


def task_list(
    conn: Connection,
    org_id: str | None = None,
    owner_id: str | None = None,
    meeting_id: str | None = None,
    status: Sequence[str] = (),
    limit: int = 200,
) -> list[dict[str, Any]]:
    """The tasks matching the filters by deadline: all open ones, and finished ones up to ``limit``
    rows in all."""
    query = _task_query()
    if org_id:
        query = query.where(tasks.c.org_id == org_id)
    if owner_id:
        # A union of two index lookups: PostgreSQL cannot use an index for "owner = X OR id IN
        # (followed)" and read every task (77 ms at 1M events).
        mine = select(tasks.c.task_id).where(tasks.c.owner_id == owner_id)
        followed = select(task_followers.c.task_id).where(task_followers.c.person_id == owner_id)
        query = query.where(tasks.c.task_id.in_(union(mine, followed)))
    if meeting_id:
        query = query.where(tasks.c.meeting_id == meeting_id)
    if status:
        query = query.where(tasks.c.status.in_(list(status)))
    # Every open task, however many: a list cut at the limit after sorting by deadline dropped the
    # newest open tasks once a branch had more than ``limit`` tasks. The limit bounds the finished
    # ones, the most recent kept.
    open_rows = conn.execute(query.where(tasks.c.status.in_(OPEN_TASK))).mappings().all()
    finished = (
        query.where(tasks.c.status.not_in(OPEN_TASK))
        .order_by(tasks.c.deadline.desc(), tasks.c.title.desc())
        .limit(max(limit - len(open_rows), 0))
    )
    rows = [dict(r) for r in open_rows] + [dict(r) for r in conn.execute(finished).mappings()]
    return sorted(rows, key=lambda r: (r["deadline"], r["title"]))


def task_detail(conn: Connection, task_id: str) -> dict[str, Any]:
    row = conn.execute(_task_query().where(tasks.c.task_id == task_id)).mappings().first()
    if row is None:
        raise NotFound("task", task_id)
    detail = dict(row)
    detail["timeline"] = timeline(conn, [task_id])
    if row["list_item_id"]:
        item = conn.execute(
            select(responsibility_items.c.text).where(responsibility_items.c.item_id == row["list_item_id"])
        ).first()
        detail["list_item"] = item[0] if item else None
    return detail


def task_counts(conn: Connection, by: str) -> list[dict[str, Any]]:
    """Counts of tasks per organisation, person, meeting or status, split by status."""
    column = {"org": tasks.c.org_id, "person": tasks.c.owner_id, "meeting": tasks.c.meeting_id, "status": tasks.c.status}[by]
    names = {
        "org": (organisations, organisations.c.org_id, organisations.c.name),
        "person": (people, people.c.person_id, people.c.name),
        "meeting": (meetings, meetings.c.meeting_id, meetings.c.title),
    }
    statuses = ("issued", "signed", "in_progress", "reported_done", "returned", "accepted", "cancelled")
    counts = [func.sum(case((tasks.c.status == s, 1), else_=0)).label(s) for s in statuses]
    if by == "status":
        query = select(column.label("key"), column.label("name"), func.count().label("total")).group_by(column)
        return [dict(r) for r in conn.execute(query.order_by(column)).mappings()]
    table, key, name = names[by]
    query = (
        select(column.label("key"), name.label("name"), func.count().label("total"), *counts)
        .join(table, key == column)
        .group_by(column, name)
        .order_by(name)
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def branch_summary(conn: Connection, today: date) -> list[dict[str, Any]]:
    """Per branch: tasks open / overdue / done on time / late, rectifications open / closed, last meeting."""
    iso = today.isoformat()
    open_task = tasks.c.status.in_(OPEN_TASK)
    t = (
        select(
            tasks.c.org_id,
            func.sum(case((open_task, 1), else_=0)).label("tasks_open"),
            func.sum(case((and_(open_task, tasks.c.deadline < iso), 1), else_=0)).label("tasks_overdue"),
            func.sum(case((tasks.c.status == "reported_done", 1), else_=0)).label("awaiting_acceptance"),
        )
        .where(tasks.c.status.in_((*OPEN_TASK, "reported_done")))
        .group_by(tasks.c.org_id)
        .subquery()
    )
    done = branch_counts
    r = (
        select(
            rectifications.c.org_id,
            func.sum(case((rectifications.c.status != "closed", 1), else_=0)).label("rectifications_open"),
            func.sum(case((rectifications.c.status == "closed", 1), else_=0)).label("rectifications_closed"),
            func.sum(case((and_(rectifications.c.status.in_(OPEN_RECTIFICATION), rectifications.c.deadline < iso), 1), else_=0)).label("rectifications_overdue"),
        )
        .group_by(rectifications.c.org_id)
        .subquery()
    )
    m = (
        select(meetings.c.org_id, func.max(meetings.c.held_on).label("last_meeting"))
        .where(meetings.c.held_on.is_not(None))
        .group_by(meetings.c.org_id)
        .subquery()
    )
    query = (
        select(
            organisations.c.org_id, organisations.c.name, organisations.c.kind,
            *(func.coalesce(c, 0).label(c.name) for c in (t.c.tasks_open, t.c.tasks_overdue, done.c.done_on_time, done.c.done_late, t.c.awaiting_acceptance)),
            *(func.coalesce(c, 0).label(c.name) for c in (r.c.rectifications_open, r.c.rectifications_closed, r.c.rectifications_overdue)),
            m.c.last_meeting,
        )
        .outerjoin(t, t.c.org_id == organisations.c.org_id)
        .outerjoin(done, done.c.org_id == organisations.c.org_id)
        .outerjoin(r, r.c.org_id == organisations.c.org_id)
        .outerjoin(m, m.c.org_id == organisations.c.org_id)
        .where(organisations.c.kind != "committee", organisations.c.dissolved_on.is_(None))
        .order_by(organisations.c.name)
    )
    return [dict(row) for row in conn.execute(query).mappings()]
