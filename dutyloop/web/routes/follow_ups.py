"""催办, comments with @mentions and 转办 from the task and chain pages, and the bulk actions of the
task list — each the same domain command as ``dutyloop task urge/comment/reassign``, one per task,
with its own refusal shown."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends, Form
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from dutyloop.mentions import mentioned_people
from dutyloop.web.deps import Viewer, catch_up, current_viewer, fresh_views, system_of
from dutyloop.web.forms import parse_id
from dutyloop.web.pages import notice, redirect
from projections import lookup

router = APIRouter(include_in_schema=False)


PAGES = {"task": "/tasks/", "rectification": "/chains/"}
URGED = ("已催办，责任人已收到提醒", "Urged; the owner has been told")
COMMENTED = ("已留言", "Comment added")


def _then_show(request: Request, kind: str, target: UUID, said: tuple[str, str], anchor: str = "") -> Response:
    catch_up(request)
    notice(request, *said)
    return redirect(f"{PAGES[kind]}{target.hex}{anchor}")


@router.post("/tasks/{task_id}/urge")
def urge_task(request: Request, task_id: str, note: str = Form(...), viewer: Viewer = Depends(current_viewer)) -> Response:
    target = parse_id(task_id, "task")
    system_of(request).app.urge_task(viewer.actor, target, note)
    return _then_show(request, "task", target, URGED)


@router.post("/tasks/{task_id}/comment")
def comment_on_task(
    request: Request, task_id: str, text: str = Form(...), viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
) -> Response:
    target = parse_id(task_id, "task")
    system_of(request).app.comment_on_task(viewer.actor, target, text, mentioned_people(conn, text))
    return _then_show(request, "task", target, COMMENTED, "#comments")


@router.post("/tasks/{task_id}/reassign")
def reassign_task(
    request: Request, task_id: str, owner: str = Form(...), reason: str = Form(...), org: str = Form(""),
    expected_version: int | None = Form(None), viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
) -> Response:
    target = parse_id(task_id, "task")
    owner_id = parse_id(lookup.resolve_person(conn, owner), "person")
    org_id = parse_id(org, "organisation") if org.strip() else None
    system_of(request).app.reassign_task(viewer.actor, target, owner_id, reason, org_id, expected_version=expected_version)
    return _then_show(request, "task", target, ("已转办", "Reassigned"))


@router.post("/rectifications/{rect_id}/urge")
def urge_rectification(request: Request, rect_id: str, note: str = Form(...), viewer: Viewer = Depends(current_viewer)) -> Response:
    target = parse_id(rect_id, "rectification")
    system_of(request).app.urge_rectification(viewer.actor, target, note)
    return _then_show(request, "rectification", target, URGED)


@router.post("/rectifications/{rect_id}/comment")
def comment_on_rectification(
    request: Request, rect_id: str, text: str = Form(...), viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
) -> Response:
    target = parse_id(rect_id, "rectification")
    system_of(request).app.comment_on_rectification(viewer.actor, target, text, mentioned_people(conn, text))
    return _then_show(request, "rectification", target, COMMENTED)
