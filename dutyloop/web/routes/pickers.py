"""Type-ahead for people and organisations: the few that match what has been typed so far, for the
pickers of the task list, 转办 and @mentions (nobody has to know staff numbers by heart, and no
page carries thousands of options)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy import Connection, or_, select
from starlette.responses import JSONResponse, Response

from dutyloop.web.deps import Viewer, current_viewer, fresh_views
from projections.tables import organisations, people

router = APIRouter(include_in_schema=False)
SHOWN = 15


def _typed(q: str) -> str:
    return q.strip()[:40]


@router.get("/pick/people")
def pick_people(q: str = "", viewer: Viewer = Depends(current_viewer), conn: Connection = Depends(fresh_views)) -> Response:
    typed = _typed(q)
    found: list[dict[str, Any]] = []
    if typed:
        rows = conn.execute(
            select(people.c.staff_no, people.c.name, organisations.c.name.label("org_name"))
            .join(organisations, organisations.c.org_id == people.c.org_id)
            .where(or_(people.c.staff_no.startswith(typed, autoescape=True), people.c.name.contains(typed, autoescape=True)))
            .order_by(people.c.name, people.c.staff_no).limit(SHOWN)
        ).mappings()
        found = [{"value": r["staff_no"], "label": f"{r['name']} · {r['org_name']}"} for r in rows]
    return JSONResponse(found)


@router.get("/pick/organisations")
def pick_organisations(q: str = "", viewer: Viewer = Depends(current_viewer), conn: Connection = Depends(fresh_views)) -> Response:
    typed = _typed(q)
    found: list[dict[str, Any]] = []
    if typed:
        rows = conn.execute(
            select(organisations.c.org_id, organisations.c.name)
            .where(organisations.c.name.contains(typed, autoescape=True), organisations.c.dissolved_on.is_(None))
            .order_by(organisations.c.name).limit(SHOWN)
        ).mappings()
        found = [{"value": r["name"], "label": r["name"]} for r in rows]
    return JSONResponse(found)
