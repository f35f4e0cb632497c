"""What a person has to do: the tasks and rectifications of their branches and their own, with
the deadline warnings among them, read from the views."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Connection

from dutyloop.web.deps import Viewer
from projections import chain_queries, deadline_queries, task_queries

STATUS_ORDER = ("returned", "issued", "signed", "in_progress", "reported_done", "accepted", "cancelled")
OPEN_STATUSES = ("issued", "signed", "in_progress", "returned")


@dataclass
class Work:
    tasks: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    rectifications: list[dict[str, Any]]
    by_status: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def count(self, *levels: str) -> int:
        return sum(1 for w in self.warnings if w["level"] in levels)


def work_of(conn: Connection, viewer: Viewer, today: date) -> Work:
    orgs = [org.hex for org in viewer.branch_org_ids]
    tasks: dict[str, dict[str, Any]] = {}
    for org in orgs:
        for row in task_queries.task_list(conn, org_id=org, limit=1000):
            tasks[row["task_id"]] = row
    for row in task_queries.task_list(conn, owner_id=viewer.hex, limit=1000):
        tasks[row["task_id"]] = row
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
    for row in tasks.values():
        row["level"] = level_of.get(row["task_id"])
    rects = [
        {**r, "level": level_of.get(r["rectification_id"])}
        for r in chain_queries.open_chains(conn, today)
        if r["org_id"] in orgs or r["owner_id"] == viewer.hex
    ]
    by_status: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(tasks.values(), key=lambda r: (r["deadline"], r["title"])):
        by_status.setdefault(row["status"], []).append(row)
    ordered = {status: by_status[status] for status in STATUS_ORDER if status in by_status}
    return Work(tasks=list(tasks.values()), warnings=warnings, rectifications=rects, by_status=ordered)
