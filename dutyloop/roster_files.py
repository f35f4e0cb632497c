"""The roster as a file: the .xlsx template with one sheet each for organisations, people and
roles (Chinese headers), and reading it back — or a .csv holding one of those sheets, told apart
by its header — into the domain's rows (domain/roster.py)."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from domain.errors import DomainError
from domain.roster import COLUMNS, REQUIRED_COLUMNS, SHEETS, OrgRow, PersonRow, RoleRow, Roster
from domain.vocabulary import LABELS, OrgKind, Role

FIELD_SEPARATORS = re.compile(r"[、,，;；\n]+")
GUIDE = (
    "组织表：每行一个组织。公司党委已在系统中，其余组织写明上级组织；类型为 党支部 或 临时党支部。",
    "组织更名：在“原名称”列写旧名称、“组织名称”列写新名称。",
    "人员表：工号唯一；重新导入时，同一工号的姓名、所属组织、联系方式有变化即记录为更名、调离、更新联系方式。",
    "已登记但不在人员表中的人员记录为离职（系统管理员除外）；人员表为空时不记录离职。",
    "角色表：每行一个角色。列出的人员的角色以本表为准；角色表为空时不改变任何角色。",
    "责任田：柔性团队成员负责的党支部，多个用顿号分隔。",
)


def write_template(path: Path) -> None:
    """An empty roster with the headers, a guide, and drop-down lists for kinds and roles."""
    book = Workbook()
    guide = book.active
    guide.title = "说明"
    for line in GUIDE:
        guide.append([line])
    guide.column_dimensions["A"].width = 100
    for sheet, (title, _) in SHEETS.items():
        page = book.create_sheet(title)
        page.append([zh for _, zh, _ in COLUMNS[sheet]])
        for index in range(len(COLUMNS[sheet])):
            page.column_dimensions[chr(ord("A") + index)].width = 20
    _choices(book[SHEETS["organisations"][0]], "C", [LABELS[k][0] for k in (OrgKind.BRANCH, OrgKind.TEMPORARY_BRANCH)])
    _choices(book[SHEETS["roles"][0]], "B", [LABELS[r][0] for r in Role if r != Role.ADMIN])
    book.save(path)


def _choices(page: Any, column: str, values: Sequence[str]) -> None:
    validation = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
    page.add_data_validation(validation)
    validation.add(f"{column}2:{column}5000")


def read_roster(paths: Iterable[Path]) -> Roster:
    """One .xlsx with the three sheets, or .csv files of one sheet each (in any combination)."""
    sheets: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for path in paths:
        for sheet, rows in _read_file(path):
            sheets.setdefault(sheet, []).extend(rows)
    return Roster(
        organisations=tuple(
            OrgRow(n, r["name"], r.get("parent", ""), r.get("kind", ""), r.get("former_name", ""))
            for n, r in sheets.get("organisations", [])
        ),
        people=tuple(
            PersonRow(n, r["staff_no"], r["name"], r["org"], r.get("email", ""), r.get("phone", ""))
            for n, r in sheets.get("people", [])
        ),
        roles=tuple(
            RoleRow(n, r["staff_no"], r["role"], r["org"], r.get("duty", ""),
                    tuple(f for f in FIELD_SEPARATORS.split(r.get("field", "")) if f.strip()))
            for n, r in sheets.get("roles", [])
        ),
    )


def _read_file(path: Path) -> Iterator[tuple[str, list[tuple[int, dict[str, str]]]]]:
    if not path.is_file():
        raise DomainError("roster_unreadable", file=path.name, reason="文件不存在")
    if path.suffix.lower() == ".csv":
        yield _read_csv(path)
        return
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise DomainError("roster_unreadable", file=path.name, reason="不是有效的 .xlsx 文件") from None
    try:
        titles = {title: sheet for sheet, (title, _) in SHEETS.items()}
        for page in book.worksheets:
            sheet = titles.get(page.title.strip())
            if sheet is not None:
                yield sheet, _rows(sheet, page.iter_rows(values_only=True))
    finally:
        book.close()


def _read_csv(path: Path) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="gb18030")
    lines = list(csv.reader(text.splitlines()))
    header = [h.strip() for h in lines[0]] if lines else []
    for sheet in ("roles", "people", "organisations"):
        if all(_label(sheet, key) in header for key in REQUIRED_COLUMNS[sheet]):
            return sheet, _rows(sheet, iter(lines))
    raise DomainError("roster_unreadable", file=path.name, reason="表头不是组织、人员或角色表的表头")


def _rows(sheet: str, lines: Iterator[Sequence[Any]]) -> list[tuple[int, dict[str, str]]]:
    """Rows by the header's column names; the row number is the spreadsheet's (the header is 1)."""
    header = [_text(h) for h in next(lines, ())]
    positions: dict[str, int] = {}
    for key, zh, en in COLUMNS[sheet]:
        for name in (zh, en, key):
            if name in header:
                positions[key] = header.index(name)
                break
        else:
            if key in REQUIRED_COLUMNS[sheet]:
                raise DomainError("roster_missing_column", sheet=SHEETS[sheet][0], column=zh)
    rows = []
    for number, line in enumerate(lines, start=2):
        values = {key: _text(line[i]) if i < len(line) else "" for key, i in positions.items()}
        if any(values.values()):
            rows.append((number, values))
    return rows


def _label(sheet: str, key: str) -> str:
    return next(zh for k, zh, _ in COLUMNS[sheet] if k == key)


def _text(value: Any) -> str:
    """Spreadsheets keep staff and phone numbers as numbers: 10086.0 is the text 10086."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
