"""节假日安排 The working-day calendar for administrators: which years are known (built in or
loaded, and every load with who, when and its source), the warning from 1 November while next
year's schedule is missing, and loading a year's official schedule from a file — the same parser
and the same difference as ``dutyloop calendar load``, shown before anything is recorded; the load
itself is the domain command ``load_holiday_schedule`` with the administrator as actor."""

from __future__ import annotations

import base64
import binascii
from datetime import date

from fastapi import APIRouter, Depends, File, Form, UploadFile
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from domain.calendar import HolidaySchedule, WorkingCalendar
from domain.errors import ConcurrentEdit
from dutyloop.calendar_files import ScheduleFileError, read_schedule_data
from dutyloop.calendar_status import (
    DIFF_KEYS,
    Preview,
    builtin_names,
    calendar_status,
    fingerprint,
    package_version,
    preview,
    weekday,
    year_ranges,
)
from dutyloop.moments import local_minutes
from dutyloop.web.deps import Viewer, admin_viewer, business_today, catch_up, fresh_views, system_of
from dutyloop.web.errors import FormRefused
from dutyloop.web.i18n import locale_of
from dutyloop.web.pages import nav, notice, redirect, render
from projections import deadline_queries

router = APIRouter(include_in_schema=False)
nav("/calendar/holidays", "节假日安排", "Holidays", 85, lambda viewer: viewer.is_admin)

MAX_SCHEDULE_BYTES = 512 * 1024
YEARS = range(1900, 2201)


@router.get("/calendar/holidays")
def holidays(
    request: Request,
    viewer: Viewer = Depends(admin_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    status = calendar_status(conn, deadline_queries.calendar_known(conn), today, locale_of(request))
    zone = system_of(request).settings.timezone
    history = [{**row, "when": local_minutes(row["recorded_at"], zone)} for row in reversed(status.history)]
    return render(
        request, "calendar_holidays.html", status=status, history=history, ranges=year_ranges,
        package_version=package_version(), next_year=today.year + 1,
    )


def _year(value: str) -> int:
    try:
        year = int(value.strip())
    except ValueError:
        year = 0
    if year not in YEARS:
        raise FormRefused(f"年份无效：{value}（应为 1900–2200）", f"Invalid year: {value} (1900–2200)")
    return year


def _schedule(data: bytes, filename: str, year: int) -> HolidaySchedule:
    try:
        return read_schedule_data(data, filename, year)
    except ScheduleFileError as error:
        raise FormRefused(error.message("zh-CN"), error.message("en")) from None


def _previewed(request: Request, data: bytes, filename: str, year: int) -> tuple[HolidaySchedule, WorkingCalendar, Preview]:
    """The file read and compared with what is known: CPU and database work, so a worker
    thread runs it while the event loop answers everyone else."""
    schedule = _schedule(data, filename, year)
    catch_up(request)
    known = system_of(request).app.calendar()
    with system_of(request).engine.connect() as conn:
        return schedule, known, preview(conn, known, schedule)


@router.post("/calendar/holidays/preview")
async def preview_load(
    request: Request,
    year: str = Form(...),
    source: str = Form(""),
    file: UploadFile = File(...),
    viewer: Viewer = Depends(admin_viewer),
) -> Response:
    """Read the file and show what it would change; nothing is recorded yet."""
    number = _year(year)
    data = await file.read(MAX_SCHEDULE_BYTES + 1)
    filename = file.filename or "schedule.txt"
    if len(data) > MAX_SCHEDULE_BYTES:
        raise FormRefused(f"文件“{filename}”过大（上限 512 KB）", f"File “{filename}” is too large (limit 512 KB)")
    schedule, known, change = await run_in_threadpool(_previewed, request, data, filename, number)
    english = locale_of(request).startswith("en")
    names = dict(schedule.names)
    rows = [
        {"key": key, "sign": sign, "label": en if english else zh,
         "days": [(d, weekday(d, locale_of(request)), names.get(d) or _builtin_name(d, english)) for d in change.diff.get(key, [])]}
        for key, sign, zh, en in DIFF_KEYS
    ]
    return render(
        request, "calendar_preview.html", year=number, filename=filename, source=source, change=change, rows=rows,
        content=base64.b64encode(data).decode("ascii"), fingerprint=fingerprint(known.schedule(number)),
        holidays=len(schedule.holidays), workdays=len(schedule.working_weekends), package_version=package_version(),
    )


def _builtin_name(day: date, english: bool) -> str:
    names = builtin_names().get(day)
    return "" if names is None else names[1 if english else 0]


@router.post("/calendar/holidays/load")
def load(
    request: Request,
    year: str = Form(...),
    filename: str = Form(...),
    content: str = Form(...),
    known: str = Form(...),
    source: str = Form(""),
    replace_known: str = Form(""),
    viewer: Viewer = Depends(admin_viewer),
) -> Response:
    """Load what was previewed, unless that year changed meanwhile (then preview again)."""
    number = _year(year)
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise FormRefused("预览内容已损坏，请重新上传文件", "The previewed content is damaged; upload the file again") from None
    schedule = _schedule(data, filename, number)
    system = system_of(request)
    catch_up(request)
    now_known = fingerprint(system.app.calendar().schedule(number))
    if now_known != known:
        raise ConcurrentEdit("concurrent_edit", what="calendar_year", actual=now_known, expected=known)
    with system.engine.connect() as conn:
        change = preview(conn, system.app.calendar(), schedule)
    if not change.needs_load:
        notice(request, f"与当前已知的 {number} 年安排相同，未记录。", f"Same as the {number} schedule already known; nothing recorded.")
        return redirect("/calendar/holidays")
    if change.replaces is not None and not replace_known:
        raise FormRefused(
            f"{number} 年已有安排：请勾选“确认替换已知的 {number} 年安排”后再导入",
            f"{number} already has a schedule: tick “replace the known {number} schedule” to load this one",
        )
    if not source.strip():
        raise FormRefused("请注明来源（例如通知文号）", "Say where the schedule comes from (e.g. the notice's number)")
    system.app.load_holiday_schedule(viewer.actor, schedule, source)
    catch_up(request)
    notice(request, f"已导入 {number} 年节假日安排（来源：{source.strip()}）。已下达任务的时限不变。",
           f"Loaded the {number} holiday schedule (source: {source.strip()}). Deadlines already issued keep their dates.")
    return redirect("/calendar/holidays")
