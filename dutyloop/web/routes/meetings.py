"""例会 Meetings: plan one, record its minutes, issue the task list decided in them (many tasks on
one form, or an .xlsx file from our template), and break a task down to the branches below."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Depends, File, Form, UploadFile
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from domain.application import DutyLoop
from domain.commands.task_lists import TaskSpec
from domain.authority import BRANCH_ROLES, LEADING_ROLES
from domain.errors import NotFound
from domain.vocabulary import MeetingKind, parse
from dutyloop.web import tasklines
from dutyloop.web.deps import Viewer, business_today, catch_up, current_viewer, fresh_views, system_of
from dutyloop.web.errors import FormRefused
from dutyloop.web.forms import lines, parse_day, parse_id
from dutyloop.web.i18n import locale_of, english
from dutyloop.web.pages import nav, notice, redirect, render
from projections import directory_queries, lookup, task_queries
from projections.tables import meetings as meetings_table

router = APIRouter(include_in_schema=False)
nav("/meetings", "会议与任务", "Meetings", 20, lambda viewer: viewer.has(*LEADING_ROLES, *BRANCH_ROLES))

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEPARATORS = re.compile(r"[\s,，、;；]+")


def _meeting_orgs(conn: Connection, viewer: Viewer) -> list[dict[str, Any]]:
    return [o for o in directory_queries.organisation_list(conn)
            if not o["dissolved_on"] and viewer.authority.may_run_meetings(UUID(o["org_id"]))]


def _orgs_under(conn: Connection, system: Any, org_id: str, itself: bool) -> list[dict[str, Any]]:
    """The organisations a meeting of ``org_id`` may give tasks to (``itself`` included: a branch
    meeting's tasks are the branch's own), or a task of it may be broken down to (those under it)."""
    return [o for o in directory_queries.organisation_list(conn)
            if not o["dissolved_on"] and (
                (itself and o["org_id"] == org_id)
                or (o["org_id"] != org_id and system.app.is_under(UUID(o["org_id"]), UUID(org_id))))]


@router.get("/meetings")
def meeting_list(
    request: Request,
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    orgs = _meeting_orgs(conn, viewer)
    allowed = {o["org_id"] for o in orgs}
    rows = [m for m in directory_queries.meeting_list(conn) if m["org_id"] in allowed]
    return render(request, "meetings.html", rows=rows, orgs=orgs, kinds=list(MeetingKind), today=today)


@router.post("/meetings")
def plan(
    request: Request,
    kind: str = Form(...),
    org_id: str = Form(...),
    title: str = Form(...),
    planned_on: str = Form(...),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    meeting_id = system_of(request).app.plan_meeting(
        viewer.actor, parse(MeetingKind, kind, "kind"), parse_id(org_id, "organisation"), title, parse_day(planned_on, "planned_on")
    )
    catch_up(request)
    notice(request, "已安排会议", "Meeting planned")
    return redirect(f"/meetings/{meeting_id.hex}")


@router.get("/meetings/task-template.xlsx")
def task_template(request: Request, viewer: Viewer = Depends(current_viewer)) -> Response:
    en = english(locale_of(request))
    name = "task-list-template.xlsx" if en else "任务清单模板.xlsx"
    return Response(tasklines.template(en), media_type=XLSX,
                    headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@router.get("/meetings/{meeting_id}")
def meeting_page(
    request: Request,
    meeting_id: str,
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    key = parse_id(meeting_id, "meeting").hex
    row = conn.execute(meetings_table.select().where(meetings_table.c.meeting_id == key)).mappings().first()
    if row is None:
        raise NotFound("meeting", meeting_id)
    meeting = dict(row)
    org = UUID(meeting["org_id"])
    viewer.require_view(org)
    aggregate = system_of(request).app.meeting(UUID(key))
    names = {p["person_id"]: p for p in directory_queries.people_list(conn)}
    attendees = [names[a.hex]["name"] for a in aggregate.attendee_ids if a.hex in names] if aggregate.held_on else []
    issued = task_queries.task_list(conn, meeting_id=key, limit=2000)
    return render(
        request, "meeting.html", meeting=meeting, decisions=list(aggregate.decisions), summary=aggregate.summary,
        attendees=attendees, issued=issued, may_run=viewer.authority.may_run_meetings(org), today=today,
        orgs=_orgs_under(conn, system_of(request), meeting["org_id"], itself=True), people=list(names.values()), rows=range(5),
    )


@router.post("/meetings/{meeting_id}/minutes")
def minutes(
    request: Request,
    meeting_id: str,
    held_on: str = Form(...),
    attendees: str = Form(...),
    decisions: str = Form(...),
    summary: str = Form(""),
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
) -> Response:
    target = parse_id(meeting_id, "meeting")
    attendee_ids = [UUID(lookup.resolve_person(conn, who)) for who in SEPARATORS.split(attendees) if who]
    system_of(request).app.record_minutes(
        viewer.actor, target, parse_day(held_on, "held_on"), attendee_ids, lines(decisions), summary
    )
    catch_up(request)
    notice(request, "已记录会议纪要", "Minutes recorded")
    return redirect(f"/meetings/{target.hex}")


@router.post("/meetings/{meeting_id}/issue")
async def issue(
    request: Request,
    meeting_id: str,
    title: list[str] = Form(default=[]),
    org: list[str] = Form(default=[]),
    owner: list[str] = Form(default=[]),
    deadline: list[str] = Form(default=[]),
    requirements: list[str] = Form(default=[]),
    sheet: UploadFile | None = File(default=None),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    """分级下达: the rows of the form and of an uploaded template, all in one write."""
    target = parse_id(meeting_id, "meeting")
    ids = await _issue(request, title, org, owner, deadline, requirements, sheet,
                       lambda app, specs: app.issue_task_list(viewer.actor, target, specs))
    notice(request, f"已下达 {len(ids)} 项任务", f"Issued {len(ids)} tasks")
    return redirect(f"/meetings/{target.hex}")


async def _issue(
    request: Request, title: list[str], org: list[str], owner: list[str], deadline: list[str], requirements: list[str],
    sheet: UploadFile | None, issue: Callable[[DutyLoop, list[TaskSpec]], list[UUID]],
) -> list[UUID]:
    """A task list from the form's rows and an uploaded template, issued in one write (from a
    meeting's minutes or by breaking a task down)."""
    found = tasklines.form_lines(title, org, owner, deadline, requirements)
    content, filename = b"", ""
    if sheet is not None and sheet.filename:
        filename = sheet.filename
        content = await sheet.read(request.app.state.options.max_upload_bytes + 1)
        if len(content) > request.app.state.options.max_upload_bytes:
            raise FormRefused(f"“{filename}”过大", f"“{filename}” is too large")

    def parse_and_issue() -> list[UUID]:
        lines = found + (tasklines.xlsx_lines(content, filename) if filename else [])
        system = system_of(request)
        with system.engine.connect() as conn:
            specs = tasklines.specs(conn, lines)
        ids = issue(system.app, specs)
        catch_up(request)
        return ids

    # Parsing a workbook and writing the tasks take CPU and the database: in a worker thread, so
    # the event loop goes on answering everyone else meanwhile.
    return await run_in_threadpool(parse_and_issue)


@router.get("/tasks/{task_id}/break-down")
def break_down_page(
    request: Request,
    task_id: str,
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
) -> Response:
    task = task_queries.task_detail(conn, parse_id(task_id, "task").hex)
    viewer.require_view(UUID(task["org_id"]), UUID(task["owner_id"]))
    names = directory_queries.people_list(conn)
    return render(request, "breakdown.html", task=task, orgs=_orgs_under(conn, system_of(request), task["org_id"], itself=False),
                  people=names, rows=range(5))


@router.post("/tasks/{task_id}/break-down")
async def break_down(
    request: Request,
    task_id: str,
    title: list[str] = Form(default=[]),
    org: list[str] = Form(default=[]),
    owner: list[str] = Form(default=[]),
    deadline: list[str] = Form(default=[]),
    requirements: list[str] = Form(default=[]),
    sheet: UploadFile | None = File(default=None),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    target = parse_id(task_id, "task")
    ids = await _issue(request, title, org, owner, deadline, requirements, sheet,
                       lambda app, specs: app.break_down_task(viewer.actor, target, specs))
    notice(request, f"已分解为 {len(ids)} 项任务", f"Broken down into {len(ids)} tasks")
    return redirect(f"/tasks/{target.hex}")
