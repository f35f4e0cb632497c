"""JSON API, the rectification chain: record an inspection with its findings, open a
rectification from a finding, schedule and hold an interview (which opens its 限期整改), and
every rectification step — plan, progress, completion with evidence, verify, return, close.
Each is the same domain command as the pages and the CLI, with the caller as actor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from starlette.requests import Request

from dutyloop.web import api_models as m
from dutyloop.web.api_evidence import report_with_evidence
from dutyloop.web.api_support import ERROR_RESPONSES, Caller, JsonRoute, run_command
from dutyloop.web.deps import Viewer, system_of

router = APIRouter(prefix="/api/v1", tags=["inspections and rectifications"], route_class=JsonRoute, responses=ERROR_RESPONSES)


@router.post("/inspections", response_model=m.Made, status_code=201, summary="开展检查 Record an inspection and its findings")
def inspect(request: Request, body: m.InspectionRecord, viewer: Viewer = Caller) -> m.Made:
    app = system_of(request).app
    inspection_id, finding_ids = run_command(request, body, None, lambda: app.conduct_inspection(
        viewer.actor, body.kind, body.org_id, body.subject, body.findings, body.conducted_on))
    return m.Made(id=inspection_id, ids=finding_ids)


@router.post("/findings/{finding_id}/rectification", response_model=m.Done, status_code=201,
             summary="启动整改 Open the rectification of a finding")
def open_rectification(request: Request, finding_id: UUID, body: m.RectificationOpening, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    rect_id = run_command(request, body, finding_id, lambda: app.open_rectification(
        viewer.actor, finding_id, body.owner_id, body.requirement, body.domain()))
    return m.Done(id=rect_id, version=app.rectification(rect_id).version)


@router.post("/interviews", response_model=m.Done, status_code=201, summary="安排约谈 Schedule an interview")
def schedule_interview(request: Request, body: m.InterviewPlan, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    interview_id = run_command(request, body, None, lambda: app.schedule_interview(
        viewer.actor, body.interviewer_id, body.interviewee_id, body.reason, body.planned_on, body.task_ids, body.finding_ids))
    return m.Done(id=interview_id, version=app.interview(interview_id).version)


@router.post("/interviews/{interview_id}/held", response_model=m.Done,
             summary="进行约谈 Record that an interview was held; opens its rectification (returned as id)")
def hold_interview(request: Request, interview_id: UUID, body: m.InterviewHeld, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    rect_id = run_command(request, body, interview_id, lambda: app.hold_interview(
        viewer.actor, interview_id, body.held_on, body.minutes, body.commitments, body.domain(), body.requirement))
    return m.Done(id=rect_id, version=app.rectification(rect_id).version)


def _on_rectification(request: Request, rect_id: UUID, body: Any, command: Callable[[], Any]) -> m.Done:
    run_command(request, body, rect_id, command)
    return m.Done(id=rect_id, version=system_of(request).app.rectification(rect_id).version)


@router.post("/rectifications/{rect_id}/plan", response_model=m.Done, summary="提交整改方案 Submit the plan")
def plan(request: Request, rect_id: UUID, body: m.Plan, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    return _on_rectification(request, rect_id, body, lambda: app.submit_rectification_plan(
        viewer.actor, rect_id, body.plan, expected_version=body.expected_version))


@router.post("/rectifications/{rect_id}/progress", response_model=m.Done, summary="记录整改进展 Note progress")
def progress(request: Request, rect_id: UUID, body: m.Note, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    return _on_rectification(request, rect_id, body, lambda: app.note_rectification_progress(
        viewer.actor, rect_id, body.note, expected_version=body.expected_version))


@router.post("/rectifications/{rect_id}/completion", response_model=m.Done, summary="报送整改完成 Report completion with evidence")
async def completion(request: Request, rect_id: UUID, body: m.Report, viewer: Viewer = Caller) -> m.Done:
    system = system_of(request)
    await report_with_evidence(
        request, body.evidence,
        lambda evidence: run_command(request, body, rect_id, lambda: system.app.report_rectification_completion(
            viewer.actor, rect_id, evidence, body.note, expected_version=body.expected_version)),
    )
    return m.Done(id=rect_id, version=system.app.rectification(rect_id).version)


@router.post("/rectifications/{rect_id}/verify", response_model=m.Done, summary="整改验收 Verify")
def verify(request: Request, rect_id: UUID, body: m.Opinion, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    return _on_rectification(request, rect_id, body, lambda: app.verify_rectification(
        viewer.actor, rect_id, body.opinion, expected_version=body.expected_version))


@router.post("/rectifications/{rect_id}/return", response_model=m.Done, summary="整改退回 Return for rework")
def return_rectification(request: Request, rect_id: UUID, body: m.Reason, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    return _on_rectification(request, rect_id, body, lambda: app.return_rectification(
        viewer.actor, rect_id, body.reason, expected_version=body.expected_version))


@router.post("/rectifications/{rect_id}/close", response_model=m.Done, summary="整改销号 Close out")
def close(request: Request, rect_id: UUID, body: m.Versioned, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    return _on_rectification(request, rect_id, body, lambda: app.close_rectification(
        viewer.actor, rect_id, expected_version=body.expected_version))
