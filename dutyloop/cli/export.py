"""``dutyloop export``: the board, the warnings, the trail, a chain or the task list as a 台账 file
(Excel or CSV, headers in the user's language), answered from the views — live, or as of a past
moment — exactly as the matching query command shows them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Connection

from dutyloop.cli.base import CliState, command, done, main
from dutyloop.cli.queries import _live_entity, as_of_option, reading
from dutyloop.reports import sheets as ledger
from dutyloop.reports.headings import heading
from projections import lookup
from projections.export import FORMATS, Sheet, format_for, write
from projections.sentences import Names

WHAT = ("board", "warnings", "trail", "chain", "tasks")

@command(main, "export")
@click.argument("what", type=click.Choice(WHAT))
@click.argument("entity", required=False)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="The file to write (.xlsx or .csv).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="xlsx or csv (default: from the file name).")
@click.option("--org", help="Only this organisation (warnings, trail, tasks; the board: this branch).")
@click.option("--limit", type=click.IntRange(0, 10_000_000), default=0, help="At most this many rows (trail, tasks); 0: all.")
@click.option("--locale", "locale", type=click.Choice(["zh-CN", "en"]), help="Language of the headers and labels.")
@as_of_option
def export_command(
    state: CliState, what: str, entity: str | None, out: Path, fmt: str | None, org: str | None, limit: int,
    locale: str | None, as_of: str | None, today_text: str | None,
) -> None:
    """Export the board, warnings, trail, a chain (chain ID) or the task list as a 台账 file.

    \b
    dutyloop export board --out 支部看板.xlsx
    dutyloop export warnings --out 预警.csv --today 2026-06-30
    dutyloop export chain 3f2a9c --out 整改链条.xlsx --as-of 2026-05-31
    """
    if locale:
        state.settings = replace(state.settings, locale=locale)
    if what == "chain" and not entity:
        raise click.UsageError(state.zh("请给出整改、问题、约谈或任务的编号：dutyloop export chain 编号 --out 文件",
                                        "Name the chain: dutyloop export chain ID --out FILE"))
    if what != "chain" and entity:
        raise click.UsageError(state.zh(f"export {what} 不需要编号：{entity}", f"export {what} takes no id: {entity}"))
    chosen = format_for(out, fmt)
    key = _live_entity(state, entity)[0] if entity else ""
    with reading(state, as_of, today_text) as (conn, day):
        org_id = lookup.resolve_org(conn, org) if org else None
        sheets, title = _sheets(state, conn, what, key, org_id, limit or ledger.ALL, day)
        org_name = Names(conn).org(org_id) if org_id else ""
    system = state.open()
    rows = write(out, sheets, chosen, state.locale, title,
                 heading(system, title, org_name, as_of or day.isoformat(), state.settings.user, state.locale))
    done(state, "已导出 {rows} 行到 {path}", "Exported {rows} rows to {path}", rows=rows, path=str(out), format=chosen,
         what=what)


def _sheets(
    state: CliState, conn: Connection, what: str, entity_id: str, org_id: str | None, limit: int, day: Any
) -> tuple[list[Sheet], str]:
    locale, timezone = state.locale, state.settings.timezone
    if what == "board":
        return ledger.board(conn, day, org_id, locale)
    if what == "warnings":
        return ledger.warnings(conn, day, org_id, locale)
    if what == "tasks":
        return ledger.task_list(conn, org_id, limit, locale)
    if what == "trail":
        return ledger.trail(conn, org_id, limit, locale, timezone)
    return ledger.chain(conn, entity_id, day, locale, timezone)
