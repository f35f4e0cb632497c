"""``dutyloop search WORDS``: the texts of the loop holding every word, newest first, with the hits
marked 【thus】 — the same search view and question as the web's 搜索 page."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

import click
from sqlalchemy import Connection

from domain.errors import term
from dutyloop.cli.base import CliState, actor, command, emit, main
from dutyloop.cli.queries import reading
from projections.search_queries import bracketed, search

if TYPE_CHECKING:
    from dutyloop.wiring import System
from projections.task_finder import Seeing, seeing

COLUMNS = [("kind_label", "类别", "Kind"), ("title", "事项", "Item"), ("field_label", "位置", "Where"),
           ("text", "内容", "Text"), ("entity_id", "编号", "Id")]
FIELDS = {
    "title": ("标题", "title"), "requirements": ("要求", "requirements"), "evidence": ("佐证材料", "evidence"),
    "minutes": ("记录", "minutes"), "decisions": ("决议", "decisions"), "description": ("问题", "finding"),
    "reason": ("事由", "reason"), "requirement": ("整改要求", "requirement"), "plan": ("整改方案", "plan"),
    "report": ("完成情况", "report"),
}


def _seeing(state: CliState, system: System, conn: Connection) -> Seeing:
    if not state.settings.user:
        return Seeing(person_id="")
    who = actor(state, system)
    authority = system.app.authority(UUID(str(who)))
    return seeing(conn, UUID(str(who)).hex, authority.is_admin, authority.may_read)


def field_label(field: str, locale: str) -> str:
    zh, en = FIELDS[field]
    return en if locale.startswith("en") else zh


@command(main, "search")
@click.argument("words", nargs=-1, required=True)
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1))
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="Results per page.")
def search_command(state: CliState, words: tuple[str, ...], page: int, limit: int) -> None:
    """Full-text search: dutyloop search 整改 台账

    With --as, only what that person may see on the web; without it, everything (whoever runs the
    command line can read the database itself)."""
    with reading(state, None, None) as (conn, _):
        found = search(conn, " ".join(words), _seeing(state, state.open(), conn), page=page, per_page=limit)
    rows = [
        {
            "kind_label": term(r["entity_kind"], state.locale), "title": r["title"],
            "field_label": field_label(r["field"], state.locale), "entity_id": r["entity_id"],
            "text": bracketed(r["snippet"]),
        }
        for r in found.rows
    ]
    if state.as_json:
        emit(state, {"total": found.total, "page": page, "results": rows})
        return
    emit(state, rows, COLUMNS, title=state.zh(f"共 {found.total} 条（第 {page} 页）", f"{found.total} found (page {page})"))
