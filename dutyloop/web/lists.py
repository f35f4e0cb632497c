"""What every list page shares: the sorting and the page it takes from its address, the address of
the same list with a parameter changed (another page, another sort), the filters a board or home
count opens it with, and the .xlsx or CSV of exactly what its filters select. The task list and
the lists of findings, interviews, rectifications and meetings are served by these."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Connection, select
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from domain.errors import DomainError
from dutyloop.web.deps import Viewer
from dutyloop.web.forms import parse_page
from dutyloop.web.i18n import Words
from dutyloop.web.routes.board import board_rows
from projections.export import Column, Sheet, write
from projections.listing import PAGE_SIZES, Paging
from projections.tables import organisations

MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}
CARRIED = ("board", "kind", "name", "behind", "mine")
"""What a board or home count opens a list with, kept by the list's own form."""


def choice(values: Sequence[str], allowed: Sequence[str], field: str) -> tuple[str, ...]:
    """The values picked (blank ones dropped); one not allowed is refused by name."""
    chosen = tuple(v for v in values if v)
    wrong = [v for v in chosen if v not in allowed]
    if wrong:
        raise DomainError("invalid_value", field=field, value=wrong[0], allowed=list(allowed))
    return chosen


def paging_of(request: Request, sorts: Mapping[str, Any], default: str, descending: bool = False) -> Paging:
    q = request.query_params
    sort = q.get("sort", default)
    if sort not in sorts:
        raise DomainError("invalid_value", field="sort", value=sort, allowed=list(sorts))
    per_page = q.get("per_page", "50")
    if per_page not in {str(n) for n in PAGE_SIZES}:
        raise DomainError("invalid_value", field="per_page", value=per_page, allowed=[str(n) for n in PAGE_SIZES])
    order = q.get("order")
    return Paging(sort, descending if order is None else order == "desc", parse_page(q.get("page", "1")), int(per_page))


def among_of(request: Request, conn: Connection, today: date) -> tuple[str, ...] | None:
    """The branches a board shows, when the list was opened from the board's total: the list then
    holds exactly what the board counted."""
    q = request.query_params
    if not q.get("board"):
        return None
    return tuple(r["org_id"] for r in board_rows(conn, today, q.get("kind", ""), q.get("name", ""), q.get("behind", "")))


def work_of(request: Request, viewer: Viewer) -> tuple[tuple[str, ...], str] | None:
    """Home's ``mine``: the person's branches, and what names them."""
    if not request.query_params.get("mine"):
        return None
    return tuple(org.hex for org in viewer.branch_org_ids), viewer.hex


def organisation_choices(conn: Connection) -> list[Any]:
    """Every organisation by name, for a list's organisation filter."""
    return list(conn.execute(select(organisations.c.org_id, organisations.c.name).order_by(organisations.c.name)).mappings())


def linker(request: Request) -> Callable[..., str]:
    """This list's address with some parameters changed (sorting, another page)."""

    def link(**changes: str | int) -> str:
        params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
        params += [(k, str(v)) for k, v in changes.items()]
        return "?" + urlencode(params)

    return link


def export(request: Request, fmt: str, words: Words, title: tuple[str, str], columns: Sequence[Column],
           rows: Sequence[Mapping[str, Any]], today: date, filename: tuple[str, str]) -> Response:
    """Every row the filters select, in the page's order (a 台账 holds them all, not one page)."""
    if fmt not in MEDIA:
        raise DomainError("invalid_value", field="format", value=fmt, allowed=list(MEDIA))
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False) as handle:
        path = Path(handle.name)
    write(path, [Sheet(title[0], title[1], columns, rows)], fmt, words.locale, words(f"{title[0]}（{today}）", f"{title[1]} ({today})"))
    return FileResponse(
        path, filename=words(f"{filename[0]}-{today}.{fmt}", f"{filename[1]}-{today}.{fmt}"), media_type=MEDIA[fmt],
        background=BackgroundTask(path.unlink, missing_ok=True),
    )
