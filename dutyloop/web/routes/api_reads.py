"""JSON API, reads: my work, tasks, a task with its timeline, warnings as of a day, the board,
chains, the trail and the system's status — the same questions the pages and the CLI answer,
each limited to what the caller may see (the pages' own rule, ``Viewer.may_view``)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Connection
from starlette.requests import Request

from domain.clock import today as clock_today
from dutyloop.calendar_status import missing_next_year_warning
from dutyloop.web import api_models as m
from dutyloop.web.api_support import ERROR_RESPONSES, Caller, JsonRoute, api_locale
from dutyloop.web.deps import Viewer, catch_up, fresh_views, system_of
from dutyloop.web.routes.board import BOARD_ROLES
from dutyloop.web.work import work_of
from projections import chain_queries, chain_story, deadline_queries, directory_queries, task_queries

router = APIRouter(prefix="/api/v1", tags=["reads"], route_class=JsonRoute, responses=ERROR_RESPONSES)

Day = Annotated[m.Day | None, Query(description="Judge deadlines as of this day (default: today in Asia/Shanghai)")]


def _day(request: Request, day: date | None) -> date:
    return day or clock_today(system_of(request).clock)


def _visible(viewer: Viewer, rows: list[dict[str, Any]], org: str = "org_id", owner: str = "owner_id") -> list[dict[str, Any]]:
    return [r for r in rows if viewer.may_view(UUID(r[org]), UUID(r[owner]) if r.get(owner) else None)]


@router.get("/me", response_model=m.Person, summary="Who am I (and my CSRF token with a browser session)")
def me(request: Request, viewer: Viewer = Caller) -> m.Person:
    session_csrf = None if request.headers.get("authorization") else request.session.get("csrf")
    return m.Person(
        person_id=viewer.person_id, name=viewer.name, staff_no=viewer.staff_no, org_id=viewer.org_id,
        roles=[m.RoleHeld(role=role.value, org_id=org) for role, org in viewer.roles], csrf_token=session_csrf,
    )


MY_WORK_CLOSED = 1000
"""Closed tasks in the API's my-work, the most recently due: as many as it has always carried."""


@router.get("/my-work", response_model=m.MyWork, summary="My work: my tasks, warnings and open rectifications")
def my_work(request: Request, day: Day = None, viewer: Viewer = Caller, conn: Connection = Depends(fresh_views)) -> m.MyWork:
    today = _day(request, day)
    work = work_of(conn, viewer, today, closed=MY_WORK_CLOSED)
    return m.MyWork(
        today=today, warnings=[m.Warning.model_validate(w) for w in work.warnings],
        tasks=[m.Task.model_validate(t) for t in sorted(work.tasks, key=lambda t: (t["deadline"], t["title"]))],
        rectifications=[m.OpenChain.model_validate(r) for r in work.rectifications],
    )


@router.get("/tasks", response_model=list[m.Task], summary="Tasks, filtered by organisation, owner, meeting or status")
def tasks(
    org_id: UUID | None = None,
    owner_id: UUID | None = Query(None, description="The owner, or a follower"),
    meeting_id: UUID | None = None,
    status: Annotated[list[str], Query(description="issued, signed, in_progress, reported_done, returned, accepted, cancelled")] = [],  # noqa: B006
    limit: int = Query(200, ge=1, le=1000),
    viewer: Viewer = Caller,
    conn: Connection = Depends(fresh_views),
) -> list[m.Task]:
    rows = task_queries.task_list(
        conn, org_id=org_id.hex if org_id else None, owner_id=owner_id.hex if owner_id else None,
        meeting_id=meeting_id.hex if meeting_id else None, status=status, limit=limit,
    )
    return [m.Task.model_validate(r) for r in _visible(viewer, rows)]


@router.get("/tasks/{task_id}", response_model=m.TaskDetail, summary="A task with its timeline")
def task(task_id: UUID, viewer: Viewer = Caller, conn: Connection = Depends(fresh_views)) -> m.TaskDetail:
    detail = task_queries.task_detail(conn, task_id.hex)
    viewer.require_view(UUID(detail["org_id"]), UUID(detail["owner_id"]))
    return m.TaskDetail.model_validate(detail)


@router.get("/warnings", response_model=list[m.Warning], summary="Deadline warnings as of a day")
def warnings(
    request: Request, day: Day = None, org_id: UUID | None = None, owner_id: UUID | None = None,
    viewer: Viewer = Caller, conn: Connection = Depends(fresh_views),
) -> list[m.Warning]:
    rows = deadline_queries.warnings(conn, _day(request, day), org_id=org_id.hex if org_id else None,
                            owner_id=owner_id.hex if owner_id else None)
    return [m.Warning.model_validate(r) for r in _visible(viewer, rows)]


@router.get("/board", response_model=m.Board, summary="Every branch's open, overdue and closed counts")
def board(request: Request, day: Day = None, viewer: Viewer = Caller, conn: Connection = Depends(fresh_views)) -> m.Board:
    if not viewer.has(*BOARD_ROLES):
        raise viewer.refuse("view_page", "reason_not_leader")
    today = _day(request, day)
    return m.Board(today=today, branches=[m.BoardRow.model_validate(r) for r in task_queries.branch_summary(conn, today)])


@router.get("/chains", response_model=list[m.OpenChain], summary="Open rectification chains, oldest first")
def open_chains(request: Request, day: Day = None, viewer: Viewer = Caller, conn: Connection = Depends(fresh_views)) -> list[m.OpenChain]:
    rows = chain_queries.open_chains(conn, _day(request, day))
    return [m.OpenChain.model_validate(r) for r in _visible(viewer, rows)]


@router.get("/chains/{entity_id}", response_model=m.Chain,
            summary="A whole chain (finding → interview → rectification → close-out) from any of its ids")
def chain(entity_id: UUID, viewer: Viewer = Caller, conn: Connection = Depends(fresh_views)) -> m.Chain:
    story = chain_story.story(conn, entity_id.hex)
    orgs = {r["org_id"] for key in ("rectifications", "findings", "interviews") for r in story[key]}
    owners = [UUID(r["owner_id"]) for r in story["rectifications"]]
    if not any(viewer.may_view(UUID(org), *owners) for org in orgs):
        raise viewer.refuse("view_page", "reason_not_owner")
    return m.Chain.model_validate(story)


@router.get("/meetings", response_model=list[m.Meeting], summary="Meetings of the organisations I may look at")
def meetings(org_id: UUID | None = None, viewer: Viewer = Caller, conn: Connection = Depends(fresh_views)) -> list[m.Meeting]:
    rows = directory_queries.meeting_list(conn, org_id.hex if org_id else None)
    return [m.Meeting.model_validate(r) for r in rows if viewer.may_view(UUID(r["org_id"]))]


@router.get("/trail", response_model=list[m.TrailEntry], summary="Who did what, newest first")
def trail(
    request: Request,
    actor_id: UUID | None = None,
    org_id: UUID | None = None,
    entity_id: UUID | None = None,
    since: m.Day | None = Query(None, description="From the start of this day (Asia/Shanghai)"),
    until: m.Day | None = Query(None, description="To the end of this day (Asia/Shanghai)"),
    limit: int = Query(100, ge=1, le=1000),
    before: int | None = Query(None, ge=1, description="The next page: entries before this notification_id (the last one of the page before)"),
    viewer: Viewer = Caller,
    conn: Connection = Depends(fresh_views),
) -> list[m.TrailEntry]:
    zone = ZoneInfo(system_of(request).settings.timezone)
    rows = chain_queries.trail_rows(
        conn, actor_id=actor_id.hex if actor_id else None, org_id=org_id.hex if org_id else None,
        entity_id=entity_id.hex if entity_id else None,
        since=datetime.combine(since, time.min, zone) if since else None,
        until=datetime.combine(until, time.max, zone) if until else None, limit=limit, before=before,
    )
    shown = [r for r in rows if viewer.is_admin or (r["org_id"] and viewer.may_view(UUID(r["org_id"])))]
    return [m.TrailEntry.model_validate(r) for r in shown]


@router.get("/status", response_model=m.Status, summary="Projection status and the calendar warning (administrators)")
def status(request: Request, viewer: Viewer = Caller) -> m.Status:
    if not viewer.is_admin:
        raise viewer.refuse("view_page", "reason_admin_only")
    catch_up(request)
    system = system_of(request)
    today = clock_today(system.clock)
    return m.Status(
        today=today, events=system.views.head(),
        views=[m.ViewState(**vars(s)) for s in system.views.status()],
        calendar_warning=missing_next_year_warning(today, system.app.calendar(), api_locale(request)),
    )
