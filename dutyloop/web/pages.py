"""Rendering a page: the templates shipped in the package, the reader's language, the viewer,
the CSRF field, one-time notices ("已签收"), and the navigation each route module adds to."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from dutyloop.moments import local_minutes
from dutyloop.web import csrf
from dutyloop.web.deps import Viewer, viewer_from_session
from dutyloop.web.i18n import Words, locale_of
from notifications.inbox import unread_count

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


def day(value: Any) -> Markup | str:
    """A date in running text or a narrow column, kept on one line (never "2026-/06-23")."""
    return Markup('<time datetime="{0}">{0}</time>').format(value) if value else ""


DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def dates_kept(text: Any) -> Markup:
    """Free text (a note naming the day of a meeting) with each date in it kept on one line."""
    return Markup(DATE.sub(lambda found: str(day(found.group(0))), str(escape(text or ""))))


def options(rows: Iterable[Mapping[str, Any]], value: str, label: str, selected: object = None) -> Markup:
    """The ``<option>``s of a long list (every meeting, every organisation) in one pass: as a
    template loop, a thousand meetings cost the task list more than its own query."""
    return Markup("".join(
        f'<option value="{escape(row[value])}"{" selected" if row[value] == selected else ""}>{escape(row[label])}</option>'
        for row in rows
    ))


templates.env.filters["day"] = day
templates.env.filters["options"] = options
templates.env.filters["dates_kept"] = dates_kept


@dataclass(frozen=True)
class NavItem:
    path: str
    zh: str
    en: str
    order: int
    visible: Callable[[Viewer], bool]


NAV: list[NavItem] = []


def nav(path: str, zh: str, en: str, order: int, visible: Callable[[Viewer], bool] = lambda v: True) -> None:
    """Add a link to the top navigation (a route module calls this once, when imported), shown
    only to viewers for whom ``visible`` is true."""
    if all(item.path != path for item in NAV):
        NAV.append(NavItem(path, zh, en, order, visible))
        NAV.sort(key=lambda item: item.order)


def notice(request: Request, zh: str, en: str, kind: str = "ok") -> None:
    """A message shown once, on the next page (after the redirect that follows a command)."""
    request.session["notices"] = [*request.session.get("notices", []), [kind, zh, en]]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    words = Words(locale_of(request))
    viewer = getattr(request.state, "viewer", None) or viewer_from_session(request)
    notices = request.session.pop("notices", []) if "notices" in request.session else []

    def csrf_field() -> Markup:
        return Markup('<input type="hidden" name="{}" value="{}">').format(csrf.FIELD, escape(csrf.token(request)))

    unread = _unread(request, viewer) if viewer is not None else 0
    base = {
        "unread_total": unread,
        "L": words,
        "local": lambda moment: local_minutes(moment, request.app.state.system.settings.timezone),
        "locale": words.locale,
        "viewer": viewer,
        "csrf_field": csrf_field,
        "nav_items": [item for item in NAV if viewer is not None and item.visible(viewer)],
        "notices": [(kind, words(zh, en)) for kind, zh, en in notices],
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    }
    return templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)


def _unread(request: Request, viewer: Viewer) -> int:
    """Unread inbox messages, shown beside 收件箱 on every page."""
    with request.app.state.system.engine.connect() as conn:
        return unread_count(conn, viewer.hex)


def redirect(path: str) -> RedirectResponse:
    """After a command: show the result with a GET, so a reload never repeats the command."""
    return RedirectResponse(path, status_code=303)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only paths on this site, never an address elsewhere (``//host``, ``https://…``, or ``/\t/host``,
    which a browser reads as ``//host`` once it drops the tab)."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and target.isprintable() and not any(c.isspace() for c in target)):
        return target
    return default


def login_path(request: Request) -> str:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return login_path_for(here)


def login_path_for(path: str) -> str:
    return "/login?next=" + quote(safe_next(path), safe="")
