"""``dutyloop export``: the board, the warnings, the trail, a chain or the task list as a 台账 file
(Excel or CSV, headers in the user's language), answered from the views — live, or as of a past
moment — exactly as the matching query command shows them."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Connection

from domain.errors import DomainError, term
from domain.vocabulary import label
from dutyloop.cli.base import CliState, command, done, main
from dutyloop.cli.queries import _labels, as_of_option, reading, timeline_rows
from projections import chain_queries, deadline_queries, directory_queries, lookup, task_queries
from projections.export import FORMATS, Column, Sheet, format_for, write

WHAT = ("board", "warnings", "trail", "chain", "tasks")
ALL = 1_000_000_000
"""No limit: a 台账 holds every row."""

BOARD_COLUMNS: list[Column] = [
    ("name", "支部", "Branch"), ("kind_label", "类型", "Kind"), ("tasks_open", "在办", "Open"),
    ("tasks_overdue", "逾期", "Overdue"), ("done_on_time", "按时完成", "On time"), ("done_late", "逾期完成", "Late"),
    ("awaiting_acceptance", "待验收", "Awaiting"), ("rectifications_open", "整改未销号", "Rect. open"),
    ("rectifications_overdue", "整改逾期", "Rect. overdue"), ("rectifications_closed", "已销号", "Closed"),
    ("last_meeting", "最近会议", "Last meeting"),
]
WARNING_COLUMNS: list[Column] = [
    ("level_label", "预警", "Warning"), ("kind_label", "类别", "Kind"), ("id", "编号", "Id"), ("title", "事项", "Item"),
    ("org_name", "组织", "Organisation"), ("owner_name", "责任人", "Owner"), ("deadline", "时限", "Deadline"),
    ("original_deadline", "原时限", "Original deadline"), ("days_left", "剩余时间", "Time left"),
    ("status_label", "状态", "Status"),
]
TASK_COLUMNS: list[Column] = [
    ("task_id", "编号", "Id"), ("title", "任务", "Task"), ("requirements", "要求", "Requirements"),
    ("org_name", "责任组织", "Organisation"), ("owner_name", "责任人", "Owner"), ("issued_on", "下达日期", "Issued"),
    ("deadline", "完成时限", "Deadline"), ("original_deadline", "原时限", "Original deadline"),
    ("status_label", "状态", "Status"), ("reported_done_on", "报完成日期", "Reported done"),
    ("accepted_on", "验收日期", "Accepted"), ("return_count", "退回次数", "Returns"),
    ("pending_extension", "申请延期至", "Extension asked"), ("meeting_title", "来源会议", "Meeting"),
]
TRAIL_COLUMNS: list[Column] = [
    ("notification_id", "序号", "No."), ("when", "记录时间", "Recorded"), ("business_date", "业务日期", "Date"),
    ("back_entry", "补录", "Back-entry"), ("actor_name", "操作人", "Actor"), ("roles", "角色", "Roles"), ("what", "事项", "Event"),
    ("entity_label", "对象类别", "Object"), ("entity_id", "对象编号", "Object id"), ("org_name", "组织", "Organisation"),
    ("details", "详情", "Details"),
]
FINDING_COLUMNS: list[Column] = [
    ("finding_id", "编号", "Id"), ("raised_on", "日期", "Date"), ("kind_label", "检查", "Inspection"),
    ("subject", "检查内容", "Subject"), ("description", "问题", "Finding"),
]
INTERVIEW_COLUMNS: list[Column] = [
    ("interview_id", "编号", "Id"), ("planned_on", "计划日期", "Planned"), ("held_on", "约谈日期", "Held"),
    ("reason", "事由", "Reason"), ("status_label", "状态", "Status"), ("rectification_deadline", "整改时限", "Rectify by"),
]
RECTIFICATION_COLUMNS: list[Column] = [
    ("rectification_id", "编号", "Id"), ("requirement", "整改要求", "Requirement"), ("org_name", "组织", "Organisation"),
    ("owner_name", "责任人", "Owner"), ("opened_on", "启动日期", "Opened"), ("deadline", "时限", "Deadline"),
    ("status_label", "状态", "Status"), ("completion_reported_on", "报完成日期", "Completion reported"),
    ("verified_on", "验收日期", "Verified"), ("closed_on", "销号日期", "Closed"), ("return_count", "退回次数", "Returns"),
]


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
    with reading(state, as_of, today_text) as (conn, day):
        org_id = lookup.resolve_org(conn, org) if org else None
        sheets, title = _sheets(state, conn, what, entity, org_id, limit or ALL, day)
    rows = write(out, sheets, chosen, state.locale, title)
    done(state, "已导出 {rows} 行到 {path}", "Exported {rows} rows to {path}", rows=rows, path=str(out), format=chosen,
         what=what)


def _sheets(
    state: CliState, conn: Connection, what: str, entity: str | None, org_id: str | None, limit: int, day: Any
) -> tuple[list[Sheet], str]:
    locale = state.locale
    if what == "board":
        rows = [r for r in task_queries.branch_summary(conn, day) if org_id is None or r["org_id"] == org_id]
        for row in rows:
            row["kind_label"] = label(row["kind"], locale)
        return [Sheet("支部看板", "Branch board", BOARD_COLUMNS, rows)], state.zh(f"支部看板（{day}）", f"Branch board ({day})")
    if what == "warnings":
        rows = _labels(state, deadline_queries.warnings(conn, day, org_id=org_id))
        return [Sheet("时限预警", "Deadline warnings", WARNING_COLUMNS, rows)], state.zh(f"{day} 时限预警", f"Deadline warnings on {day}")
    if what == "tasks":
        rows = _labels(state, task_queries.task_list(conn, org_id=org_id, limit=limit))
        return [Sheet("任务清单", "Task list", TASK_COLUMNS, rows)], state.zh("任务清单", "Task list")
    if what == "trail":
        rows = list(reversed(chain_queries.trail_rows(conn, org_id=org_id, limit=limit)))
        return [Sheet("履责记录", "Trail", TRAIL_COLUMNS, _trail(state, conn, rows))], state.zh("履责记录（谁做了什么）", "Who did what")
    key = _chain_key(conn, entity or "")
    story = chain_queries.chain(conn, key)
    for finding in story["findings"]:
        finding["kind_label"] = label(finding["inspection_kind"], locale)
    for item in (*story["interviews"], *story["rectifications"]):
        item["status_label"] = term(item["status"], locale)
    sheets = [
        Sheet("全过程", "Timeline", TRAIL_COLUMNS, _trail(state, conn, story["timeline"])),
        Sheet("整改", "Rectifications", RECTIFICATION_COLUMNS, story["rectifications"]),
        Sheet("问题", "Findings", FINDING_COLUMNS, story["findings"]),
        Sheet("约谈", "Interviews", INTERVIEW_COLUMNS, story["interviews"]),
    ]
    return sheets, state.zh(f"整改链条 {key[:8]}", f"Rectification chain {key[:8]}")


def _trail(state: CliState, conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = {o["org_id"]: o["name"] for o in directory_queries.organisation_list(conn)}
    for row in timeline_rows(state, rows):
        row["org_name"] = names.get(row["org_id"], "")
        row["entity_label"] = term(_snake(row["entity_kind"]), state.locale)
    return rows


def _chain_key(conn: Connection, entity: str) -> str:
    """A chain named by a rectification, finding, interview or task id, or its first 6+ digits."""
    key = entity.replace("-", "").lower()
    if len(key) == 32:
        return key
    for kind in ("rectification", "finding", "interview", "task"):
        try:
            return lookup.resolve_entity(conn, kind, entity)
        except DomainError:
            continue
    return key


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
