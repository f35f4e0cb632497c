"""花名册 on the web, for administrators: upload a roster, see the difference from what is
recorded and the refused rows, then confirm — the same sync as ``dutyloop roster import``."""

from __future__ import annotations

import base64
import binascii
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, UploadFile
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from domain.errors import DomainError
from domain.roster import Roster
from domain.vocabulary import label
from dutyloop.roster_files import read_roster, write_template
from dutyloop.web.deps import Viewer, admin_viewer, catch_up, system_of
from dutyloop.web.errors import FormRefused
from dutyloop.web.i18n import locale_of
from dutyloop.web.pages import notice, redirect, render
from projections.directory import recorded_directory

router = APIRouter(include_in_schema=False)
MAX_ROSTER_BYTES = 5 * 1024 * 1024
SUFFIXES = (".xlsx", ".csv")


@router.get("/admin/roster")
def roster_page(request: Request, viewer: Viewer = Depends(admin_viewer)) -> Response:
    return render(request, "roster.html")


@router.get("/admin/roster/template")
def roster_template(viewer: Viewer = Depends(admin_viewer)) -> Response:
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)
    handle.close()
    write_template(Path(handle.name))
    return FileResponse(handle.name, filename="花名册模板.xlsx", background=BackgroundTask(Path(handle.name).unlink))


@router.post("/admin/roster/preview")
async def roster_preview(request: Request, file: UploadFile = File(...), viewer: Viewer = Depends(admin_viewer)) -> Response:
    """Read the roster and show what a sync would record; nothing is recorded yet."""
    data = await file.read(MAX_ROSTER_BYTES + 1)
    filename = file.filename or "roster.xlsx"
    if len(data) > MAX_ROSTER_BYTES:
        raise FormRefused(f"文件“{filename}”过大（上限 5 MB）", f"File “{filename}” is too large (limit 5 MB)")
    outcome = _sync(request, viewer, _roster(data, filename), record=False)
    locale = locale_of(request)
    changes = [{"change": label(c.event, locale), "subject": c.subject, "role": label(c.role, locale) if c.role else "",
                "before": c.before, "after": c.after} for c in outcome.changes]
    return render(request, "roster_preview.html", filename=filename, changes=changes,
                  problems=[p.describe(locale) for p in outcome.problems], content=base64.b64encode(data).decode("ascii"))


@router.post("/admin/roster/import")
def roster_import(request: Request, filename: str = Form(...), content: str = Form(...), apply_valid: str = Form(""),
                  viewer: Viewer = Depends(admin_viewer)) -> Response:
    """Record what was previewed (compared again with what is recorded now)."""
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise FormRefused("预览内容已损坏，请重新上传文件", "The previewed content is damaged; upload the file again") from None
    outcome = _sync(request, viewer, _roster(data, filename), record=True, apply_valid=bool(apply_valid))
    if not outcome.recorded and outcome.problems:
        error = DomainError("roster_has_errors", count=len(outcome.problems))
        raise FormRefused(error.message("zh-CN"), error.message("en"))
    catch_up(request)
    count = len(outcome.changes) if outcome.recorded else 0
    notice(request, f"已记录 {count} 项变更", f"Recorded {count} changes")
    return redirect("/admin")


def _roster(data: bytes, filename: str) -> Roster:
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise FormRefused(f"“{filename}”不是 .xlsx 或 .csv 文件", f"“{filename}” is not an .xlsx or .csv file")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(filename).name
        path.write_bytes(data)
        try:
            return read_roster([path])
        except DomainError as error:
            raise FormRefused(error.message("zh-CN"), error.message("en")) from None


def _sync(request: Request, viewer: Viewer, roster: Roster, *, record: bool, apply_valid: bool = False):  # type: ignore[no-untyped-def]
    system = system_of(request)
    catch_up(request)
    with system.engine.connect() as conn:
        recorded = recorded_directory(conn)
    return system.app.sync_roster(viewer.actor, roster, recorded, record=record, apply_valid=apply_valid)
