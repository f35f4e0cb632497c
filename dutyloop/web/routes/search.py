"""搜索 Full-text search over everything the person may see: task titles and requirements,
meeting minutes and decisions, findings, interview records, rectification plans and reports,
evidence file names — the hits marked, newest first, a page at a time."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from dutyloop.cli.search import FIELDS
from dutyloop.web.deps import Viewer, current_viewer, fresh_views
from dutyloop.web.forms import parse_page
from dutyloop.web.pages import nav, render
from dutyloop.web.seeing import seeing_of
from projections.search_queries import Found, search

router = APIRouter(include_in_schema=False)
nav("/search", "搜索", "Search", 15)
PER_PAGE = 20


@router.get("/search")
def search_page(
    request: Request,
    q: str = "",
    page: str = "1",
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
) -> Response:
    number = parse_page(page)
    found: Found | None = search(conn, q, seeing_of(conn, viewer), page=number, per_page=PER_PAGE) if q.strip() else None
    pages = max(1, -(-found.total // PER_PAGE)) if found else 1
    return render(request, "search.html", q=q, found=found, page=number, pages=pages, fields=FIELDS)
