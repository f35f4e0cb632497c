"""支部看板 The board for the committee: every branch with its open, overdue and closed counts,
filters, sorting, an .xlsx export, and (for administrators) the board as of a past day."""

from __future__ import annotations

from datetime import date
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from markupsafe import Markup, escape
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from domain.vocabulary import Role
from dutyloop.reports.sheets import BOARD_COLUMNS
from dutyloop.web.asof import audit_day, views_as_of
from dutyloop.web.deps import Viewer, business_today, current_viewer, fresh_views, system_of
from dutyloop.web.i18n import Words, locale_of
from dutyloop.web.pages import nav, render
from dutyloop.web.routes.exports import xlsx_response
from projections import task_queries
from projections.export import Sheet
from projections.task_queries import OPEN_TASK

router = APIRouter(include_in_schema=False)

BOARD_ROLES = (Role.COMMITTEE_SECRETARY, Role.TEAM_MEMBER, Role.PARTY_DEPT, Role.DISCIPLINE, Role.ADMIN, Role.FLEXIBLE_TEAM)
nav("/board", "支部看板", "Board", 50, lambda viewer: viewer.has(*BOARD_ROLES))


def board_viewer(viewer: Viewer = Depends(current_viewer)) -> Viewer:
    if not viewer.has(*BOARD_ROLES):
        raise viewer.refuse("view_page", "reason_not_leader")
    return viewer


def board_rows(conn: Connection, day: date, kind: str, name: str, behind: str) -> list[dict[str, Any]]:
    """The branches the board shows; the task list's ``board`` filter asks for the same ones, so
    a count opened from the board lists exactly the tasks it counted."""
    rows = task_queries.branch_summary(conn, day)
    if kind:
        rows = [r for r in rows if r["kind"] == kind]
    if name.strip():
        rows = [r for r in rows if name.strip() in r["name"]]
    if behind:
        rows = [r for r in rows if r["tasks_overdue"] or r["rectifications_overdue"]]
    for row in rows:
        row["health"] = "bad" if row["tasks_overdue"] or row["rectifications_overdue"] else (
            "warn" if row["awaiting_acceptance"] or row["rectifications_open"] else "good"
        )
    return sorted(rows, key=lambda r: (-r["tasks_overdue"], -r["rectifications_overdue"], r["name"]))


@router.get("/board")
def board(
    request: Request,
    kind: str = "",
    name: str = "",
    behind: str = "",
    as_of: str = "",
    viewer: Viewer = Depends(board_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    past = audit_day(viewer, as_of, today)
    if past is not None:
        with views_as_of(system_of(request), past) as old:
            rows = board_rows(old, past, kind, name, behind)
    else:
        rows = board_rows(conn, today, kind, name, behind)
    totals = {key: sum(r[key] for r in rows) for key, _, _ in BOARD_COLUMNS if rows and isinstance(rows[0].get(key), int)}
    query = request.url.query
    shown = urlencode({"board": 1, "kind": kind, "name": name, "behind": behind})
    link = None if past else lambda measure, org=None: count_link(measure, org, shown)
    return render(request, "board.html", rows=rows, totals=totals, kind=kind, name=name, behind=behind,
                  as_of=past, day=past or today, export=f"/board.xlsx?{query}" if query else "/board.xlsx",
                  count_link=link, counts=count_cells(link))


COUNTED = {
    "tasks_open": "/tasks?" + urlencode([("status", s) for s in OPEN_TASK]),
    "tasks_overdue": "/tasks?level=overdue&level=seriously_overdue",
    "done_on_time": "/tasks?done=on_time",
    "done_late": "/tasks?done=late",
    "awaiting_acceptance": "/tasks?status=reported_done",
    "rectifications_open": "/lists/rectifications?open=1",
    "rectifications_overdue": "/lists/rectifications?overdue=1",
    "rectifications_closed": "/lists/rectifications?status=closed",
}
"""The list each count of the board counts."""


def count_link(measure: str, org: str | None, shown: str) -> str | None:
    """A branch's count opens that branch's list; a total opens the list of every branch shown."""
    base = COUNTED.get(measure)
    if base is None:
        return None
    return base + (f"&org={org}&scope=self" if org else f"&{shown}")


COUNT_CELLS = (
    ("tasks_open", ""), ("tasks_overdue", "cnt-bad"), ("done_on_time", "cnt-good"), ("done_late", "cnt-bad"),
    ("awaiting_acceptance", ""), ("rectifications_open", ""), ("rectifications_overdue", "cnt-bad"),
    ("rectifications_closed", "cnt-good"),
)
"""The board's counts in the order of its columns, with the colour a count other than zero takes."""


def count_cells(link: Callable[..., str | None] | None) -> Callable[[dict[str, Any]], Markup]:
    """A branch's counts as its table cells, each linked to the list it counts. Made here, not by
    a template macro: eight cells a branch, a thousand branches, and the macro calls were most of
    the board's time."""
    def cells(row: dict[str, Any]) -> Markup:
        made = []
        for measure, tone in COUNT_CELLS:
            value = row[measure]
            href = link(measure, row["org_id"]) if link else None
            shown = f'<a href="{escape(href)}" data-count="{measure}">{value}</a>' if href else str(value)
            made.append(f'<td class="num {tone if value else "cnt-zero"}" data-sort="{value:06d}">{shown}</td>')
        return Markup("".join(made))

    return cells


@router.get("/board.xlsx")
def board_export(
    request: Request,
    kind: str = "",
    name: str = "",
    behind: str = "",
    as_of: str = "",
    viewer: Viewer = Depends(board_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    words = Words(locale_of(request))
    past = audit_day(viewer, as_of, today)
    if past is not None:
        with views_as_of(system_of(request), past) as old:
            rows = board_rows(old, past, kind, name, behind)
    else:
        rows = board_rows(conn, today, kind, name, behind)
    for row in rows:
        row["kind_label"] = words.label(row["kind"])
    day = past or today
    return xlsx_response(request, viewer, [Sheet("支部看板", "Branch board", BOARD_COLUMNS, rows)],
                         words("支部看板", "Branch board"), day, words(f"支部看板-{day}.xlsx", f"branch-board-{day}.xlsx"))
