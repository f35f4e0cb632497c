"""任务 The task page (details, deadline lineage, the timeline of everything that happened) and
every command on a task, each the same domain command as ``dutyloop task …``."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from uuid import UUID

from fastapi import APIRouter, Depends, File, Form, UploadFile
from sqlalchemy import Connection, select
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from domain.errors import NotFound
from dutyloop import evidence_files
from dutyloop.web import uploads
from dutyloop.web.deps import Viewer, business_today, catch_up, current_viewer, fresh_views, system_of
from dutyloop.web.forms import business_day, parse_day, parse_id
from dutyloop.web.i18n import Words, locale_of
from dutyloop.web.pages import notice, redirect, render
from dutyloop.web.timeline import entries
from dutyloop.wiring import System
from projections import chain_queries, deadline_queries, task_queries
from projections.tables import chain_links, organisations, rectifications, tasks

router = APIRouter(include_in_schema=False)

OWNER_STATUSES = ("signed", "in_progress", "returned")


def task_actions(viewer: Viewer, task: dict) -> set[str]:  # type: ignore[type-arg]
    """The commands this person could run on the task now, by the domain's own rules; the page
    shows only these (and the domain refuses any other that is posted anyway)."""
    who = viewer.authority
    org = parse_id(task["org_id"], "organisation")
    owner = parse_id(task["owner_id"], "person")
    owner_side = who.is_person(owner) or who.works_in(org)
    supervisor = not who.is_person(owner) and (task["reviewer_id"] == viewer.person_id.hex or who.may_supervise(org))
    status = task["status"]
    final = status in ("accepted", "cancelled")
    actions = set()
    if owner_side:
        if status == "issued":
            actions.add("sign")
        if status in OWNER_STATUSES:
            actions |= {"progress", "done"}
        if not final and status != "reported_done" and not task["pending_extension"]:
            actions.add("extend")
    if supervisor:
        if status == "reported_done":
            actions |= {"accept", "return"}
        if task["pending_extension"]:
            actions |= {"approve_extension", "refuse_extension"}
        if not final:
            actions.add("cancel")
        if status in ("issued", *OWNER_STATUSES):
            actions.add("reassign")
    if not final and not who.is_person(owner) and who.may_urge(org):
        actions.add("urge")
    if not final and (who.is_person(owner) or who.leads(org)):
        actions.add("break_down")
    return actions


@router.get("/tasks/{task_id}")
def task_page(
    request: Request,
    task_id: str,
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    task = task_queries.task_detail(conn, parse_id(task_id, "task").hex)
    followers = [parse_id(f, "person") for f in json.loads(task["followers"])]
    viewer.require_view(parse_id(task["org_id"], "organisation"), parse_id(task["owner_id"], "person"), *followers)
    level = next((w["level"] for w in deadline_queries.warnings(conn, today, org_id=task["org_id"]) if w["id"] == task["task_id"]), None)
    children = conn.execute(
        select(tasks.c.task_id, tasks.c.title, tasks.c.status, tasks.c.deadline).where(tasks.c.parent_task_id == task["task_id"])
    ).mappings().all()
    chains = [r[0] for r in conn.execute(select(chain_links.c.chain_id).where(chain_links.c.entity_id == task["task_id"]))]
    actions = task_actions(viewer, task)
    if level in ("overdue", "seriously_overdue") and viewer.authority.may_record_interviews(parse_id(task["org_id"], "organisation")):
        actions.add("interview")
    below = conn.execute(select(organisations.c.org_id).where(organisations.c.parent_id == task["org_id"]).limit(1)).first()
    if below is None:
        actions.discard("break_down")
    words = Words(locale_of(request))
    timeline = entries(task["timeline"], words, system_of(request).settings.timezone)
    orgs = conn.execute(
        select(organisations.c.org_id, organisations.c.name).where(organisations.c.dissolved_on.is_(None)).order_by(organisations.c.name)
    ).mappings().all() if "reassign" in actions else []
    return render(
        request, "task.html", task=task, level=level, timeline=timeline, actions=actions, chains=chains, orgs=orgs,
        children=children, today=today, max_upload=request.app.state.options.max_upload_bytes,
        allowed_types=evidence_files.allowed_text(), accept=",".join(evidence_files.SIGNATURES),
    )


def _run(
    request: Request, task_id: str, on: str, command: Callable[[System, UUID, date | None], None], zh: str, en: str,
) -> Response:
    """One step on the task as of the form's 业务日期 (blank: today)."""
    system = system_of(request)
    target = parse_id(task_id, "task")
    command(system, target, business_day(on))
    catch_up(request)
    notice(request, zh, en)
    return redirect(f"/tasks/{target.hex}")


@router.post("/tasks/{task_id}/sign")
def sign(request: Request, task_id: str, expected_version: int | None = Form(None), on: str = Form(""),
         viewer: Viewer = Depends(current_viewer)) -> Response:
    system = system_of(request)
    target = parse_id(task_id, "task")
    system.app.sign_for_task(viewer.actor, target, expected_version=expected_version, on=business_day(on))
    catch_up(request)
    notice(request, "已签收", "Signed for")
    back = request.headers.get("referer", "")
    return redirect("/" if back.rstrip("/") == str(request.base_url).rstrip("/") else f"/tasks/{parse_id(task_id, 'task').hex}")


@router.post("/tasks/{task_id}/progress")
def progress(request: Request, task_id: str, note: str = Form(...), expected_version: int | None = Form(None),
             on: str = Form(""), viewer: Viewer = Depends(current_viewer)) -> Response:
    return _run(request, task_id, on,
                lambda s, t, d: s.app.report_task_progress(viewer.actor, t, note, expected_version=expected_version, on=d),
                "已报送进展", "Progress reported")


@router.post("/tasks/{task_id}/done")
async def done(
    request: Request,
    task_id: str,
    note: str = Form(""),
    text: str = Form(""),
    link: str = Form(""),
    files: list[UploadFile] = File(default=[]),
    expected_version: int | None = Form(None),
    on: str = Form(""),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    """报送完成 with evidence: files are stored first and removed again if the domain refuses."""
    system = system_of(request)
    target = parse_id(task_id, "task")
    day = business_day(on)
    await uploads.report_with_evidence(
        request, text, link, files,
        lambda evidence: system.app.report_task_done(viewer.actor, target, evidence, note, expected_version=expected_version, on=day),
    )
    catch_up(request)
    notice(request, "已报送完成，等待验收", "Reported done; awaiting acceptance")
    return redirect(f"/tasks/{target.hex}")


@router.post("/tasks/{task_id}/extend")
def extend(request: Request, task_id: str, deadline: str = Form(...), reason: str = Form(...),
           expected_version: int | None = Form(None), on: str = Form(""), viewer: Viewer = Depends(current_viewer)) -> Response:
    new = parse_day(deadline, "deadline")
    return _run(request, task_id, on,
                lambda s, t, d: s.app.request_extension(viewer.actor, t, new, reason, expected_version=expected_version, on=d),
                "已申请延期", "Extension requested")


@router.post("/tasks/{task_id}/accept")
def accept(request: Request, task_id: str, comment: str = Form(""), expected_version: int | None = Form(None),
           on: str = Form(""), viewer: Viewer = Depends(current_viewer)) -> Response:
    return _run(request, task_id, on,
                lambda s, t, d: s.app.accept_task(viewer.actor, t, comment, expected_version=expected_version, on=d),
                "已验收通过", "Accepted")


@router.post("/tasks/{task_id}/return")
def return_task(request: Request, task_id: str, reason: str = Form(...), expected_version: int | None = Form(None),
                on: str = Form(""), viewer: Viewer = Depends(current_viewer)) -> Response:
    return _run(request, task_id, on,
                lambda s, t, d: s.app.return_task(viewer.actor, t, reason, expected_version=expected_version, on=d),
                "已退回", "Returned")


@router.post("/tasks/{task_id}/approve-extension")
def approve_extension(request: Request, task_id: str, expected_version: int | None = Form(None),
                      on: str = Form(""), viewer: Viewer = Depends(current_viewer)) -> Response:
    return _run(request, task_id, on,
                lambda s, t, d: s.app.approve_extension(viewer.actor, t, expected_version=expected_version, on=d),
                "已批准延期", "Extension approved")


@router.post("/tasks/{task_id}/refuse-extension")
def refuse_extension(request: Request, task_id: str, reason: str = Form(...), expected_version: int | None = Form(None),
                     on: str = Form(""), viewer: Viewer = Depends(current_viewer)) -> Response:
    return _run(request, task_id, on,
                lambda s, t, d: s.app.refuse_extension(viewer.actor, t, reason, expected_version=expected_version, on=d),
                "已拒绝延期", "Extension refused")


@router.post("/tasks/{task_id}/cancel")
def cancel(request: Request, task_id: str, reason: str = Form(...), expected_version: int | None = Form(None),
           on: str = Form(""), viewer: Viewer = Depends(current_viewer)) -> Response:
    return _run(request, task_id, on,
                lambda s, t, d: s.app.cancel_task(viewer.actor, t, reason, expected_version=expected_version, on=d),
                "已撤销任务", "Task cancelled")


@router.get("/files/{kind}/{entity_id}/{relative:path}")
def evidence_file(
    request: Request, kind: str, entity_id: str, relative: str, viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
) -> Response:
    """A stored evidence file as a download (never shown as a page), to those who may see the task
    or rectification whose report carries it."""
    if kind not in ("task", "rectification"):
        raise NotFound("file", relative)
    target = parse_id(entity_id, kind).hex
    if kind == "task":
        task = task_queries.task_detail(conn, target)
        followers = [parse_id(f, "person") for f in json.loads(task["followers"])]
        viewer.require_view(parse_id(task["org_id"], "organisation"), parse_id(task["owner_id"], "person"), *followers)
    else:
        rect = conn.execute(select(rectifications.c.org_id, rectifications.c.owner_id)
                            .where(rectifications.c.rectification_id == target)).first()
        if rect is None:
            raise NotFound("rectification", entity_id)
        viewer.require_view(parse_id(rect.org_id, "organisation"), parse_id(rect.owner_id, "person"))
    reported = {
        item.get("value") for row in chain_queries.timeline(conn, [target])
        for item in row["details"].get("evidence", []) if isinstance(item, dict)
    }
    path = uploads.resolve(system_of(request).settings.data_dir, relative) if relative in reported else None
    if path is None:
        raise NotFound("file", relative)
    return FileResponse(path, media_type=uploads.MEDIA_TYPES[path.suffix], filename=path.name,
                        content_disposition_type="attachment")
