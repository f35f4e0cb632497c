"""我的工作 My work: the home page — what the person's branches have to do, and what is late."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from dutyloop.web.deps import Viewer, business_today, current_viewer, fresh_views
from dutyloop.web.pages import nav, render
from dutyloop.web.routes.inbox import target_link
from dutyloop.web.work import OPEN_STATUSES, work_of
from notifications import inbox as inbox_queries
from projections.deadline_queries import LEVELS

router = APIRouter(include_in_schema=False)
nav("/", "我的工作", "My work", 10)


@router.get("/")
def my_work(
    request: Request,
    level: str = "",
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    work = work_of(conn, viewer, today)
    messages = inbox_queries.inbox(conn, viewer.hex, unread_only=True, limit=5)
    for message in messages:
        message["link"] = target_link(message)
    return render(request, "home.html", work=work, today=today, open_statuses=OPEN_STATUSES, messages=messages,
                  level=level if level in LEVELS else "")
