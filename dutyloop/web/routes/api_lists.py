"""JSON API, lists and search: the task list page's question (filters, sorting, a page and the
total), the lists of findings, interviews, rectifications and meetings, and the search page's, for
programs, answered by the same queries and limited to what the caller may see."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import Field
from sqlalchemy import Connection
from starlette.requests import Request

from domain.clock import today as clock_today
from dutyloop.web import api_models as m
from dutyloop.web.api_support import ERROR_RESPONSES, Caller, JsonRoute
from dutyloop.web.deps import Viewer, fresh_views, system_of
from dutyloop.web.routes.record_lists import PAGES, found_in
from dutyloop.web.routes.task_list import task_filter
from dutyloop.web.seeing import seeing_of
from projections.search_queries import bracketed, search
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
        total=found.total, page=found.paging.page, pages=found.pages, per_page=found.paging.per_page,
        items=[m.Task.model_validate(r) for r in found.rows],
    )


class ListedFinding(m.Finding):
    org_name: str
    status: str = Field(description="unrectified, or the status of the rectification opened for it")
    rectification_id: UUID | None = None
    owner_name: str | None = None


class ListedInterview(m.Interview):
    org_name: str
    interviewer_name: str
    interviewee_name: str


class ListedRectification(m.Rectification):
    source_text: str | None = Field(None, description="The finding or the interview reason it comes from")


class ListedMeeting(m.Meeting):
    status: str = Field(description="planned or held")


class FindingPage(m.Row):
    total: int
    page: int
    pages: int
    per_page: int
    items: list[ListedFinding]


class InterviewPage(FindingPage):
    items: list[ListedInterview]  # type: ignore[assignment]


class RectificationPage(FindingPage):
    items: list[ListedRectification]  # type: ignore[assignment]


class MeetingPage(FindingPage):
    items: list[ListedMeeting]  # type: ignore[assignment]


LISTED = {"findings": FindingPage, "interviews": InterviewPage, "rectifications": RectificationPage, "meetings": MeetingPage}


def _described(name: str) -> str:
    kind = PAGES[name].kind
    own = "".join(f"{choice} ({', '.join(filtered.values)}), " for choice, filtered in kind.choices.items())
    return (
        f"Parameters as the /lists/{name} page takes them: org (scope=self for that organisation alone), person "
        f"(staff number, name or id), status ({', '.join(kind.statuses)}, repeatable), from and to "
        f"({kind.day_en.lower()}, YYYY-MM-DD), {own}sort ({', '.join(kind.sorts)}), order (asc, desc), page, "
        "per_page (20, 50, 100, 200)."
    )


def _list_route(name: str, model: type[FindingPage]) -> None:
    kind = PAGES[name].kind

    def read(request: Request, viewer: Viewer = Caller, conn: Connection = Depends(fresh_views)) -> FindingPage:
        _, wanted, found = found_in(request, name, conn, viewer, clock_today(system_of(request).clock))
        return model.model_validate({"total": found.total, "page": wanted.paging.page, "pages": found.pages,
                                     "per_page": wanted.paging.per_page, "items": found.rows})

    router.add_api_route(
        f"/lists/{name}", read, methods=["GET"], response_model=model, name=f"list_{name}",
        summary=f"The list of {kind.en.lower()}: filtered, sorted, one page and the total",
        description=_described(name),
    )


for _name, _model in LISTED.items():
    _list_route(_name, _model)


class SearchHit(m.Row):
    entity_kind: str = Field(description="task, meeting, finding, interview or rectification")
    entity_id: UUID
    field: str = Field(description="Which text matched: title, requirements, evidence, minutes, decisions, description, reason, requirement, plan, report")
    title: str
    snippet: str = Field(description="The text around the first hit, hits between 【 and 】")
    link: str


class SearchPage(m.Row):
    total: int
    page: int
    items: list[SearchHit]


@router.get("/search", response_model=SearchPage, summary="Full-text search over what the caller may see")
def search_read(
    q: str = Query(..., min_length=1, description="Words, all of which a text holds (Chinese, ASCII or mixed)"),
    page: int = Query(1, ge=1),
    per_page: int = Query(20, ge=1, le=200),
    viewer: Viewer = Caller,
    conn: Connection = Depends(fresh_views),
) -> SearchPage:
    found = search(conn, q, seeing_of(conn, viewer), page=page, per_page=per_page)
    return SearchPage(total=found.total, page=page, items=[
        SearchHit(
            entity_kind=r["entity_kind"], entity_id=UUID(r["entity_id"]), field=r["field"], title=r["title"], link=r["link"],
            snippet=bracketed(r["snippet"]),
        )
        for r in found.rows
    ])
