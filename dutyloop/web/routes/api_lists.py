"""JSON API, lists: the task list page's question (filters, sorting, a page and the total) for
programs, answered by the same query and limited to what the caller may see."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request

from domain.clock import today as clock_today
from dutyloop.web import api_models as m
from dutyloop.web.api_support import ERROR_RESPONSES, Caller, JsonRoute
from dutyloop.web.deps import Viewer, fresh_views, system_of
from dutyloop.web.routes.task_list import task_filter
from dutyloop.web.seeing import seeing_of
from projections.task_finder import find_tasks

router = APIRouter(prefix="/api/v1", tags=["reads"], route_class=JsonRoute, responses=ERROR_RESPONSES)


class TaskPage(m.Row):
    total: int
    page: int
    pages: int
    per_page: int
    items: list[m.Task]


@router.get(
    "/task-list", response_model=TaskPage, summary="The task list: filtered, sorted, one page and the total",
    description=(
        "Parameters as the /tasks page takes them: org (with scope=self for that organisation alone), person "
        "(staff number, name or id: owner or follower), meeting, item, status and level (repeatable), done "
        "(on_time, late), from and to (deadline, YYYY-MM-DD), sort (deadline, issued_on, title, status, org, "
        "owner), order (asc, desc), page, per_page (20, 50, 100, 200)."
    ),
)
def task_list(request: Request, viewer: Viewer = Caller, conn: Connection = Depends(fresh_views)) -> TaskPage:
    today: date = clock_today(system_of(request).clock)
    found = find_tasks(conn, task_filter(request, conn, today, viewer), seeing_of(conn, viewer), today)
    return TaskPage(
        total=found.total, page=found.filter.page, pages=found.pages, per_page=found.filter.per_page,
        items=[m.Task.model_validate(r) for r in found.rows],
    )
