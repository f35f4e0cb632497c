"""一月一通报: on the first working day of a month, the bulletin of the month before — per branch,
what was finished (on time or late), what is overdue, rectifications closed and overdue,
meetings held.

``compose_bulletin`` is the one place the bulletin's content is decided: monthly points
(月积分) and other figures are added to each branch's line there. Issuing is idempotent per
month (the bulletin's identity is its month). A scheduler that was off on the first working day
issues the bulletin on its first check later in the month; a month it missed entirely is not
issued afterwards by the scheduler (an admin can: ``dutyloop remind --today``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, and_, case, func, select

from domain import ids
from domain.application import DutyLoop
from projections import chain_queries, task_queries
from projections.assessment_queries import standings
from projections.runner import ProjectionRunner
from projections.tables import meetings, organisations, rectifications, tasks
from scheduler.reminders import SCHEDULED, Entry
from scheduler.workdays import first_working_day_of_month


@dataclass(frozen=True)
class BulletinContent:
    month: str
    lines: list[dict[str, Any]]
    summary: str


def month_reported(today: date) -> str:
    """The month a bulletin issued on ``today`` reports: the one before."""
    previous = today.replace(day=1) - timedelta(days=1)
    return f"{previous.year:04d}-{previous.month:02d}"


def month_bounds(month: str) -> tuple[date, date]:
    first = date.fromisoformat(f"{month}-01")
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def check_bulletin(app: DutyLoop, views: ProjectionRunner, today: date, entry: Entry = SCHEDULED) -> UUID | None:
    """Issue last month's bulletin if today is on or after this month's first working day and it
    was not issued yet; returns its id, or ``None`` when there was nothing to issue."""
    if today < first_working_day_of_month(app.calendar(), today):
        return None
    month = month_reported(today)
    if ids.bulletin_id(month) in app.repository:
        return None
    views.catch_up()
    with views.engine.connect() as conn:
        content = compose_bulletin(conn, month)
    if not content.lines:
        return None  # no branches yet (a system still being set up): nothing to report on
    return app.issue_monthly_bulletin(entry.actor, content.month, content.lines, content.summary, on=entry.on)


def compose_bulletin(conn: Connection, month: str) -> BulletinContent:
    """Per active branch, the month's figures; the summary states the totals in the users' words."""
    first, last = month_bounds(month)
    lo, hi = first.isoformat(), last.isoformat()
    open_task = tasks.c.status.in_(task_queries.OPEN_TASK)
    accepted = and_(tasks.c.accepted_on >= lo, tasks.c.accepted_on <= hi)
    task_figures = {
        r.org_id: r for r in conn.execute(
            select(
                tasks.c.org_id,
                func.sum(case((accepted, 1), else_=0)).label("done"),
                func.sum(case((and_(accepted, tasks.c.reported_done_on <= tasks.c.deadline), 1), else_=0)).label("on_time"),
                func.sum(case((and_(open_task, tasks.c.deadline <= hi), 1), else_=0)).label("overdue"),
            ).group_by(tasks.c.org_id)
        )
    }
    open_rect = rectifications.c.status.in_(chain_queries.OPEN_RECTIFICATION)
    rect_figures = {
        r.org_id: r for r in conn.execute(
            select(
                rectifications.c.org_id,
                func.sum(case((and_(rectifications.c.closed_on >= lo, rectifications.c.closed_on <= hi), 1), else_=0)).label("closed"),
                func.sum(case((and_(open_rect, rectifications.c.deadline <= hi), 1), else_=0)).label("overdue"),
            ).group_by(rectifications.c.org_id)
        )
    }
    held: dict[str, int] = dict(conn.execute(
        select(meetings.c.org_id, func.count()).where(meetings.c.held_on >= lo, meetings.c.held_on <= hi).group_by(meetings.c.org_id)
    ).all())
    lines = []
    branches = conn.execute(
        select(organisations.c.org_id, organisations.c.name)
        .where(organisations.c.kind != "committee", organisations.c.dissolved_on.is_(None))
        .order_by(organisations.c.name)
    )
    points = standings(conn, month)
    for org_id, name in branches:
        t, r = task_figures.get(org_id), rect_figures.get(org_id)
        done, on_time = int(t.done or 0) if t else 0, int(t.on_time or 0) if t else 0
        lines.append({
            "org_id": org_id, "org_name": name,
            "tasks_done": done, "tasks_done_on_time": on_time, "tasks_done_late": done - on_time,
            "tasks_overdue": int(t.overdue or 0) if t else 0,
            "rectifications_closed": int(r.closed or 0) if r else 0,
            "rectifications_overdue": int(r.overdue or 0) if r else 0,
            "meetings_held": int(held.get(org_id, 0)),
            **points.get(org_id, {}),
        })
    return BulletinContent(month, lines, summarise(month, lines))


def summarise(month: str, lines: list[dict[str, Any]]) -> str:
    total = {key: sum(line[key] for line in lines) for key in
             ("tasks_done", "tasks_done_on_time", "tasks_overdue", "rectifications_closed", "rectifications_overdue")}
    behind = sum(1 for line in lines if line["tasks_overdue"] or line["rectifications_overdue"])
    year, number = month.split("-")
    return (
        f"{year}年{int(number)}月：{len(lines)}个支部完成任务{total['tasks_done']}项（按时{total['tasks_done_on_time']}项），"
        f"逾期未完成{total['tasks_overdue']}项；整改销号{total['rectifications_closed']}项，"
        f"整改逾期{total['rectifications_overdue']}项；{behind}个支部有逾期事项。"
    )
