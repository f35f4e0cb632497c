"""整改链 Rectification chains: the list of open ones and one chain end to end — finding →
interview → rectification → verification → close-out — with every step's actor, the deadlines
met or missed, and the rectification commands for those allowed to run them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from dutyloop.web import uploads
from dutyloop.web.deps import Viewer, business_today, catch_up, current_viewer, fresh_views, system_of
from dutyloop.web.forms import business_day, parse_id, parse_page
from dutyloop.web.i18n import Words, locale_of
from dutyloop.web.lists import linker
from dutyloop.web.pages import nav, notice, redirect, render
from dutyloop.web.seeing import seeing_of
from dutyloop.web.timeline import entries
from dutyloop.wiring import System
from projections import chain_story, directory_queries
from projections.listing import Paging
from projections.record_lists import RECTIFICATIONS, Wanted, find

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
nav("/chains", "整改链", "Chains", 40)

STEPS = ("finding", "interview", "opened", "completion_reported", "verified", "closed")
REWORKABLE = ("opened", "returned")


def rectification_actions(viewer: Viewer, rect: dict[str, Any]) -> set[str]:
    """The rectification commands this person may run now, by the domain's own rules."""
    who = viewer.authority
    org = parse_id(rect["org_id"], "organisation")
    owner = parse_id(rect["owner_id"], "person")
    status = rect["status"]
    actions = set()
    if who.is_person(owner) or who.works_in(org):
        if status in REWORKABLE:
            actions |= {"plan", "progress", "complete"}
    checker = not who.is_person(owner) and (
        rect["checker_id"] == viewer.hex or who.has_authority_over(org) or who.may_supervise(org)
    )
    if checker:
        if status == "completion_reported":
            actions |= {"verify", "return"}
        if status == "verified":
            actions.add("close")
    if status in REWORKABLE and not who.is_person(owner) and (rect["checker_id"] == viewer.hex or who.may_urge(org)):
        actions.add("urge")
    return actions


def deadline_kept(rect: dict[str, Any], today: date) -> str:
    """met / missed (reported after the deadline) / overdue (still open past it) / open."""
    reported = rect.get("completion_reported_on")
    if reported:
        return "met" if reported <= rect["deadline"] else "missed"
    return "overdue" if rect["deadline"] < today.isoformat() else "open"


@router.get("/chains")
def chain_list(
    request: Request,
    org: str = "",
    overdue: str = "",
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    """The open chains, oldest first, a page at a time (/lists/rectifications filters and exports them all)."""
    chosen = (("open", "1"), ("overdue", "1")) if overdue else (("open", "1"),)
    paging = Paging("opened_on", page=parse_page(request.query_params.get("page", "1")), per_page=PER_PAGE)
    wanted = Wanted(paging, org_id=parse_id(org, "organisation").hex if org else None, below=False, chosen=chosen)
    found = find(conn, RECTIFICATIONS, wanted, seeing_of(conn, viewer), today)
    for row in found.rows:
        row["age_days"] = (today - date.fromisoformat(row["opened_on"])).days
        row["overdue"] = row["deadline"] < today.isoformat()
    organisations = [(o["org_id"], o["name"]) for o in directory_queries.organisation_list(conn)]
    return render(request, "chains.html", rows=found.rows, found=found, link=linker(request), organisations=organisations,
                  org=org, overdue=overdue, today=today)


@router.get("/chains/{entity_id}")
def chain_page(
    request: Request,
    entity_id: str,
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    story = chain_story.story(conn, parse_id(entity_id, "rectification").hex)
    orgs = {r["org_id"] for r in story["rectifications"]} | {f["org_id"] for f in story["findings"]} | {
        i["org_id"] for i in story["interviews"]
    }
    owners = [parse_id(r["owner_id"], "person") for r in story["rectifications"]]
    if not any(viewer.may_view(parse_id(org, "organisation"), *owners) for org in orgs):
        raise viewer.refuse("view_page", "reason_not_owner")
    for rect in story["rectifications"]:
        rect["kept"] = deadline_kept(rect, today)
        rect["actions"] = rectification_actions(viewer, rect)
    names = directory_queries.person_names(conn, {f["raised_by"] for f in story["findings"]} | {
        person for i in story["interviews"] for person in (i["interviewer_id"], i["interviewee_id"])
    } | {r["verified_by"] for r in story["rectifications"]})
    reached = _reached(story)
    words = Words(locale_of(request))
    timeline = entries(story["timeline"], words, system_of(request).settings.timezone, link_entities=True)
    return render(
        request, "chain.html", story=story, timeline=timeline, names=names, steps=STEPS, reached=reached,
        today=today, max_upload=request.app.state.options.max_upload_bytes, allowed_types=uploads.allowed_text(),
    )


def _reached(story: dict[str, Any]) -> set[str]:
    reached = set()
    if story["findings"]:
        reached.add("finding")
    if story["interviews"]:
        reached.add("interview")
    for rect in story["rectifications"]:
        status = rect["status"]
        reached.add("opened")
        if rect.get("completion_reported_on"):
            reached.add("completion_reported")
        if status in ("verified", "closed") or rect.get("verified_on"):
            reached.add("verified")
        if status == "closed":
            reached.add("closed")
    return reached


def _run(
    request: Request, rect_id: str, on: str, command: Callable[[System, Any, date | None], None], zh: str, en: str,
) -> Response:
    """One step on the rectification as of the form's 业务日期 (blank: today)."""
    target = parse_id(rect_id, "rectification")
    command(system_of(request), target, business_day(on))
    catch_up(request)
    notice(request, zh, en)
    return redirect(f"/chains/{target.hex}")


@router.post("/rectifications/{rect_id}/plan")
def plan(request: Request, rect_id: str, plan: str = Form(...), expected_version: int | None = Form(None),
         on: str = Form(""), viewer: Viewer = Depends(current_viewer)) -> Response:
    return _run(request, rect_id, on,
                lambda s, r, d: s.app.submit_rectification_plan(viewer.actor, r, plan, expected_version=expected_version, on=d),
                "已提交整改方案", "Plan submitted")


@router.post("/rectifications/{rect_id}/progress")
def progress(request: Request, rect_id: str, note: str = Form(...), expected_version: int | None = Form(None),
             on: str = Form(""), viewer: Viewer = Depends(current_viewer)) -> Response:
    return _run(request, rect_id, on,
                lambda s, r, d: s.app.note_rectification_progress(viewer.actor, r, note, expected_version=expected_version, on=d),
                "已记录整改进展", "Progress noted")


@router.post("/rectifications/{rect_id}/complete")
async def complete(
    request: Request,
    rect_id: str,
    note: str = Form(""),
    text: str = Form(""),
    link: str = Form(""),
    files: list[UploadFile] = File(default=[]),
    expected_version: int | None = Form(None),
    on: str = Form(""),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    system = system_of(request)
    target = parse_id(rect_id, "rectification")
    day = business_day(on)
    await uploads.report_with_evidence(
        request, text, link, files,
        lambda evidence: system.app.report_rectification_completion(
            viewer.actor, target, evidence, note, expected_version=expected_version, on=day),
    )
    catch_up(request)
    notice(request, "已报送整改完成，等待验收", "Completion reported; awaiting verification")
    return redirect(f"/chains/{target.hex}")


@router.post("/rectifications/{rect_id}/verify")
def verify(request: Request, rect_id: str, opinion: str = Form(""), expected_version: int | None = Form(None),
           on: str = Form(""), viewer: Viewer = Depends(current_viewer)) -> Response:
    return _run(request, rect_id, on,
                lambda s, r, d: s.app.verify_rectification(viewer.actor, r, opinion, expected_version=expected_version, on=d),
                "整改已验收", "Verified")


@router.post("/rectifications/{rect_id}/return")
def return_rect(request: Request, rect_id: str, reason: str = Form(...), expected_version: int | None = Form(None),
                on: str = Form(""), viewer: Viewer = Depends(current_viewer)) -> Response:
    return _run(request, rect_id, on,
                lambda s, r, d: s.app.return_rectification(viewer.actor, r, reason, expected_version=expected_version, on=d),
                "整改已退回", "Returned")


@router.post("/rectifications/{rect_id}/close")
def close(request: Request, rect_id: str, expected_version: int | None = Form(None),
          on: str = Form(""), viewer: Viewer = Depends(current_viewer)) -> Response:
    return _run(request, rect_id, on,
                lambda s, r, d: s.app.close_rectification(viewer.actor, r, expected_version=expected_version, on=d),
                "整改已销号", "Closed")
