"""Exports: the board, warnings, trail, a chain and the task list as .xlsx and CSV 台账 files."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from openpyxl import load_workbook

from domain.clock import ManualClock, today
from domain.vocabulary import InspectionKind
from dutyloop.wiring import System
from projections import chain_queries, deadline_queries, task_queries
from projections.export import Sheet, cell, format_for, write, write_csv, write_xlsx
from views_support import Cli

COLUMNS = [("name", "名称", "Name"), ("count", "数量", "Count"), ("day", "日期", "Day"), ("tags", "标签", "Tags")]
ROWS: list[dict[str, Any]] = [
    {"name": "变电运维室党支部", "count": 3, "day": date(2025, 4, 1), "tags": ["三会一课", "党费"]},
    {"name": "=HYPERLINK(\"http://evil\")", "count": -2, "day": None, "tags": []},
    {"name": "输电运检室党支部\x0b", "count": 0, "day": "2025-04-02", "tags": ("a",)},
]


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark to read Chinese"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


# -- the writer ----------------------------------------------------------------------------------------


def test_xlsx_has_a_bold_frozen_chinese_header_fitted_widths_and_every_row(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    write_xlsx(path, [Sheet("支部看板", "Branch board", COLUMNS, ROWS), Sheet("问题:清单/2025", "Findings", COLUMNS, [])],
               title="支部看板（2025-04-07）")
    book = load_workbook(path)
    assert book.sheetnames == ["支部看板", "问题_清单_2025"]
    assert book.properties.title == "支部看板（2025-04-07）"
    sheet = book["支部看板"]
    assert [c.value for c in sheet[1]] == ["名称", "数量", "日期", "标签"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D4"
    assert sheet.max_row == 4
    assert [c.value for c in sheet[2]] == ["变电运维室党支部", 3, "2025-04-01", "三会一课、党费"]
    # A formula typed by a user stays text; a control character Excel refuses is dropped.
    assert sheet["A3"].value == '=HYPERLINK("http://evil")' and sheet["A3"].data_type == "s"
    assert sheet["B3"].value == -2 and sheet["C3"].value is None
    assert sheet["A4"].value == "输电运检室党支部"
    # Wide enough for the Chinese text (two units a character), never absurdly wide.
    assert sheet.column_dimensions["A"].width >= 2 * len("变电运维室党支部")
    assert all(sheet.column_dimensions[c].width <= 60 for c in "ABCD")
    assert book["问题_清单_2025"].max_row == 1


def test_csv_round_trips_with_chinese_headers(tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    rows = [{"name": f"支部{i}，第“{i}”号\n换行", "count": i, "day": f"2025-04-{i + 1:02d}", "tags": ["甲", "乙"]} for i in range(20)]
    write_csv(path, Sheet("支部", "Branches", COLUMNS, rows))
    [header, *body] = _read_csv(path)
    assert header == ["名称", "数量", "日期", "标签"]
    assert body == [[r["name"], str(r["count"]), r["day"], "甲、乙"] for r in rows]


def test_csv_in_english_and_formula_text_defused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    write(path, [Sheet("支部", "Branches", COLUMNS, ROWS)], "csv", locale="en")
    [header, first, second, _] = _read_csv(path)
    assert header == ["Name", "Count", "Day", "Tags"]
    assert first == ["变电运维室党支部", "3", "2025-04-01", "三会一课, 党费"]
    assert second[0] == "'=HYPERLINK(\"http://evil\")" and second[1] == "-2" and second[2] == ""


def test_format_from_the_file_name_or_as_asked() -> None:
    assert format_for(Path("a.XLSX")) == "xlsx"
    assert format_for(Path("a.csv")) == "csv"
    assert format_for(Path("a.txt"), "csv") == "csv"
    with pytest.raises(ValueError, match="--format"):
        format_for(Path("a.txt"))
    with pytest.raises(ValueError):
        format_for(Path("a.csv"), "pdf")
    assert cell(True) == "是" and cell(False, "en") == "no" and cell({"b": 1, "a": "甲"}) == '{"a": "甲", "b": 1}'


# -- dutyloop export -----------------------------------------------------------------------------------


def _day(clock: ManualClock) -> str:
    return today(clock).isoformat()


def _xlsx(path: Path) -> tuple[list[str], list[list[Any]]]:
    sheet = load_workbook(path).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    return values[0], values[1:]


def test_export_board_xlsx_and_csv(cli: Cli, recorded: System, clock: ManualClock, tmp_path: Path) -> None:
    day = _day(clock)
    with recorded.engine.connect() as conn:
        board = task_queries.branch_summary(conn, date.fromisoformat(day))
    result = cli("export", "board", "--out", str(tmp_path / "看板.xlsx"), "--today", day)
    assert result.exit_code == 0, result.output
    assert f"已导出 {len(board)} 行" in result.stdout
    header, rows = _xlsx(tmp_path / "看板.xlsx")
    assert header[:4] == ["支部", "类型", "在办", "逾期"]
    assert [r[0] for r in rows] == [b["name"] for b in board]
    assert [r[3] for r in rows] == [b["tasks_overdue"] for b in board]
    assert load_workbook(tmp_path / "看板.xlsx").sheetnames == ["支部看板"]
    cli("export", "board", "--out", str(tmp_path / "board.csv"), "--today", day, "--locale", "en")
    [header, *lines] = _read_csv(tmp_path / "board.csv")
    assert header[:4] == ["Branch", "Kind", "Open", "Overdue"]
    assert [line[2] for line in lines] == [str(b["tasks_open"]) for b in board]
    one = board[0]
    cli("export", "board", "--out", str(tmp_path / "one.csv"), "--today", day, "--org", one["name"])
    assert [line[0] for line in _read_csv(tmp_path / "one.csv")[1:]] == [one["name"]]


def test_export_warnings_tasks_and_trail(cli: Cli, recorded: System, clock: ManualClock, tmp_path: Path) -> None:
    day = _day(clock)
    with recorded.engine.connect() as conn:
        warned = deadline_queries.warnings(conn, date.fromisoformat(day))
        tasks = task_queries.task_list(conn, limit=100_000)
        head = recorded.views.head()
    assert warned and tasks

    assert cli("export", "warnings", "--out", str(tmp_path / "预警.xlsx"), "--today", day).exit_code == 0
    header, rows = _xlsx(tmp_path / "预警.xlsx")
    assert header[:4] == ["预警", "类别", "编号", "事项"]
    assert [r[2] for r in rows] == [str(UUID(w["id"])) for w in warned], "ids dashed, as the API spells them"
    assert {r[0] for r in rows} <= {"即将到期", "今日到期", "已逾期", "严重逾期"}

    assert cli("export", "tasks", "--out", str(tmp_path / "tasks.csv")).exit_code == 0
    [header, *lines] = _read_csv(tmp_path / "tasks.csv")
    assert header[:3] == ["编号", "任务", "要求"] and "完成时限" in header and "状态" in header
    assert [line[0] for line in lines] == [str(UUID(t["task_id"])) for t in tasks]
    assert cli("export", "tasks", "--out", str(tmp_path / "few.csv"), "--limit", "3").exit_code == 0
    assert len(_read_csv(tmp_path / "few.csv")) == 4

    as_json = json.loads(cli("--json", "export", "trail", "--out", str(tmp_path / "trail.xlsx")).stdout)
    assert as_json == {"ok": True, "rows": head, "path": str(tmp_path / "trail.xlsx"), "format": "xlsx", "what": "trail"}
    header, rows = _xlsx(tmp_path / "trail.xlsx")
    assert header == ["序号", "记录时间", "业务日期", "补录", "操作人", "角色", "事项", "对象类别", "对象编号", "组织", "详情"]
    assert [r[0] for r in rows] == sorted(r[0] for r in rows) and len(rows) == head
    assert rows[0][4] == "系统初始化" and rows[0][7] == "组织" and rows[0][3] is None


def test_export_a_chain_to_every_sheet(cli: Cli, recorded: System, tmp_path: Path) -> None:
    with recorded.engine.connect() as conn:
        rect = conn.exec_driver_sql("SELECT rectification_id FROM view_rectifications ORDER BY rectification_id").first()[0]
        story = chain_queries.chain(conn, rect)
    result = cli("export", "chain", rect[:8], "--out", str(tmp_path / "链条.xlsx"))
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "链条.xlsx")
    assert book.sheetnames == ["全过程", "整改", "问题", "约谈"]
    assert book.properties.title == f"整改链条 {rect[:8]}"
    assert [r[0] for r in book["全过程"].iter_rows(min_row=2, values_only=True)] == [t["notification_id"] for t in story["timeline"]]
    assert [r[0] for r in book["整改"].iter_rows(min_row=2, values_only=True)] == [str(UUID(r["rectification_id"])) for r in story["rectifications"]]
    assert book["问题"].max_row == len(story["findings"]) + 1 and book["约谈"].max_row == len(story["interviews"]) + 1

    cli("--locale", "en", "export", "chain", rect, "--out", str(tmp_path / "chain.txt"), "--format", "csv")
    [header, *lines] = _read_csv(tmp_path / "chain.txt")
    assert header[0] == "No." and len(lines) == len(story["timeline"])


def test_export_as_of_a_past_moment(cli: Cli, recorded: System, clock: ManualClock, tmp_path: Path) -> None:
    """The file shows what was recorded by then, judged on that day."""
    then = clock.now().astimezone(clock.tz)
    head = recorded.views.head()
    clock.advance(days=2)
    with recorded.engine.connect() as conn:
        dept = conn.exec_driver_sql("SELECT person_id FROM view_people WHERE staff_no = 'P001'").scalar()
        org = conn.exec_driver_sql("SELECT org_id FROM view_organisations WHERE kind = 'branch' ORDER BY name").first()[0]
    recorded.app.conduct_inspection(UUID(dept), InspectionKind.RANDOM, UUID(org), "组织生活", ["新问题"])
    moment = then.strftime("%Y-%m-%dT%H:%M")
    result = cli("export", "trail", "--out", str(tmp_path / "then.csv"), "--as-of", moment)
    assert result.exit_code == 0, result.output
    assert len(_read_csv(tmp_path / "then.csv")) - 1 == head
    cli("export", "trail", "--out", str(tmp_path / "now.csv"))
    assert len(_read_csv(tmp_path / "now.csv")) - 1 == head + 2


def test_export_refusals(cli: Cli, tmp_path: Path) -> None:
    no_id = cli("export", "chain", "--out", str(tmp_path / "c.xlsx"))
    assert no_id.exit_code == 2 and "编号" in no_id.output
    stray = cli("export", "board", "abc", "--out", str(tmp_path / "b.xlsx"))
    assert stray.exit_code == 2
    unknown_format = cli("export", "board", "--out", str(tmp_path / "b.txt"))
    assert unknown_format.exit_code == 2 and "--format" in unknown_format.stderr
    assert not (tmp_path / "b.txt").exists()
    missing = cli("export", "chain", "ffffff", "--out", str(tmp_path / "c.xlsx"))
    assert missing.exit_code == 2 and "找不到" in missing.stderr
    no_org = cli("export", "tasks", "--org", "不存在的支部", "--out", str(tmp_path / "t.csv"))
    assert no_org.exit_code == 2
