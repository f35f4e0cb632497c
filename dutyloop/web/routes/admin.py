"""系统管理 For administrators: organisations, people and their roles, login accounts, and the
audit — the board or a chain as of a past day, the integrity check, the projections' status."""

from __future__ import annotations

import time
from datetime import date
from uuid import UUID

from fastapi import APIRouter, Depends, Form
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from domain.vocabulary import OrgKind, Role, parse
from dutyloop.integrity import verify
from dutyloop.web.asof import audit_day, views_as_of
from dutyloop.web.deps import Viewer, accounts_of, admin_viewer, business_today, catch_up, fresh_views, system_of
from dutyloop.web.errors import FormRefused
from dutyloop.web.forms import parse_id, parse_page
from dutyloop.web.i18n import Words, locale_of
from dutyloop.web.lists import linker
from dutyloop.web.pages import nav, notice, redirect, render
from dutyloop.web.timeline import entries
from notifications import deliveries as delivery_queries
from projections import chain_queries, chain_story, directory_queries, lookup
from projections.listing import Paging

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
"""People, and organisations, a page: a company's thousands never on one page."""
nav("/admin", "系统管理", "Admin", 80, lambda viewer: viewer.is_admin)
nav("/audit", "审计", "Audit", 90, lambda viewer: viewer.is_admin)


@router.get("/admin")
def admin_home(
    request: Request,
    viewer: Viewer = Depends(admin_viewer),
    conn: Connection = Depends(fresh_views),
) -> Response:
    q = request.query_params
    typed = q.get("q", "").strip()[:40]
    people = directory_queries.people_page(conn, typed, Paging("org", page=parse_page(q.get("ppage", "1")), per_page=PER_PAGE))
    accounts = {a["person_id"]: a for a in accounts_of(request).listing()}
    for person in people.rows:
        person["account"] = accounts.get(person["person_id"])
    orgs = directory_queries.organisation_page(conn, "", Paging("kind", page=parse_page(q.get("opage", "1")), per_page=PER_PAGE))
    return render(request, "admin.html", people=people, orgs=orgs, typed=typed, link=linker(request), roles=list(Role),
                  open_orgs=[o for o in directory_queries.organisation_list(conn) if not o["dissolved_on"]],
                  kinds=[OrgKind.BRANCH, OrgKind.TEMPORARY_BRANCH])


@router.post("/admin/organisations")
def register_organisation(request: Request, name: str = Form(...), kind: str = Form(...), parent_id: str = Form(...),
                          viewer: Viewer = Depends(admin_viewer)) -> Response:
    system_of(request).app.register_organisation(viewer.actor, name, parse(OrgKind, kind, "kind"), parse_id(parent_id, "organisation"))
    catch_up(request)
    notice(request, f"已登记组织：{name}", f"Organisation registered: {name}")
    return redirect("/admin")


@router.post("/admin/organisations/{org_id}/rename")
def rename_organisation(request: Request, org_id: str, name: str = Form(...), viewer: Viewer = Depends(admin_viewer)) -> Response:
    system_of(request).app.rename_organisation(viewer.actor, parse_id(org_id, "organisation"), name)
    catch_up(request)
    notice(request, "已更名", "Renamed")
    return redirect("/admin")


@router.post("/admin/people")
def register_person(request: Request, name: str = Form(...), staff_no: str = Form(...), org_id: str = Form(...),
                    email: str = Form(""), phone: str = Form(""), viewer: Viewer = Depends(admin_viewer)) -> Response:
    system_of(request).app.register_person(viewer.actor, name, staff_no, parse_id(org_id, "organisation"), email, phone)
    catch_up(request)
    notice(request, f"已登记人员：{name}", f"Person registered: {name}")
    return redirect("/admin")


@router.post("/admin/people/{person_id}/roles")
def assign_role(request: Request, person_id: str, role: str = Form(...), org_id: str = Form(...), duty: str = Form(""),
                viewer: Viewer = Depends(admin_viewer), conn: Connection = Depends(fresh_views)) -> Response:
    """The organisation as the picker gives it: its name (or its id)."""
    system_of(request).app.assign_role(
        viewer.actor, parse_id(person_id, "person"), parse(Role, role, "role"), UUID(lookup.resolve_org(conn, org_id)), duty
    )
    catch_up(request)
    notice(request, "已分配角色", "Role assigned")
    return redirect("/admin")


@router.post("/admin/people/{person_id}/password")
def set_password(request: Request, person_id: str, password: str = Form(...), viewer: Viewer = Depends(admin_viewer)) -> Response:
    """An administrator sets a first (or new) password; the person's other sessions end."""
    person = system_of(request).app.person(parse_id(person_id, "person"))
    accounts_of(request).set_password(person.id.hex, person.staff_no, password)
    notice(request, f"已设置 {person.name} 的登录密码", f"Password set for {person.name}")
    return redirect("/admin")


@router.post("/admin/people/{person_id}/account/remove")
def remove_account(request: Request, person_id: str, viewer: Viewer = Depends(admin_viewer)) -> Response:
    person = system_of(request).app.person(parse_id(person_id, "person"))
    if person.id == viewer.person_id:
        raise FormRefused("不能删除自己的账号", "You cannot remove your own account")
    accounts_of(request).remove(person.id.hex)
    notice(request, f"已删除 {person.name} 的账号", f"Account of {person.name} removed")
    return redirect("/admin")


@router.get("/audit")
def audit(
    request: Request,
    check: str = "",
    chain: str = "",
    as_of: str = "",
    viewer: Viewer = Depends(admin_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    system = system_of(request)
    verdict = seconds = None
    if check:
        began = time.perf_counter()
        verdict = verify(system.engine)
        seconds = time.perf_counter() - began
    story = timeline = None
    past = audit_day(viewer, as_of, today) if as_of else None
    if chain and past:
        with views_as_of(system, past) as old:
            story = chain_story.story(old, parse_id(chain, "rectification").hex)
        timeline = entries(story["timeline"], Words(locale_of(request)), system.settings.timezone, link_entities=True)
    return render(
        request, "audit.html", status=system.views.status(), failures=system.views.failures(), head=system.views.head(), verdict=verdict, seconds=seconds,
        story=story, timeline=timeline, chain=chain, as_of=past, today=today,
        chains=chain_queries.open_chains(conn, today)[:50],
        delivery_counts=delivery_queries.status_counts(conn),
        failed=delivery_queries.delivery_list(conn, failed_only=True, limit=50),
    )
