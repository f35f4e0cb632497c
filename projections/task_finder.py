"""The task list as people filter it: by organisation (and those below it), person, meeting,
status, warning level, deadline range and source list item, sorted, paged and counted — the
same rows for the web page, its .xlsx/CSV export, the API and the CLI.

Warning levels are a function of the deadline (queries.classify), so a level filter becomes a
deadline range computed once from the calendar: the database filters and counts, nothing reads
every task into Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, and_, func, or_, select, union

from projections.deadline_queries import Thresholds, calendar_known, classify, thresholds_in_force
from projections.listing import Page, Paging, fetch
from projections.tables import organisations, task_followers, tasks
from projections.task_queries import OPEN_TASK, _owner, _task_query

SORTS = {
    "deadline": tasks.c.deadline,
    "issued_on": tasks.c.issued_on,
    "title": tasks.c.title,
    "status": tasks.c.status,
    "org": organisations.c.name,
    "owner": _owner.c.name,
}
DONE = ("on_time", "late")


@dataclass(frozen=True)
class TaskFilter:
    """What the person asked for. Empty fields filter nothing."""

    org_id: str | None = None
    below: bool = True
    """The organisation and every one under it (else the organisation alone, as the board counts)."""
    among: tuple[str, ...] | None = None
    """Only these organisations themselves (the branches a board shows)."""
    work_of: tuple[tuple[str, ...], str] | None = None
    """A person's work as home counts it: the tasks of their branches, and those they own or follow."""
    person_id: str | None = None
    """The owner, or a follower."""
    meeting_id: str | None = None
    list_item_id: str | None = None
    statuses: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    done: str | None = None
    """Accepted work reported by the deadline in force (on_time) or after it (late)."""
    deadline_from: date | None = None
    deadline_to: date | None = None
    sort: str = "deadline"
    descending: bool = False
    page: int = 1
    per_page: int = 50

    def with_page(self, page: int) -> TaskFilter:
        return replace(self, page=page)


@dataclass(frozen=True)
class Seeing:
    """Whose list it is: everything (``orgs is None``), or the tasks of these organisations and
    those naming the person as owner or follower — the pages' rule ``Viewer.may_view``."""

    person_id: str
    orgs: frozenset[str] | None = None


def seeing(conn: Connection, person_hex: str, sees_all: bool, may_read: Callable[[UUID], bool]) -> Seeing:
    """What a person may see, their authority's rule (``may_read``) asked once per organisation
    instead of once per row; the web and the command line ask it alike."""
    if sees_all:
        return Seeing(person_hex)
    every = [row[0] for row in conn.execute(select(organisations.c.org_id))]
    visible = frozenset(org for org in every if may_read(UUID(org)))
    return Seeing(person_hex, None if len(visible) == len(every) else visible)


def organisation_tree(conn: Connection, org_id: str) -> list[str]:
    """The organisation and every organisation below it."""
    children: dict[str, list[str]] = {}
    for child, parent in conn.execute(select(organisations.c.org_id, organisations.c.parent_id)):
        children.setdefault(parent, []).append(child)
    found, todo = [], [org_id]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def level_deadlines(conn: Connection, today: date, level: str, limits: Thresholds | None = None) -> tuple[str | None, str | None]:
    """The range of deadlines (inclusive, ISO) whose unfinished tasks carry this warning level."""
    calendar = calendar_known(conn)
    limits = limits or thresholds_in_force(conn)
    if level == "due_today":
        return today.isoformat(), today.isoformat()
    if level == "due_soon":
        last = today
        for ahead in range(1, limits.due_soon * 3 + 12):
            day = today + timedelta(days=ahead)
            if classify(calendar, today, day, limits)[0] == "due_soon":
                last = day
        return (today + timedelta(days=1)).isoformat(), last.isoformat()
    latest_serious = today - timedelta(days=1)
    while classify(calendar, today, latest_serious, limits)[0] != "seriously_overdue":
        latest_serious -= timedelta(days=1)
    if level == "seriously_overdue":
        return None, latest_serious.isoformat()
    return (latest_serious + timedelta(days=1)).isoformat(), (today - timedelta(days=1)).isoformat()


def _owned_or_followed(person_id: str) -> Any:
    """Two index look-ups in a union (an OR of the two reads every task on PostgreSQL)."""
    mine = select(tasks.c.task_id).where(tasks.c.owner_id == person_id)
    followed = select(task_followers.c.task_id).where(task_followers.c.person_id == person_id)
    return union(mine, followed)


def work_condition(branches: tuple[str, ...], person_id: str, statuses: tuple[str, ...] = ()) -> Any:
    """A person's work as home counts it: the tasks of their branches, and those they own or follow,
    in these statuses (any if none). One union of index look-ups, the statuses inside it: as an OR
    beside a status, SQLite read every closed task of the province through the status index (35 ms
    for a secretary's ten closed tasks at 200k events)."""
    def having(query: Any) -> Any:
        return query.where(tasks.c.status.in_(list(statuses))) if statuses else query

    theirs = having(select(tasks.c.task_id).where(tasks.c.org_id.in_(list(branches))))
    mine = having(select(tasks.c.task_id).where(tasks.c.owner_id == person_id))
    followed = having(
        select(task_followers.c.task_id).join(tasks, tasks.c.task_id == task_followers.c.task_id)
        .where(task_followers.c.person_id == person_id)
    )
    return tasks.c.task_id.in_(union(theirs, mine, followed))


def _conditions(conn: Connection, wanted: TaskFilter, seeing: Seeing, today: date) -> list[Any]:
    """The filter as conditions on the task table alone, so the total is counted without the
    joins that only name the rows shown."""
    conditions: list[Any] = []
    if seeing.orgs is not None:
        conditions.append(or_(tasks.c.org_id.in_(sorted(seeing.orgs)), tasks.c.task_id.in_(_owned_or_followed(seeing.person_id))))
    if wanted.org_id:
        orgs = organisation_tree(conn, wanted.org_id) if wanted.below else [wanted.org_id]
        conditions.append(tasks.c.org_id.in_(orgs))
    if wanted.among is not None:
        conditions.append(tasks.c.org_id.in_(list(wanted.among)))
    if wanted.work_of is not None:
        conditions.append(work_condition(*wanted.work_of, wanted.statuses))
    if wanted.person_id:
        conditions.append(tasks.c.task_id.in_(_owned_or_followed(wanted.person_id)))
    if wanted.meeting_id:
        conditions.append(tasks.c.meeting_id == wanted.meeting_id)
    if wanted.list_item_id:
        conditions.append(tasks.c.list_item_id == wanted.list_item_id)
    if wanted.statuses and wanted.work_of is None:  # else inside the work's look-ups
        conditions.append(tasks.c.status.in_(list(wanted.statuses)))
    if wanted.levels:
        limits = thresholds_in_force(conn)
        ranges = []
        for level in wanted.levels:
            low, high = level_deadlines(conn, today, level, limits)
            bounds = [tasks.c.deadline <= high] if high else []
            if low:
                bounds.append(tasks.c.deadline >= low)
            ranges.append(and_(*bounds))
        conditions.append(and_(tasks.c.status.in_(OPEN_TASK), or_(*ranges)))
    if wanted.done == "on_time":
        conditions.append(and_(tasks.c.status == "accepted", tasks.c.reported_done_on <= tasks.c.deadline))
    elif wanted.done == "late":
        conditions.append(and_(
            tasks.c.status == "accepted",
            or_(tasks.c.reported_done_on.is_(None), tasks.c.reported_done_on > tasks.c.deadline),
        ))
    if wanted.deadline_from:
        conditions.append(tasks.c.deadline >= wanted.deadline_from.isoformat())
    if wanted.deadline_to:
        conditions.append(tasks.c.deadline <= wanted.deadline_to.isoformat())
    return conditions


def find_tasks(conn: Connection, wanted: TaskFilter, seeing: Seeing, today: date, *, every: bool = False) -> Page:
    """One page of the tasks asked for (``every``: all of them, for a 台账 export), with their
    warning level as of ``today`` and the total count."""
    conditions = _conditions(conn, wanted, seeing, today)
    paging = Paging(wanted.sort if wanted.sort in SORTS else "deadline", wanted.descending, wanted.page, wanted.per_page)
    found = fetch(conn, tasks, _task_query(), conditions, SORTS, paging, (tasks.c.deadline, tasks.c.task_id), every=every)
    rows = found.rows
    calendar = calendar_known(conn)
    limits = thresholds_in_force(conn)
    for row in rows:
        row["level"] = (
            classify(calendar, today, date.fromisoformat(row["deadline"]), limits)[0] if row["status"] in OPEN_TASK else None
        )
    return found


CLOSED_TASK = ("accepted", "cancelled")
CURRENT_TASK = (*OPEN_TASK, "reported_done")
"""Still in the loop: open, or reported done and awaiting acceptance."""


@dataclass
class WorkTasks:
    """A person's work for their home page: every task still in the loop, and the closed ones
    most recently due (how many there are in all, for a link to the rest)."""

    current: list[dict[str, Any]]
    closed: list[dict[str, Any]]
    closed_total: int


def work_tasks(conn: Connection, branches: tuple[str, ...], person_id: str, closed_limit: int) -> WorkTasks:
    """One read of a person's tasks: a branch past a thousand tasks shows its open ones and a
    bounded list of closed ones, not its whole history."""
    current_task = work_condition(branches, person_id, CURRENT_TASK)
    closed_task = work_condition(branches, person_id, CLOSED_TASK)
    current = [dict(r) for r in conn.execute(_task_query().where(current_task)).mappings()]
    closed = [
        dict(r)
        for r in conn.execute(
            _task_query().where(closed_task).order_by(tasks.c.deadline.desc(), tasks.c.title.desc()).limit(closed_limit)
        ).mappings()
    ]
    total = len(closed)
    if total == closed_limit:
        total = conn.execute(select(func.count()).select_from(tasks).where(closed_task)).scalar_one()
    return WorkTasks(current=current, closed=closed, closed_total=total)
