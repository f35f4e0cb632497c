"""日历订阅 The personal calendar feed: an ICS address with a secret token that a calendar app
(Outlook, Apple or Google Calendar, 钉钉/企业微信 calendars) polls, listing the person's deadlines
and their organisations' meetings; and the page where the person makes, copies or revokes it.

The address is the only credential a calendar app can send, so it is shown once, when made, and
kept only as a hash; a new address replaces the old one, and a revoked one answers 404 (as an
address that never existed, so a stranger learns nothing from trying)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from domain.errors import DomainError
from dutyloop.web.api_support import tokens_of
from dutyloop.web.deps import Viewer, accounts_of, catch_up, current_viewer, system_of
from dutyloop.web.i18n import Words
from dutyloop.web.ics import feed
from dutyloop.web.pages import HERE, nav, notice, redirect, render
from dutyloop.web.tokens import PREFIX, Purpose

router = APIRouter(include_in_schema=False)
nav("/calendar/feed", "日历订阅", "Calendar feed", 70)

SESSION_KEY = "new_feed_url"


def feed_url(request: Request, secret: str) -> str:
    return str(request.url_for("calendar_feed", token=secret))


@router.get("/calendar/feed")
def feed_page(request: Request, viewer: Viewer = Depends(current_viewer)) -> Response:
    feeds = tokens_of(request).listing(viewer.hex, Purpose.CALENDAR)
    new_url = request.session.pop(SESSION_KEY, None)
    return render(request, "calendar_feed.html", feeds=feeds, new_url=new_url)


@router.post("/calendar/feed/new")
def new_feed(request: Request, viewer: Viewer = Depends(current_viewer)) -> Response:
    """A new address; any older one stops working (one feed per person keeps it simple to reason
    about who can still read it)."""
    store = tokens_of(request)
    store.revoke_all(viewer.hex, Purpose.CALENDAR)
    issued = store.issue(viewer.hex, Purpose.CALENDAR, "calendar feed", viewer.hex)
    request.session[SESSION_KEY] = feed_url(request, issued.secret)
    notice(request, "已生成新的订阅地址；旧地址已失效", "A new feed address was made; any older one no longer works")
    return redirect("/calendar/feed")


@router.post("/calendar/feed/revoke")
def revoke_feed(request: Request, viewer: Viewer = Depends(current_viewer)) -> Response:
    count = tokens_of(request).revoke_all(viewer.hex, Purpose.CALENDAR)
    if count:
        notice(request, "订阅地址已撤销，日历应用将无法再读取", "The feed address is revoked; calendar apps can no longer read it")
    else:
        notice(request, "没有可撤销的订阅地址", "There was no feed address to revoke", "error")
    return redirect("/calendar/feed")


@router.get("/calendar/feed.js")
def feed_script() -> Response:
    return FileResponse(HERE / "feed.js", media_type="text/javascript")


@router.api_route("/calendar/ics/{token}.ics", methods=["GET", "HEAD"], name="calendar_feed")
def calendar_feed(request: Request, token: str, lang: str = "zh-CN") -> Response:
    """The feed itself: no session (a calendar app has none), only the token in the address.
    HEAD too: calendar apps and link checkers ask it before fetching."""
    missing = PlainTextResponse("Not Found", status_code=404)
    if not token.startswith(PREFIX[Purpose.CALENDAR]):
        return missing
    person_hex = tokens_of(request).person_of(token, Purpose.CALENDAR)
    if person_hex is None or accounts_of(request).current(person_hex) is None:
        return missing
    system = system_of(request)
    try:
        person = system.app.person(UUID(person_hex))
    except DomainError:
        return missing
    catch_up(request)
    with system.engine.connect() as conn:
        body = feed(conn, person, str(request.base_url), Words(lang), system.clock.now())
    return Response(body, media_type="text/calendar; charset=utf-8", headers={
        "Cache-Control": "private, max-age=300",
        "Content-Disposition": 'inline; filename="dutyloop.ics"',
    })
