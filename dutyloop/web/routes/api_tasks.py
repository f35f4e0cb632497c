"""JSON API, task commands: sign, report progress, report done with evidence, ask for and decide
an extension, accept, return, cancel, break down, follow. Each is the same domain command as the
task page and ``dutyloop task …`` with the caller as actor; the domain decides who may."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from starlette.requests import Request

from dutyloop.web import api_models as m
from dutyloop.web.api_evidence import report_with_evidence
from dutyloop.web.api_support import ERROR_RESPONSES, Caller, JsonRoute, run_command
from dutyloop.web.deps import Viewer, catch_up, system_of
from projections import task_queries

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"], route_class=JsonRoute, responses=ERROR_RESPONSES)


def _on_task(request: Request, task_id: UUID, body: Any, command: Callable[[], Any]) -> m.Done:
    run_command(request, body, task_id, command)
    return m.Done(id=task_id, version=system_of(request).app.task(task_id).version)


@router.post("/{task_id}/sign", response_model=m.Done, summary="签收 Sign for a task")
def sign(request: Request, task_id: UUID, body: m.Versioned, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    return _on_task(request, task_id, body, lambda: app.sign_for_task(viewer.actor, task_id, expected_version=body.expected_version))


@router.post("/{task_id}/progress", response_model=m.Done, summary="报送进展 Report progress")
def progress(request: Request, task_id: UUID, body: m.Note, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    return _on_task(request, task_id, body, lambda: app.report_task_progress(
        viewer.actor, task_id, body.note, expected_version=body.expected_version))


@router.post("/{task_id}/done", response_model=m.Done, summary="报送完成 Report done with evidence (text, links, files)")
async def done(request: Request, task_id: UUID, body: m.Report, viewer: Viewer = Caller) -> m.Done:
    system = system_of(request)
    await report_with_evidence(
        request, body.evidence,
        lambda evidence: run_command(request, body, task_id, lambda: system.app.report_task_done(
            viewer.actor, task_id, evidence, body.note, expected_version=body.expected_version)),
    )
    return m.Done(id=task_id, version=system.app.task(task_id).version)


@router.post("/{task_id}/extension", response_model=m.Done, summary="申请延期 Ask for a later deadline")
def request_extension(request: Request, task_id: UUID, body: m.ExtensionRequest, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    return _on_task(request, task_id, body, lambda: app.request_extension(
        viewer.actor, task_id, body.deadline, body.reason, expected_version=body.expected_version))


@router.post("/{task_id}/extension/approve", response_model=m.Done, summary="批准延期 Approve the pending extension")
def approve_extension(request: Request, task_id: UUID, body: m.Versioned, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    return _on_task(request, task_id, body, lambda: app.approve_extension(viewer.actor, task_id, expected_version=body.expected_version))


@router.post("/{task_id}/extension/refuse", response_model=m.Done, summary="拒绝延期 Refuse the pending extension")
def refuse_extension(request: Request, task_id: UUID, body: m.Reason, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    return _on_task(request, task_id, body, lambda: app.refuse_extension(
        viewer.actor, task_id, body.reason, expected_version=body.expected_version))


@router.post("/{task_id}/accept", response_model=m.Done, summary="验收通过 Accept the reported work")
def accept(request: Request, task_id: UUID, body: m.Comment, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    return _on_task(request, task_id, body, lambda: app.accept_task(
        viewer.actor, task_id, body.comment, expected_version=body.expected_version))


@router.post("/{task_id}/return", response_model=m.Done, summary="退回 Return the reported work")
def return_task(request: Request, task_id: UUID, body: m.Reason, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    return _on_task(request, task_id, body, lambda: app.return_task(
        viewer.actor, task_id, body.reason, expected_version=body.expected_version))


@router.post("/{task_id}/cancel", response_model=m.Done, summary="撤销 Cancel a task")
def cancel(request: Request, task_id: UUID, body: m.Reason, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    return _on_task(request, task_id, body, lambda: app.cancel_task(
        viewer.actor, task_id, body.reason, expected_version=body.expected_version))


@router.post("/{task_id}/break-down", response_model=m.Done, summary="分解任务 Break a task down to the organisations below")
def break_down(request: Request, task_id: UUID, body: m.TaskLines, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    created = run_command(request, body, task_id, lambda: app.break_down_task(viewer.actor, task_id, [t.spec() for t in body.tasks]))
    return m.Done(id=task_id, ids=created, version=app.task(task_id).version)


def _require_view_task(request: Request, task_id: UUID, viewer: Viewer) -> None:
    """Following shows a task in one's own work and calendar: only for a task one may look at."""
    catch_up(request)
    with system_of(request).engine.connect() as conn:
        detail = task_queries.task_detail(conn, task_id.hex)
    viewer.require_view(UUID(detail["org_id"]), UUID(detail["owner_id"]))


@router.post("/{task_id}/follow", response_model=m.Done, summary="关注 Follow a task (it joins my work and calendar)")
def follow(request: Request, task_id: UUID, body: m.FollowRequest, viewer: Viewer = Caller) -> m.Done:
    _require_view_task(request, task_id, viewer)
    app = system_of(request).app
    return _on_task(request, task_id, body, lambda: app.follow_task(viewer.actor, task_id))


@router.post("/{task_id}/unfollow", response_model=m.Done, summary="取消关注 Stop following a task")
def unfollow(request: Request, task_id: UUID, body: m.FollowRequest, viewer: Viewer = Caller) -> m.Done:
    app = system_of(request).app
    return _on_task(request, task_id, body, lambda: app.unfollow_task(viewer.actor, task_id))

