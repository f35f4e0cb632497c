"""交接: hand a person's open work to their successor, and see whose work waits for it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import click

from domain.errors import term
from dutyloop.cli.base import CliState, actor, command, done, emit, main
from projections import lookup
from projections.handover import KIND_TERMS, awaiting_handover, open_work

ITEM_COLUMNS = [("kind_label", "类别", "Kind"), ("title", "事项", "Item"), ("org_name", "组织", "Organisation"),
                ("status_label", "状态", "Status"), ("deadline", "时限", "Deadline"), ("short_id", "编号", "Id")]


@command(main, "handover")
@click.argument("from_person")
@click.argument("to_person", required=False)
@click.option("--reason", default="", help="Why, e.g. 换届, 调离 or 离职 (required to record).")
@click.option("--dry-run", is_flag=True, help="Only list what would be handed over.")
def handover(state: CliState, from_person: str, to_person: str | None, reason: str, dry_run: bool) -> None:
    """交接: list FROM's open tasks, rectifications, followed tasks and the reviews FROM owes (tasks to
    accept, rectifications to verify); with TO, hand them over — one event per item with the
    reason. Warnings and reminders go to TO from then on, and TO accepts and verifies instead."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        from_id = lookup.resolve_person(conn, from_person)
        to_id = lookup.resolve_person(conn, to_person) if to_person else None
        work, rows = open_work(conn, from_id)
    shown = [_item(state, row) for row in rows]
    title = state.zh("待交接的工作", "Open work to hand over")
    if to_id is None or dry_run:
        emit(state, shown, ITEM_COLUMNS, title=title)
        return
    if not state.as_json:
        emit(state, shown, ITEM_COLUMNS, title=title)
    moved = system.app.hand_over(who, UUID(from_id), UUID(to_id), reason, work, record=True)
    system.catch_up()
    done(state, "已交接 {count} 项工作给 {to}", "Handed {count} items over to {to}", count=len(moved), to=to_person,
         items=[{"kind": m.kind, "id": m.item_id, "title": m.title} for m in moved])


@command(main, "awaiting-handover")
def awaiting(state: CliState) -> None:
    """待交接: people who left or moved away and still hold open work."""
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        rows = awaiting_handover(conn)
    emit(state, rows, [("staff_no", "工号", "Staff no"), ("name", "姓名", "Name"), ("org_name", "现所属组织", "Now in"),
                       ("left_on", "离职日期", "Left on"), ("open_items", "未交接事项", "Open items")])


def _item(state: CliState, row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "kind_label": term(KIND_TERMS[row["kind"]], state.locale), "status_label": term(row["status"], state.locale),
            "short_id": row["id"][:8]}
