"""What a person has to do: the tasks and rectifications of their branches and their own, with
the deadline warnings among them, read from the views."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection

from dutyloop.web.deps import Viewer
from projections import chain_queries, deadline_queries
from projections.task_finder import work_tasks

STATUS_ORDER = ("returned", "issued", "signed", "in_progress", "reported_done")
OPEN_STATUSES = ("issued", "signed", "in_progress", "returned")


RECENT_CLOSED = 10
"""Closed tasks shown on the home page; the task list has the rest."""


@dataclass
class Work:
    tasks: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    rectifications: list[dict[str, Any]]
    by_status: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """The tasks still in the loop, by status."""
    closed: list[dict[str, Any]] = field(default_factory=list)
    """The closed tasks most recently due, newest first."""
    closed_total: int = 0

    def count(self, *levels: str) -> int:
        return sum(1 for w in self.warnings if w["level"] in levels)


def work_of(conn: Connection, viewer: Viewer, today: date, closed: int = RECENT_CLOSED) -> Work:
    orgs = [org.hex for org in viewer.branch_org_ids]
    found = work_tasks(conn, tuple(orgs), viewer.hex, closed)
    warned: dict[str, dict[str, Any]] = {}
    for org in orgs:
        for row in deadline_queries.warnings(conn, today, org_id=org):
            warned[row["id"]] = row
    for row in deadline_queries.warnings(conn, today, owner_id=viewer.hex):
        warned[row["id"]] = row
    if not orgs:
        # Those who oversee (leaders, discipline inspection, the flexible team, admins) see the
        # warnings of every organisation they may look at.
        for row in deadline_queries.warnings(conn, today):
            if row["id"] not in warned and viewer.may_view(UUID(row["org_id"]), UUID(row["owner_id"])):
                warned[row["id"]] = row
    levels = deadline_queries.LEVELS
    warnings = sorted(warned.values(), key=lambda r: (levels.index(r["level"]), r["deadline"], r["title"]))
    level_of = {w["id"]: w["level"] for w in warnings}
    for row in found.current + found.closed:
        row["level"] = level_of.get(row["task_id"])
    rects = [
        {**r, "level": level_of.get(r["rectification_id"])}
        for r in chain_queries.open_chains(conn, today, work_of=(tuple(orgs), viewer.hex))
    ]
    by_status: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(found.current, key=lambda r: (r["deadline"], r["title"])):
        by_status.setdefault(row["status"], []).append(row)
    ordered = {status: by_status[status] for status in STATUS_ORDER if status in by_status}
    return Work(tasks=found.current + found.closed, warnings=warnings, rectifications=rects, by_status=ordered,
                closed=found.closed, closed_total=found.closed_total)
