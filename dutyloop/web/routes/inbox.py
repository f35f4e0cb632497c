"""收件箱 The in-app inbox: the messages the notifier wrote for this person (task lists issued,
reminders, returns, interviews…), read or unread, each linking to what it is about."""

from __future__ import annotations


from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from dutyloop.web.deps import Viewer, current_viewer, fresh_views, system_of
from dutyloop.web.errors import FormRefused
from dutyloop.web.forms import parse_page
from dutyloop.web.lists import linker
from dutyloop.web.pages import nav, notice, redirect, render
from notifications import inbox as inbox_queries
from notifications.links import page_path
from projections.listing import Page, Paging

router = APIRouter(include_in_schema=False)
nav("/inbox", "收件箱", "Inbox", 15)

def target_link(message: dict) -> str | None:  # type: ignore[type-arg]
    return page_path(message.get("target_kind"), message.get("target_id"))


PER_PAGE = 50


@router.get("/inbox")
def inbox(request: Request, unread: str = "", page: str = "1", viewer: Viewer = Depends(current_viewer),
          conn: Connection = Depends(fresh_views)) -> Response:
    """A page of messages at a time, newest first, and how many there are."""
    paging = Paging("newest", page=parse_page(page), per_page=PER_PAGE)
    rows = inbox_queries.inbox(conn, viewer.hex, unread_only=bool(unread), limit=PER_PAGE, offset=(paging.page - 1) * PER_PAGE)
    for message in rows:
        message["link"] = target_link(message)
    shown = Page(rows, inbox_queries.message_count(conn, viewer.hex, unread_only=bool(unread)), paging)
    return render(request, "inbox.html", messages=rows, unread=unread, shown=shown, link=linker(request))


@router.post("/inbox/{message_id}/read")
def mark_read(request: Request, message_id: str, viewer: Viewer = Depends(current_viewer)) -> Response:
    try:
        found = inbox_queries.mark_read(system_of(request).engine, viewer.hex, message_id, system_of(request).clock.now())
    except inbox_queries.NoSuchMessage as missing:
        raise FormRefused(missing.message("zh-CN"), missing.message("en")) from None
    link = target_link(found)
    return redirect(link or "/inbox")


@router.post("/inbox/read-all")
def mark_all_read(request: Request, viewer: Viewer = Depends(current_viewer)) -> Response:
    count = inbox_queries.mark_all_read(system_of(request).engine, viewer.hex, system_of(request).clock.now())
    notice(request, f"已将 {count} 条消息标为已读", f"{count} messages marked read")
    return redirect("/inbox")
