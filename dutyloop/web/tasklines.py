"""A task list as people fill it in: rows of a form, or an .xlsx file made from our template.
Each row is 任务 / 责任组织 / 责任人 / 完成时限 / 要求; a blank 责任人 means the organisation's
branch secretary. Rows become the same ``TaskSpec`` the CLI builds."""

from __future__ import annotations

import io
from collections.abc import Sequence
from uuid import UUID

from openpyxl import Workbook
from sqlalchemy import Connection, select

from domain.commands.task_lists import TaskSpec
from domain.errors import DomainError
from dutyloop.cli.parsing import TASK_COLUMNS, TASK_HEADERS_ZH, parse_deadline
from dutyloop.sheet_files import SheetRefused, xlsx_rows
from dutyloop.web.errors import FormRefused
from projections import lookup
from projections.tables import role_assignments

ENGLISH_HEADERS = ("Task", "Organisation", "Owner", "Deadline", "Requirements")
MAX_ROWS = 500
MAX_SHEET_ROWS = 1000
"""Rows read of an uploaded sheet, blank ones counted: room for 500 tasks with gaps between."""
MAX_COLUMNS = 20


def form_lines(titles: Sequence[str], orgs: Sequence[str], owners: Sequence[str], deadlines: Sequence[str],
               requirements: Sequence[str]) -> list[dict[str, str]]:
    rows = []
    for number, cells in enumerate(zip(titles, orgs, owners, deadlines, requirements, strict=False), start=1):
        line = dict(zip(TASK_COLUMNS, (c.strip() for c in cells), strict=True))
        if not line["title"] and not line["deadline"] and not line["owner"] and not line["requirements"]:
            continue
        line["row"] = str(number)
        rows.append(line)
    return rows


def xlsx_lines(content: bytes, filename: str) -> list[dict[str, str]]:
    try:
        sheet = xlsx_rows(content, MAX_SHEET_ROWS, MAX_COLUMNS)
    except SheetRefused as error:
        raise FormRefused(f"“{filename}”{error.zh}", f"“{filename}”: {error.en}") from None
    rows = iter(enumerate(sheet, start=1))
    header = [str(h or "").strip() for h in next(rows, (0, ()))[1]]
    columns = {}
    for key, zh, en in zip(TASK_COLUMNS, TASK_HEADERS_ZH, ENGLISH_HEADERS, strict=True):
        for index, name in enumerate(header):
            if name in (zh, en, key):
                columns[key] = index
        if key not in columns and key != "requirements":
            raise FormRefused(f"“{filename}”缺少“{zh}”列（请使用下载的模板）", f"“{filename}” has no “{en}” column (use the template)")
    lines = []
    for number, values in rows:
        line = {key: _text(values[index] if index < len(values) else None) for key, index in columns.items()}
        line.setdefault("requirements", "")
        if not any(line.values()):
            continue
        line["row"] = f"{filename}:{number}"
        lines.append(line)
        if len(lines) > MAX_ROWS:
            raise FormRefused(f"一次最多导入 {MAX_ROWS} 项任务", f"At most {MAX_ROWS} tasks at a time")
    return lines


def _text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "hour") else value.isoformat()  # type: ignore[union-attr]
    return str(value).strip()


def specs(conn: Connection, lines: list[dict[str, str]]) -> list[TaskSpec]:
    """Each row checked and resolved; a problem names its row."""
    if not lines:
        raise DomainError("empty_task_list")
    result = []
    for line in lines:
        try:
            for key in ("title", "org", "deadline"):
                if not line.get(key):
                    raise DomainError("required", field={"title": "任务/title", "org": "责任组织/organisation", "deadline": "完成时限/deadline"}[key])
            org_id = lookup.resolve_org(conn, line["org"])
            owner = lookup.resolve_person(conn, line["owner"]) if line["owner"] else secretary_of(conn, org_id, line["org"])
            result.append(TaskSpec(
                title=line["title"], org_id=UUID(org_id), owner_id=UUID(owner),
                deadline=parse_deadline(line["deadline"]), requirements=line.get("requirements", ""),
            ))
        except DomainError as error:
            raise FormRefused(
                f"第 {line['row']} 行：{error.message('zh-CN')}", f"Row {line['row']}: {error.message('en')}"
            ) from None
    return result


def secretary_of(conn: Connection, org_id: str, org_name: str) -> str:
    """The branch secretary of an organisation: the owner when a form leaves it blank."""
    row = conn.execute(
        select(role_assignments.c.person_id).where(
            role_assignments.c.org_id == org_id, role_assignments.c.role == "branch_secretary"
        )
    ).first()
    if row is None:
        raise DomainError("required", field=f"责任人/owner ({org_name})")
    return str(row[0])


def template(english: bool) -> bytes:
    """The .xlsx template people fill in: the header row and one example."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Tasks" if english else "任务清单"
    sheet.append(list(ENGLISH_HEADERS if english else TASK_HEADERS_ZH))
    sheet.append(["开展主题党日活动", "办公室党支部", "", "10个工作日", "报送活动方案、签到表和照片"])
    for column, width in zip("ABCDE", (28, 24, 14, 14, 40), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
