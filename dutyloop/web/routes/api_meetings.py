"""JSON API, meetings: plan one, record its minutes, issue the task list decided in them (many
tasks in one write). The same domain commands as the meetings page and ``dutyloop meeting …``."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from starlette.requests import Request

from dutyloop.web import api_models as m
from dutyloop.web.api_support import ERROR_RESPONSES, Caller, JsonRoute, run_command
from dutyloop.web.deps import Viewer, system_of

router = APIRouter(prefix="/api/v1/meetings", tags=["meetings"], route_class=JsonRoute, responses=ERROR_RESPONSES)


@router.post("", response_model=m.Done, status_code=201, summary="安排会议 Plan a meeting")
def plan(request: Request, body: m.MeetingPlan, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    meeting_id = run_command(request, body, None, lambda: app.plan_meeting(viewer.actor, body.kind, body.org_id, body.title, body.planned_on))
    return m.Done(id=meeting_id, version=app.meeting(meeting_id).version)


@router.post("/{meeting_id}/minutes", response_model=m.Done, summary="记录会议纪要 Record the minutes")
def minutes(request: Request, meeting_id: UUID, body: m.Minutes, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    run_command(request, body, meeting_id, lambda: app.record_minutes(
        viewer.actor, meeting_id, body.held_on, body.attendee_ids, body.decisions, body.summary))
    return m.Done(id=meeting_id, version=app.meeting(meeting_id).version)


@router.post("/{meeting_id}/task-list", response_model=m.Done, status_code=201,
             summary="下达任务清单 Issue the task list decided in the minutes")
def issue_task_list(request: Request, meeting_id: UUID, body: m.TaskLines, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    created = run_command(request, body, meeting_id, lambda: app.issue_task_list(viewer.actor, meeting_id, [t.spec() for t in body.tasks]))
    return m.Done(id=meeting_id, ids=created, version=app.meeting(meeting_id).version)
