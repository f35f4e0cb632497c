"""交接 as the views see it: a person's open work (including the reviews they owe), and the open
work that waits for a handover because whoever holds it has left or moved away from the
organisation it belongs to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Connection, RowMapping, and_, exists, not_, or_, select

from domain.commands.handovers import OpenWork
from domain.task import FINAL
from projections.tables import organisations, people, rectifications, role_assignments, task_followers, tasks

KIND_TERMS = {"task": "task", "rectification": "rectification", "following": "follow",
              "task_review": "task_review", "rectification_check": "rectification_check"}
"""Each kind of handed-over item, as the term (``domain.errors.term``) a person reads."""

def open_work(conn: Connection, person_id: str) -> tuple[OpenWork, list[dict[str, Any]]]:
    """The person's open tasks, open rectifications, followed open tasks, and the open tasks and
    rectifications they are to accept or verify: as ids for the handover command, and as rows to show."""
    owned = _tasks(conn, tasks.c.owner_id == person_id)
    fixing = _rectifications(conn, rectifications.c.owner_id == person_id)
    followed = _tasks(conn, task_followers.c.person_id == person_id, following=True)
    reviewing = _tasks(conn, tasks.c.reviewer_id == person_id)
    checking = _rectifications(conn, rectifications.c.checker_id == person_id)
    work = OpenWork(
        task_ids=tuple(UUID(r["task_id"]) for r in owned),
        rectification_ids=tuple(UUID(r["rectification_id"]) for r in fixing),
        followed_task_ids=tuple(UUID(r["task_id"]) for r in followed),
        reviewed_task_ids=tuple(UUID(r["task_id"]) for r in reviewing),
        checked_rectification_ids=tuple(UUID(r["rectification_id"]) for r in checking),
    )
    rows = [{"kind": "task", "id": r["task_id"], **_shown(r)} for r in owned]
    rows += [{"kind": "rectification", "id": r["rectification_id"], **_shown(r)} for r in fixing]
    rows += [{"kind": "following", "id": r["task_id"], **_shown(r)} for r in followed]
    rows += [{"kind": "task_review", "id": r["task_id"], **_shown(r)} for r in reviewing]
    rows += [{"kind": "rectification_check", "id": r["rectification_id"], **_shown(r)} for r in checking]
    return work, rows


def _tasks(conn: Connection, holder: ColumnElement[bool], *, following: bool = False) -> Sequence[RowMapping]:
    """Open tasks that ``holder`` picks out (through the followers when ``following``), by deadline."""
    query = select(tasks.c.task_id, tasks.c.title, tasks.c.status, tasks.c.deadline, organisations.c.name.label("org_name"))
    if following:
        query = query.join(task_followers, task_followers.c.task_id == tasks.c.task_id)
    return conn.execute(
        query.join(organisations, organisations.c.org_id == tasks.c.org_id)
        .where(holder, tasks.c.status.not_in(FINAL)).order_by(tasks.c.deadline)
    ).mappings().all()


def _rectifications(conn: Connection, holder: ColumnElement[bool]) -> Sequence[RowMapping]:
    """Open rectifications that ``holder`` picks out, by deadline."""
    return conn.execute(
        select(rectifications.c.rectification_id, rectifications.c.requirement.label("title"), rectifications.c.status,
               rectifications.c.deadline, organisations.c.name.label("org_name"))
        .join(organisations, organisations.c.org_id == rectifications.c.org_id)
        .where(holder, rectifications.c.status != "closed").order_by(rectifications.c.deadline)
    ).mappings().all()


def awaiting_handover(conn: Connection) -> list[dict[str, Any]]:
    """Who holds open work they can no longer carry: they left, or they moved out of the task's
    organisation and hold no role in it; and who left owing reviews of open work. How many
    items each, to be handed over."""
    holds_role = exists().where(role_assignments.c.person_id == people.c.person_id, role_assignments.c.org_id == tasks.c.org_id)
    stranded_tasks = (
        select(people.c.person_id, tasks.c.task_id.label("item_id"))
        .join(tasks, tasks.c.owner_id == people.c.person_id)
        .where(tasks.c.status.not_in(FINAL),
               or_(people.c.left_on.is_not(None), and_(people.c.org_id != tasks.c.org_id, not_(holds_role))))
    )
    stranded_rectifications = (
        select(people.c.person_id, rectifications.c.rectification_id.label("item_id"))
        .join(rectifications, rectifications.c.owner_id == people.c.person_id)
        .where(rectifications.c.status != "closed", people.c.left_on.is_not(None))
    )
    stranded_reviews = (
        select(people.c.person_id, tasks.c.task_id.label("item_id"))
        .join(tasks, tasks.c.reviewer_id == people.c.person_id)
        .where(tasks.c.status.not_in(FINAL), people.c.left_on.is_not(None))
    )
    stranded_checks = (
        select(people.c.person_id, rectifications.c.rectification_id.label("item_id"))
        .join(rectifications, rectifications.c.checker_id == people.c.person_id)
        .where(rectifications.c.status != "closed", people.c.left_on.is_not(None))
    )
    counts: dict[str, int] = {}
    for row in conn.execute(stranded_tasks.union_all(stranded_rectifications, stranded_reviews, stranded_checks)):
        counts[row.person_id] = counts.get(row.person_id, 0) + 1
    if not counts:
        return []
    found = conn.execute(
        select(people.c.person_id, people.c.name, people.c.staff_no, people.c.left_on, organisations.c.name.label("org_name"))
        .join(organisations, organisations.c.org_id == people.c.org_id)
        .where(people.c.person_id.in_(counts)).order_by(people.c.staff_no)
    ).mappings().all()
    return [{**dict(r), "open_items": counts[r["person_id"]]} for r in found]


def _shown(row: Any) -> dict[str, Any]:
    return {"title": row["title"], "status": row["status"], "deadline": row["deadline"], "org_name": row["org_name"]}
