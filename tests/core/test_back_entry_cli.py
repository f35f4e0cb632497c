"""补录 through the CLI on SQLite and PostgreSQL: a done report from paper, entered days later with
``--on``, counts as on time in the points, leaves the warnings as of its business day, and the
trail shows both dates and marks it; one entered before the task began or too far back is refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from uuid import UUID

from click.testing import Result
from openpyxl import load_workbook
from small_company import set_up

from domain.clock import ManualClock
from domain.scoring import DEFAULT_RULES
from dutyloop.wiring import System
from projections import assessment_queries, deadline_queries, lookup


def test_a_back_entered_done_report_is_judged_by_its_business_day(system: System, cli: Callable[..., Result], tmp_path: Path) -> None:
    clock = system.clock
    assert isinstance(clock, ManualClock)
    ids = set_up(cli, tmp_path, ["S1,王芳,一支部", "P1,李强,公司党委"], ["S1,支部书记,一支部", "P1,党建部,公司党委"],
                 ["整理档案|一支部|S1|2025-04-03", "三会一课|一支部|S1|2025-04-03"])
    with system.engine.connect() as conn:
        admin = UUID(lookup.resolve_person(conn, "A1"))
    system.app.set_scoring_rules(admin, [r.as_record() for r in DEFAULT_RULES])
    paper, late = ids[0][:8], ids[1][:8]
    clock.set(datetime(2025, 4, 8, 9, 0))
    with system.engine.connect() as conn:
        assert len(deadline_queries.warnings(conn, date(2025, 4, 8))) == 2

    assert cli("--as", "S1", "task", "sign", paper, "--on", "2025-03-31").exit_code == 0
    assert cli("--as", "S1", "task", "sign", late).exit_code == 0
    before = cli("--as", "S1", "task", "done", paper, "--text", "纸质记录", "--on", "2025-03-26")
    assert before.exit_code == 2 and "早于该任务的开始日期 2025-03-28" in before.stderr
    too_old = cli("--as", "S1", "task", "done", paper, "--text", "纸质记录", "--on", "2025-03-10")
    assert too_old.exit_code == 2 and "距今超过 10 个工作日" in too_old.stderr
    assert cli("--as", "S1", "task", "done", paper, "--text", "纸质记录", "--on", "2025-04-02").exit_code == 0
    assert cli("--as", "S1", "task", "done", late, "--text", "今日报送").exit_code == 0
    assert cli("--as", "P1", "task", "accept", paper).exit_code == 0
    assert cli("--as", "P1", "task", "accept", late).exit_code == 0

    with system.engine.connect() as conn:
        assert deadline_queries.warnings(conn, date(2025, 4, 8)) == []
        rows = {(r["rule"], r["note"].split("（")[0]) for r in assessment_queries.point_detail(conn, ["2025-04"])}
    assert ("task_on_time", "整理档案") in rows and ("task_late", "三会一课") in rows
    assert ("task_late", "整理档案") not in rows

    trail = json.loads(cli("--json", "task", "show", paper).output)["timeline"]
    [done] = [r for r in trail if r["event_type"] == "TaskReportedDone"]
    assert done["business_date"] == "2025-04-02" and done["recorded_at"].startswith("2025-04-08")
    shown = cli("task", "show", paper).output
    [marked] = [line for line in shown.splitlines() if "│ 补录 │" in line and "报送完成" in line]
    assert "2025-04-02" in marked and "2025-04-08" in marked
    assert sum("│ 补录 │" in line for line in shown.splitlines()) == 2, "the signature entered later is marked too"
    assert "│ 补录 │" not in cli("task", "show", late).output

    # The trail exported as a sheet and as CSV keeps both dates and marks the back-entries.
    assert cli("export", "trail", "--out", str(tmp_path / "台账.xlsx")).exit_code == 0
    rows = [[c.value for c in row] for row in load_workbook(tmp_path / "台账.xlsx").worksheets[0].iter_rows()]
    header = next(r for r in rows if r and r[0] == "序号")
    at = {name: header.index(name) for name in ("记录时间", "业务日期", "补录", "事项", "对象编号")}
    [exported] = [r for r in rows if r[at["事项"]] == "报送完成" and r[at["对象编号"]] == paper]
    assert exported[at["补录"]] == "补录"
    assert exported[at["业务日期"]].date() == date(2025, 4, 2) and exported[at["记录时间"]].date() == date(2025, 4, 8)
    [today_done] = [r for r in rows if r[at["事项"]] == "报送完成" and r[at["对象编号"]] == late]
    assert today_done[at["补录"]] is None
    assert cli("export", "trail", "--out", str(tmp_path / "台账.csv")).exit_code == 0
    [line] = [line for line in (tmp_path / "台账.csv").read_text(encoding="utf-8-sig").splitlines()
              if ",报送完成," in line and paper in line]
    assert ",2025-04-02," in line and ",补录," in line and "2025-04-08" in line
