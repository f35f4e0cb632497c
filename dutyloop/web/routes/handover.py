"""交接 on the web, for administrators: whose open work waits for a handover, what one person's
open work is, and — once the successor is named — the handover shown before it is confirmed."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends, Form
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from domain.errors import term
from dutyloop.web.deps import Viewer, admin_viewer, catch_up, fresh_views, system_of
from dutyloop.web.i18n import locale_of
from dutyloop.web.pages import notice, redirect, render
from projections import lookup
from projections.handover import KIND_TERMS, awaiting_handover, open_work

router = APIRouter(include_in_schema=False)


@router.get("/admin/handover")
def handover_page(
    request: Request, from_person: str = "", to_person: str = "",
    viewer: Viewer = Depends(admin_viewer), conn: Connection = Depends(fresh_views),
) -> Response:
    locale = locale_of(request)
    giver = lookup.resolve_person(conn, from_person) if from_person.strip() else None
    taker = lookup.resolve_person(conn, to_person) if to_person.strip() else None
    items = []
    if giver is not None:
        _, rows = open_work(conn, giver)
        items = [{**r, "kind_label": term(KIND_TERMS[r["kind"]], locale), "status_label": term(r["status"], locale)} for r in rows]
    return render(request, "handover.html", waiting=awaiting_handover(conn), items=items, from_person=from_person,
                  to_person=to_person, giver=giver, taker=taker)


@router.post("/admin/handover")
def hand_over(request: Request, from_person: str = Form(...), to_person: str = Form(...), reason: str = Form(""),
              viewer: Viewer = Depends(admin_viewer)) -> Response:
    system = system_of(request)
    catch_up(request)
    with system.engine.connect() as conn:
        giver = lookup.resolve_person(conn, from_person)
        taker = lookup.resolve_person(conn, to_person)
        work, _ = open_work(conn, giver)
    moved = system.app.hand_over(viewer.actor, UUID(giver), UUID(taker), reason, work, record=True)
    catch_up(request)
    notice(request, f"已交接 {len(moved)} 项工作", f"Handed {len(moved)} items over")
    return redirect("/admin/handover")
