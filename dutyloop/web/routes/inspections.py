"""指导检查、约谈 Inspections with their findings, interviews and the rectifications they open:
the forms to record each, shown only to those the domain lets record them."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Form
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from domain.authority import INTERVIEWING_ROLES, LEADING_ROLES
from domain.vocabulary import InspectionKind, Role, parse
from dutyloop.cli.parsing import parse_deadline
from dutyloop.web.deps import Viewer, business_today, catch_up, current_viewer, fresh_views, system_of
from dutyloop.web.forms import lines, parse_day, parse_id, parse_page
from dutyloop.web.lists import linker
from dutyloop.web.pages import nav, notice, redirect, render
from dutyloop.web.seeing import seeing_of
from dutyloop.web.tasklines import secretary_of
from projections import directory_queries, lookup
from projections.listing import Paging
from projections.record_lists import FINDINGS, INTERVIEWS, Wanted, find

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
"""Findings and interviews a page (/lists/findings and /lists/interviews filter and export them all)."""
INSPECTING_ROLES = (*LEADING_ROLES, Role.DISCIPLINE, Role.FLEXIBLE_TEAM)
nav("/inspections", "检查与约谈", "Inspections", 30, lambda viewer: viewer.has(*INSPECTING_ROLES, *INTERVIEWING_ROLES))


def _orgs(conn: Connection, allowed: Any) -> list[dict[str, Any]]:
    return [o for o in directory_queries.organisation_list(conn) if not o["dissolved_on"] and allowed(UUID(o["org_id"]))]


@router.get("/inspections")
def inspections(
    request: Request,
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    who = viewer.authority
    seeing = seeing_of(conn, viewer)
    q = request.query_params
    found = find(conn, FINDINGS, Wanted(Paging("raised_on", True, parse_page(q.get("fpage", "1")), PER_PAGE)), seeing, today)
    held = find(conn, INTERVIEWS, Wanted(Paging("planned_on", True, parse_page(q.get("ipage", "1")), PER_PAGE)), seeing, today)
    findings, interviews = found.rows, held.rows
    for finding in findings:
        finding["may_open"] = finding["rectification_id"] is None and (
            finding["raised_by"] == viewer.hex or who.may_inspect(UUID(finding["org_id"])) or who.has_authority_over(UUID(finding["org_id"]))
        )
    for interview in interviews:
        interview["may_hold"] = interview["status"] == "scheduled" and (
            who.is_person(UUID(interview["interviewer_id"])) or who.may_record_interviews(UUID(interview["org_id"]))
        )
    return render(
        request, "inspections.html", findings=findings, interviews=interviews, today=today, found=found, held=held,
        link=linker(request),
        inspect_orgs=_orgs(conn, who.may_inspect), kinds=list(InspectionKind),
        may_interview=viewer.has(*INTERVIEWING_ROLES) or bool(viewer.authority.person.liaison_org_ids),
    )


@router.post("/inspections")
def conduct(
    request: Request,
    kind: str = Form(...),
    org_id: str = Form(...),
    subject: str = Form(...),
    conducted_on: str = Form(...),
    findings: str = Form(""),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    _, raised = system_of(request).app.conduct_inspection(
        viewer.actor, parse(InspectionKind, kind, "kind"), parse_id(org_id, "organisation"), subject,
        lines(findings), parse_day(conducted_on, "conducted_on"),
    )
    catch_up(request)
    notice(request, f"已记录检查，反馈问题 {len(raised)} 个", f"Inspection recorded with {len(raised)} findings")
    return redirect("/inspections")


@router.post("/findings/{finding_id}/rectification")
def open_rectification(
    request: Request,
    finding_id: str,
    owner: str = Form(""),
    requirement: str = Form(...),
    deadline: str = Form(...),
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
) -> Response:
    """启动整改 from a finding; a blank owner means the branch's secretary."""
    system = system_of(request)
    finding = system.app.finding(parse_id(finding_id, "finding"))
    owner_id = UUID(lookup.resolve_person(conn, owner)) if owner.strip() else _secretary(conn, finding.org_id.hex)
    rect = system.app.open_rectification(viewer.actor, finding.id, owner_id, requirement, parse_deadline(deadline))
    catch_up(request)
    notice(request, "已启动整改", "Rectification opened")
    return redirect(f"/chains/{rect.hex}")


def _secretary(conn: Connection, org_id: str) -> UUID:
    return UUID(secretary_of(conn, org_id, org_id))


@router.post("/interviews")
def schedule_interview(
    request: Request,
    interviewer: str = Form(...),
    interviewee: str = Form(...),
    reason: str = Form(...),
    planned_on: str = Form(...),
    task: str = Form(""),
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
) -> Response:
    system_of(request).app.schedule_interview(
        viewer.actor, UUID(lookup.resolve_person(conn, interviewer)), UUID(lookup.resolve_person(conn, interviewee)),
        reason, parse_day(planned_on, "planned_on"), task_ids=[parse_id(task, "task")] if task else (),
    )
    catch_up(request)
    notice(request, "已安排约谈", "Interview scheduled")
    return redirect("/inspections")


@router.post("/interviews/{interview_id}/hold")
def hold_interview(
    request: Request,
    interview_id: str,
    held_on: str = Form(...),
    minutes: str = Form(...),
    commitments: str = Form(""),
    deadline: str = Form(...),
    requirement: str = Form(...),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    """约谈 held: the minutes, the commitments, and the rectification it opens (限期整改)."""
    rect = system_of(request).app.hold_interview(
        viewer.actor, parse_id(interview_id, "interview"), parse_day(held_on, "held_on"), minutes, lines(commitments),
        parse_deadline(deadline), requirement,
    )
    catch_up(request)
    notice(request, "已记录约谈并启动限期整改", "Interview recorded; rectification opened")
    return redirect(f"/chains/{rect.hex}")
