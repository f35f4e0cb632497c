"""JSON API, pushing work along: 催办 and comments on a task or rectification, 转办 of a task, and
one action on many tasks — the same domain commands as the pages and the CLI, the caller as actor."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request

from dutyloop.web import api_models as m
from dutyloop.web.api_support import ERROR_RESPONSES, Caller, JsonRoute, api_locale, run_command
from dutyloop.web.deps import Viewer, system_of

router = APIRouter(prefix="/api/v1", tags=["follow-ups"], route_class=JsonRoute, responses=ERROR_RESPONSES)


class Urge(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(description="催办意见: what the owner is asked to do")


class CommentText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    mentions: list[UUID] = Field([], description="People told of the comment in their inbox")


class Reassign(m.Versioned):
    owner_id: UUID
    org_id: UUID | None = Field(None, description="The new organisation (default: the new owner's own)")
    reason: str


class Bulk(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["accept", "return", "urge"]
    task_ids: list[UUID] = Field(min_length=1, max_length=500)
    text: str = Field("", description="The acceptance's comment, the return's reason or the urge's note")


class BulkOutcome(BaseModel):
    task_id: UUID
    ok: bool
    code: str | None = None
    message: str | None = None


def _done(request: Request, kind: str, target: UUID) -> m.Done:
    app = system_of(request).app
    return m.Done(id=target, version=(app.task(target) if kind == "task" else app.rectification(target)).version)


@router.post("/tasks/{task_id}/urge", response_model=m.Done, summary="催办 Urge the owner of a task")
def urge_task(request: Request, task_id: UUID, body: Urge, viewer: Viewer = Caller) -> m.Done:
    run_command(request, body, task_id, lambda: system_of(request).app.urge_task(viewer.actor, task_id, body.note))
    return _done(request, "task", task_id)


@router.post("/tasks/{task_id}/comments", response_model=m.Done, summary="留言 Comment on a task (@mentions told)")
def comment_on_task(request: Request, task_id: UUID, body: CommentText, viewer: Viewer = Caller) -> m.Done:
    run_command(request, body, task_id, lambda: system_of(request).app.comment_on_task(viewer.actor, task_id, body.text, body.mentions))
    return _done(request, "task", task_id)


@router.post("/tasks/{task_id}/reassign", response_model=m.Done, summary="转办 Hand a task to another owner")
def reassign_task(request: Request, task_id: UUID, body: Reassign, viewer: Viewer = Caller) -> m.Done:
    run_command(request, body, task_id, lambda: system_of(request).app.reassign_task(
        viewer.actor, task_id, body.owner_id, body.reason, body.org_id, expected_version=body.expected_version))
    return _done(request, "task", task_id)


@router.post("/rectifications/{rectification_id}/urge", response_model=m.Done, summary="催办 Urge the owner of a rectification")
def urge_rectification(request: Request, rectification_id: UUID, body: Urge, viewer: Viewer = Caller) -> m.Done:
    run_command(request, body, rectification_id,
                lambda: system_of(request).app.urge_rectification(viewer.actor, rectification_id, body.note))
    return _done(request, "rectification", rectification_id)


@router.post("/rectifications/{rectification_id}/comments", response_model=m.Done, summary="留言 Comment on a rectification")
def comment_on_rectification(request: Request, rectification_id: UUID, body: CommentText, viewer: Viewer = Caller) -> m.Done:
    run_command(request, body, rectification_id, lambda: system_of(request).app.comment_on_rectification(
        viewer.actor, rectification_id, body.text, body.mentions))
    return _done(request, "rectification", rectification_id)


@router.post("/tasks/bulk", response_model=list[BulkOutcome], summary="One action on many tasks, each on its own")
def bulk(request: Request, body: Bulk, viewer: Viewer = Caller) -> list[BulkOutcome]:
    """Accept, return or urge each task: one command per task; a refusal is reported beside its
    task and stops no other (the response is 200 with each outcome)."""
    locale = api_locale(request)
    outcomes = run_command(request, body, None, lambda: system_of(request).app.act_on_each(viewer.actor, body.action, body.task_ids, body.text))
    return [
        BulkOutcome(task_id=o.task_id, ok=o.refusal is None, code=o.refusal.code if o.refusal else None,
                    message=o.refusal.message(locale) if o.refusal else None)
        for o in outcomes
    ]
