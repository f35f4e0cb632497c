"""台账 downloads from the web: a chain, the deadline warnings and a task list, as the same
.xlsx sheets the CLI's ``export`` writes (title rows naming the organisation, the day, the
person exporting and the signed chain head), limited to what the viewer may see."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from uuid import UUID

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from dutyloop.reports import sheets as ledger
from dutyloop.reports.headings import heading
from dutyloop.web.deps import Viewer, business_today, current_viewer, fresh_views, system_of
from dutyloop.web.forms import parse_id
from dutyloop.web.i18n import Words, locale_of
from projections import chain_story
from projections.export import Sheet, write_xlsx

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(request: Request, viewer: Viewer, sheets: Sequence[Sheet], title: str, day: date,
                  filename: str, org_name: str = "") -> Response:
    words = Words(locale_of(request))
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)
    handle.close()
    path = Path(handle.name)
    system = system_of(request)
    write_xlsx(path, sheets, words.locale, f"{title}（{day}）",
               heading(system, title, org_name, day.isoformat(), viewer.hex, words.locale))
    return FileResponse(path, filename=filename, media_type=XLSX, background=BackgroundTask(path.unlink, missing_ok=True))


@router.get("/chains/{entity_id}/export.xlsx")
def chain_export(
    request: Request, entity_id: str, viewer: Viewer = Depends(current_viewer), conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    key = parse_id(entity_id, "rectification").hex
    story = chain_story.story(conn, key, locale_of(request), day=today.isoformat())
    orgs = {r["org_id"] for part in ("rectifications", "findings", "interviews") for r in story[part]}
    owners = [UUID(r["owner_id"]) for r in story["rectifications"]]
    if not any(viewer.may_view(UUID(org), *owners) for org in orgs):
        raise viewer.refuse("view_page", "reason_not_owner")
    words = Words(locale_of(request))
    sheets, title = ledger.chain(conn, key, today, words.locale, system_of(request).settings.timezone)
    return xlsx_response(request, viewer, sheets, title, today, words(f"整改链条-{key[:8]}.xlsx", f"chain-{key[:8]}.xlsx"))


@router.get("/warnings.xlsx")
def warnings_export(
    request: Request, viewer: Viewer = Depends(current_viewer), conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    words = Words(locale_of(request))
    sheets, title = ledger.warnings(conn, today, None, words.locale)
    (sheet,) = sheets
    rows = [r for r in sheet.rows if viewer.may_view(UUID(r["org_id"]), UUID(r["owner_id"]))]
    return xlsx_response(request, viewer, [Sheet(sheet.title_zh, sheet.title_en, sheet.columns, rows)], title, today,
                         words(f"时限预警-{today}.xlsx", f"warnings-{today}.xlsx"))


@router.get("/tasks.xlsx")
def tasks_export(
    request: Request, org: str = "", status: str = "", viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views), today: date = Depends(business_today),
) -> Response:
    words = Words(locale_of(request))
    org_id = parse_id(org, "organisation").hex if org else None
    sheets, title = ledger.task_list(conn, org_id, ledger.ALL, words.locale, status=[status] if status else ())
    (sheet,) = sheets
    rows = [r for r in sheet.rows if viewer.may_view(UUID(r["org_id"]), UUID(r["owner_id"]))]
    org_name = rows[0]["org_name"] if org_id and rows else ""
    return xlsx_response(request, viewer, [Sheet(sheet.title_zh, sheet.title_en, sheet.columns, rows)], title, today,
                         words(f"任务清单-{today}.xlsx", f"tasks-{today}.xlsx"), org_name)
