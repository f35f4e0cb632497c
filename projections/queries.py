"""Questions people ask of the views. Every function takes a connection, so the same question is
answered from the live views or from a private as-of copy without a line of difference."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, and_, case, func, literal, or_, select, union

from domain.calendar import HolidaySchedule, WorkingCalendar
from domain.errors import CalendarYearMissing, DomainError, NotFound
from domain.warning_policy import (
    DEFAULT_DUE_SOON,
    DEFAULT_ESCALATION_GRACE,
    DEFAULT_SERIOUS,
)
from projections.tables import (
    branch_counts,
    calendar_loads,
    chain_links,
    findings,
    interviews,
    meetings,
    organisations,
    people,
    rectifications,
    responsibility_items,
    role_assignments,
    task_followers,
    tasks,
    trail,
    warning_policy,
)
from projections.trail import details, stored_states, with_actors

OPEN_TASK = ("issued", "signed", "in_progress", "returned")
OPEN_RECTIFICATION = ("opened", "returned")
_BUILTIN = WorkingCalendar.builtin()


@dataclass(frozen=True)
class Thresholds:
    """When a deadline warns: ``due_soon`` working days ahead; ``serious`` working days overdue;
    ``escalation_grace``: working days each escalation step waits before the next."""

    due_soon: int = DEFAULT_DUE_SOON
    serious: int = DEFAULT_SERIOUS
    escalation_grace: tuple[int, ...] = tuple(DEFAULT_ESCALATION_GRACE)


def thresholds_in_force(conn: Connection) -> Thresholds:
    """The thresholds an admin set (as known to these views), or the defaults."""
    row = conn.execute(select(warning_policy)).mappings().first()
    if row is None:
        return Thresholds()
    return Thresholds(row["due_soon"], row["serious"], tuple(json.loads(row["escalation_grace"])))


# -- finding things by what people type ------------------------------------------------------------


def _as_hex(text: str) -> str | None:
    try:
        return UUID(text).hex
    except ValueError:
        return None


def resolve_person(conn: Connection, text: str) -> str:
    """A person by staff number, exact name or id; refuses a name shared by several people."""
    key = text.strip()
    hex_id = _as_hex(key)
    rows = conn.execute(
        select(people.c.person_id, people.c.name, people.c.staff_no).where(
            or_(people.c.staff_no == key, people.c.name == key, people.c.person_id == (hex_id or ""))
        )
    ).all()
    by_staff = [r for r in rows if r.staff_no == key or r.person_id == hex_id]
    if by_staff:
        return by_staff[0].person_id
    if len(rows) == 1:
        return rows[0].person_id
    if not rows:
        raise NotFound("person", key)
    raise DomainError("ambiguous", what="person", key=key, candidates=[f"{r.name}({r.staff_no})" for r in rows])


def resolve_org(conn: Connection, text: str) -> str:
    key = text.strip()
    hex_id = _as_hex(key)
    rows = conn.execute(
        select(organisations.c.org_id).where(or_(organisations.c.name == key, organisations.c.org_id == (hex_id or "")))
    ).all()
    if not rows:
        like = conn.execute(
            select(organisations.c.org_id, organisations.c.name).where(organisations.c.name.contains(key))
        ).all()
        if len(like) == 1:
            return like[0].org_id
        if like:
            raise DomainError("ambiguous", what="organisation", key=key, candidates=[r.name for r in like[:8]])
        raise NotFound("organisation", key)
    return rows[0].org_id


def resolve_id(text: str, what: str) -> UUID:
    try:
        return UUID(text.strip())
    except ValueError:
        raise NotFound(what, text) from None


# -- the calendar as known to these views ---------------------------------------------------------------


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


# -- directory --------------------------------------------------------------------------------------


def organisation_list(conn: Connection) -> list[dict[str, Any]]:
    parent = organisations.alias("parent")
    rows = conn.execute(
        select(organisations, parent.c.name.label("parent_name"))
        .outerjoin(parent, parent.c.org_id == organisations.c.parent_id)
        .order_by(organisations.c.kind, organisations.c.name)
    ).mappings()
    return [dict(r) for r in rows]


def people_list(conn: Connection, org_id: str | None = None) -> list[dict[str, Any]]:
    query = select(people, organisations.c.name.label("org_name")).join(
        organisations, organisations.c.org_id == people.c.org_id
    )
    if org_id:
        query = query.where(people.c.org_id == org_id)
    result = []
    for row in conn.execute(query.order_by(organisations.c.name, people.c.staff_no)).mappings():
        item = dict(row)
        item["roles"] = [r[0] for r in json.loads(row["roles"])]
        item["liaison_org_ids"] = json.loads(row["liaison_org_ids"])
        result.append(item)
    return result


def person_roles(conn: Connection, person_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(role_assignments, organisations.c.name.label("org_name"))
        .join(organisations, organisations.c.org_id == role_assignments.c.org_id)
        .where(role_assignments.c.person_id == person_id)
    ).mappings()
    return [dict(r) for r in rows]


def responsibility_list(conn: Connection) -> list[dict[str, Any]]:
    from projections.tables import responsibility_aspects, responsibility_lists

    rows = conn.execute(
        select(
            responsibility_lists.c.title.label("list_title"), responsibility_lists.c.year,
            responsibility_aspects.c.title.label("aspect"), responsibility_items.c.item_id,
            responsibility_items.c.list_id, responsibility_items.c.text, responsibility_items.c.responsible_role,
            people.c.name.label("responsible_person"),
        )
        .join(responsibility_lists, responsibility_lists.c.list_id == responsibility_items.c.list_id)
        .join(responsibility_aspects, responsibility_aspects.c.aspect_id == responsibility_items.c.aspect_id)
        .outerjoin(people, people.c.person_id == responsibility_items.c.responsible_person_id)
        .order_by(responsibility_lists.c.year, responsibility_aspects.c.title)
    ).mappings()
    return [dict(r) for r in rows]


# -- tasks --------------------------------------------------------------------------------------------

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
    rows = conn.execute(query.order_by(tasks.c.deadline, tasks.c.title).limit(limit)).mappings()
    return [dict(r) for r in rows]


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


# -- deadline warnings ------------------------------------------------------------------------------------

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
    (with the thresholds in force unless ``limits`` are given)."""
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
        .where(tasks.c.status.in_(OPEN_TASK), tasks.c.deadline <= horizon)
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
        .where(rectifications.c.status.in_(OPEN_RECTIFICATION), rectifications.c.deadline <= horizon)
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


# -- branches -------------------------------------------------------------------------------------------


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


def meeting_list(conn: Connection, org_id: str | None = None) -> list[dict[str, Any]]:
    query = select(meetings, organisations.c.name.label("org_name")).join(
        organisations, organisations.c.org_id == meetings.c.org_id
    )
    if org_id:
        query = query.where(meetings.c.org_id == org_id)
    return [dict(r) for r in conn.execute(query.order_by(meetings.c.planned_on.desc())).mappings()]


# -- who did what, and the chains -----------------------------------------------------------------------


def trail_rows(
    conn: Connection,
    actor_id: str | None = None,
    org_id: str | None = None,
    entity_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    from projections.view import moment

    query = select(trail)
    if actor_id:
        query = query.where(trail.c.actor == actor_id)
    if org_id:
        query = query.where(trail.c.org_id == org_id)
    if entity_id:
        query = query.where(trail.c.entity_id == entity_id)
    if since:
        query = query.where(trail.c.recorded_at >= moment(since))
    if until:
        query = query.where(trail.c.recorded_at <= moment(until))
    rows = conn.execute(query.order_by(trail.c.notification_id.desc()).limit(limit)).mappings()
    return _trail_items(conn, rows)


def _trail_items(conn: Connection, rows: Any) -> list[dict[str, Any]]:
    """Trail rows with the event's own fields, read from the events in one query."""
    items = [dict(row) for row in rows]
    states = stored_states(conn, [item["notification_id"] for item in items])
    with_actors(conn, items)
    for item in items:
        item["details"] = details(states[item["notification_id"]])
    return items


def timeline(conn: Connection, entity_ids: Sequence[str]) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(trail).where(trail.c.entity_id.in_(list(entity_ids))).order_by(trail.c.notification_id)
    ).mappings()
    return _trail_items(conn, rows)


def chain(conn: Connection, entity_id: str) -> dict[str, Any]:
    """The whole story around a finding, interview, rectification or task, ordered in time."""
    chain_ids = {r[0] for r in conn.execute(select(chain_links.c.chain_id).where(chain_links.c.entity_id == entity_id))}
    if not chain_ids:
        raise NotFound("rectification", entity_id)
    members = {r[0] for r in conn.execute(select(chain_links.c.entity_id).where(chain_links.c.chain_id.in_(chain_ids)))}
    members |= chain_ids
    rects = [
        dict(r)
        for r in conn.execute(
            select(rectifications, organisations.c.name.label("org_name"), _owner.c.name.label("owner_name"))
            .join(organisations, organisations.c.org_id == rectifications.c.org_id)
            .join(_owner, _owner.c.person_id == rectifications.c.owner_id)
            .where(rectifications.c.rectification_id.in_(members))
        ).mappings()
    ]
    return {
        "chain_ids": sorted(chain_ids),
        "findings": [dict(r) for r in conn.execute(select(findings).where(findings.c.finding_id.in_(members))).mappings()],
        "interviews": [_interview(r) for r in conn.execute(select(interviews).where(interviews.c.interview_id.in_(members))).mappings()],
        "rectifications": rects,
        "timeline": timeline(conn, sorted(members)),
    }


def open_chains(conn: Connection, today: date) -> list[dict[str, Any]]:
    """Rectifications not yet closed, oldest first, with their age in days."""
    rows = conn.execute(
        select(rectifications, organisations.c.name.label("org_name"), _owner.c.name.label("owner_name"))
        .join(organisations, organisations.c.org_id == rectifications.c.org_id)
        .join(_owner, _owner.c.person_id == rectifications.c.owner_id)
        .where(rectifications.c.status != "closed")
        .order_by(rectifications.c.opened_on)
    ).mappings()
    return [
        {**r, "age_days": (today - date.fromisoformat(r["opened_on"])).days, "overdue": r["deadline"] < today.isoformat()}
        for r in rows
    ]


def finding_list(conn: Connection, org_id: str | None = None) -> list[dict[str, Any]]:
    query = (
        select(findings, organisations.c.name.label("org_name"), rectifications.c.status.label("rectification_status"))
        .join(organisations, organisations.c.org_id == findings.c.org_id)
        .outerjoin(rectifications, rectifications.c.source_id == findings.c.finding_id)
    )
    if org_id:
        query = query.where(findings.c.org_id == org_id)
    return [dict(r) for r in conn.execute(query.order_by(findings.c.raised_on.desc())).mappings()]


def interview_list(conn: Connection) -> list[dict[str, Any]]:
    interviewer = people.alias("interviewer")
    interviewee = people.alias("interviewee")
    rows = conn.execute(
        select(interviews, interviewer.c.name.label("interviewer_name"), interviewee.c.name.label("interviewee_name"))
        .join(interviewer, interviewer.c.person_id == interviews.c.interviewer_id)
        .join(interviewee, interviewee.c.person_id == interviews.c.interviewee_id)
        .order_by(interviews.c.planned_on.desc())
    ).mappings()
    return [_interview(r) for r in rows]


def _interview(row: Any) -> dict[str, Any]:
    """An interview's row with its causes as a list of [kind, id] pairs, not the JSON text the
    view keeps."""
    return {**dict(row), "causes": json.loads(row["causes"])}


_ENTITY_COLUMNS = {
    "task": tasks.c.task_id,
    "meeting": meetings.c.meeting_id,
    "finding": findings.c.finding_id,
    "interview": interviews.c.interview_id,
    "rectification": rectifications.c.rectification_id,
}


def resolve_entity(conn: Connection, what: str, text: str) -> str:
    """An id as printed (full, or the first 6+ hex digits, as with git)."""
    key = text.strip().replace("-", "").lower()
    column = _ENTITY_COLUMNS[what]
    if len(key) == 32:
        return key
    if len(key) < 6:
        raise NotFound(what, text)
    rows = conn.execute(select(column).where(column.like(f"{key}%")).limit(3)).all()
    if len(rows) == 1:
        return rows[0][0]
    if not rows:
        raise NotFound(what, text)
    raise DomainError("ambiguous", what=what, key=text, candidates=[r[0][:12] for r in rows])


# -- reminders ------------------------------------------------------------------------------------------


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
