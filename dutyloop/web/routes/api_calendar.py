"""JSON API, the working-day calendar (administrators): what is known, what a schedule file would
change, and loading it — the same parser, difference and domain command as
``dutyloop calendar status/load`` and the holidays page."""

from __future__ import annotations

import base64
import binascii

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request

from domain.calendar import HolidaySchedule
from domain.clock import today as clock_today
from dutyloop.calendar_files import ScheduleFileError, read_schedule_data
from dutyloop.calendar_status import Preview, calendar_status, preview
from dutyloop.web import api_models as m
from dutyloop.web.api_support import ERROR_RESPONSES, Caller, JsonRoute, Refused, api_locale, run_command
from dutyloop.web.deps import Viewer, catch_up, fresh_views, system_of
from projections import deadline_queries

router = APIRouter(prefix="/api/v1/calendar", tags=["calendar"], route_class=JsonRoute, responses=ERROR_RESPONSES)


def _admin(viewer: Viewer) -> None:
    if not viewer.is_admin:
        raise viewer.refuse("load_calendar", "reason_admin_only")


@router.get("/status", response_model=m.CalendarState, summary="Years known, built in or loaded, and the November warning")
def status(request: Request, viewer: Viewer = Caller, conn: Connection = Depends(fresh_views)) -> m.CalendarState:
    _admin(viewer)
    state = calendar_status(conn, deadline_queries.calendar_known(conn), clock_today(system_of(request).clock), api_locale(request))
    return m.CalendarState(
        today=state.today, known_years=state.known_years, builtin_years=state.builtin_years,
        loaded_years=state.loaded_years, loads=[m.CalendarLoadRow(**row) for row in state.history], warning=state.warning,
    )


def _read(body: m.ScheduleFile) -> HolidaySchedule:
    try:
        data = base64.b64decode(body.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise Refused(422, "invalid_input", "content_base64不是有效的 base64 内容", "content_base64 is not valid base64",
                      ["content_base64"]) from None
    try:
        return read_schedule_data(data, body.filename, body.year)
    except ScheduleFileError as error:
        raise Refused(422, "invalid_schedule", error.message("zh-CN"), error.message("en"), ["content_base64"]) from None


def _preview(request: Request, schedule: HolidaySchedule) -> Preview:
    catch_up(request)
    system = system_of(request)
    with system.engine.connect() as conn:
        return preview(conn, system.app.calendar(), schedule)


def _shown(change: Preview, recorded: bool) -> m.SchedulePreview:
    return m.SchedulePreview(year=change.year, replaces=change.replaces, changed=change.changed, diff=change.diff, recorded=recorded)


@router.post("/preview", response_model=m.SchedulePreview, summary="What loading a schedule file would change (records nothing)")
def preview_load(request: Request, body: m.ScheduleFile, viewer: Viewer = Caller) -> m.SchedulePreview:
    _admin(viewer)
    return _shown(_preview(request, _read(body)), recorded=False)


@router.post("/load", response_model=m.SchedulePreview, summary="导入节假日安排 Load a year's official schedule")
def load(request: Request, body: m.ScheduleLoad, viewer: Viewer = Caller) -> m.SchedulePreview:
    _admin(viewer)
    schedule = _read(body)
    change = _preview(request, schedule)
    if not change.needs_load:
        return _shown(change, recorded=False)
    if change.replaces is not None and not body.replace_known:
        raise Refused(
            409, "replaces_known",
            f"{body.year} 年已有安排：确认替换时请设 replace_known 为 true", f"{body.year} already has a schedule: set replace_known to true to change it",
            ["replace_known"],
        )
    app = system_of(request).app
    run_command(request, body, None, lambda: app.load_holiday_schedule(viewer.actor, schedule, body.source))
    return _shown(change, recorded=True)
