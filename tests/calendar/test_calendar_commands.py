"""``dutyloop calendar …`` through the real command line (click's runner) on a SQLite file.

The command line normally runs on the system clock; here it shares the test's ManualClock, so
"today" is whatever the test says (2026-11-24 unless moved)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from calendar_support import Org
from domain.calendar import builtin_schedules
from domain.clock import ManualClock
from dutyloop.cli import main
from projections import task_queries
from projections.tables import calendar_loads, trail

Run = Callable[..., Result]
ENV = ("DUTYLOOP_DATABASE_URL", "DUTYLOOP_USER", "DUTYLOOP_LOCALE", "DUTYLOOP_DATA_DIR", "DUTYLOOP_POSTGRES_SCHEMA",
       "DUTYLOOP_TIMEZONE")


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, data_dir: Path, clock: ManualClock, org: Org) -> Run:
    """Invoke ``dutyloop --data-dir … [--as …] ARGS`` against the organisation ``org`` set up."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    clock.set_day(date(2026, 11, 24), 10)
    runner = CliRunner()

    def invoke(*args: str, who: str | None = None, input: str | None = None) -> Result:
        argv = ["--data-dir", str(data_dir), *(["--as", who] if who else []), *args]
        return runner.invoke(main, argv, input=input, obj=clock, catch_exceptions=False)

    return invoke


def loads_recorded(org: Org) -> list[dict[str, object]]:
    org.system.catch_up()
    with org.system.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(calendar_loads).order_by(calendar_loads.c.notification_id)).mappings()]


# -- load ------------------------------------------------------------------------------------------


def test_dry_run_shows_the_diff_and_records_nothing(run: Run, org: Org, schedule_file: Path) -> None:
    before = org.head()
    result = run("calendar", "load", "2027", str(schedule_file), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "2027 年目前没有节假日安排" in result.stdout
    assert "+ 2027-01-01 周五  元旦（虚构）" in result.stdout
    assert "+ 2027-01-09 周六  虚构调休" in result.stdout
    assert "新增节假日 4 天" in result.stdout and "--dry-run" in result.stdout
    assert org.head() == before
    assert loads_recorded(org) == []


def test_dry_run_as_json(run: Run, org: Org, schedule_file: Path) -> None:
    result = run("--json", "calendar", "load", "2027", str(schedule_file), "--dry-run")
    data = json.loads(result.stdout)
    assert data["dry_run"] is True and data["recorded"] is False and data["replaces"] is None
    assert data["diff"]["working_weekends_added"] == ["2027-01-09"]


def test_a_branch_secretary_may_not_load(run: Run, org: Org, schedule_file: Path) -> None:
    before = org.head()
    result = run("calendar", "load", "2027", str(schedule_file), "--source", "测试", who="S001")
    assert result.exit_code == 2
    assert "王芳（S001）无权导入节假日安排：仅系统管理员可以操作" in result.stderr
    assert org.head() == before
    english = run("--locale", "en", "calendar", "load", "2027", str(schedule_file), "--source", "x", who="S001")
    assert "may not load holiday schedules: only an administrator may do this" in english.stderr
    assert org.head() == before


def test_load_needs_a_source_and_someone_acting(run: Run, org: Org, schedule_file: Path) -> None:
    before = org.head()
    assert run("calendar", "load", "2027", str(schedule_file), who="A001").exit_code == 2
    assert run("calendar", "load", "2027", str(schedule_file), "--source", "测试").exit_code == 2
    assert org.head() == before


def test_admin_loads_a_new_year_without_confirmation(run: Run, org: Org, schedule_file: Path) -> None:
    result = run("calendar", "load", "2027", str(schedule_file), "--source", "测试用虚构安排", who="A001")
    assert result.exit_code == 0, result.output
    assert "+ 2027-01-04 周一  虚构假日" in result.stdout
    assert "已导入 2027 年节假日安排（来源：测试用虚构安排）" in result.stdout
    [load] = loads_recorded(org)
    assert load["year"] == 2027 and load["source"] == "测试用虚构安排" and load["actor"] == org.admin.hex
    assert json.loads(str(load["working_weekends"])) == ["2027-01-09"]


def test_changing_a_loaded_year_asks_first(run: Run, org: Org, schedule_file: Path, corrected_file: Path) -> None:
    assert run("calendar", "load", "2027", str(schedule_file), "--source", "v1", who="A001").exit_code == 0
    args = ("calendar", "load", "2027", str(corrected_file), "--source", "v2 更正")

    no_terminal = run(*args, who="A001")
    assert no_terminal.exit_code == 1
    assert "与已导入的 2027 年安排（来源：v1，管理员（A001）" in no_terminal.stdout
    assert "+ 2027-01-05 周二  更正：补充假日" in no_terminal.stdout
    assert "--yes" in no_terminal.stderr
    declined = run(*args, who="A001", input="n\n")
    assert declined.exit_code == 1 and "已取消" in declined.stderr
    assert len(loads_recorded(org)) == 1

    confirmed = run(*args, who="A001", input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert [r["source"] for r in loads_recorded(org)] == ["v1", "v2 更正"]

    # Loading the same schedule again changes nothing and records nothing.
    again = run(*args, "--yes", who="A001")
    assert again.exit_code == 0 and "无需导入" in again.stdout
    assert len(loads_recorded(org)) == 2

    # --yes loads a change without asking (back to v1).
    back = run("calendar", "load", "2027", str(schedule_file), "--source", "v3", "--yes", who="A001")
    assert back.exit_code == 0 and "- 2027-01-05 周二" in back.stdout
    assert [r["source"] for r in loads_recorded(org)] == ["v1", "v2 更正", "v3"]


def test_a_load_back_entered_with_on_keeps_its_business_day_and_stays_in_order(
    run: Run, org: Org, schedule_file: Path, corrected_file: Path
) -> None:
    """补录: the notice was put in force on 20 November and entered on the 24th."""
    entered = run("calendar", "load", "2027", str(schedule_file), "--source", "v1", "--on", "2026-11-20", who="A001")
    assert entered.exit_code == 0, entered.output
    with org.system.engine.connect() as conn:
        [row] = conn.execute(select(trail.c.business_date, trail.c.recorded_at)
                             .where(trail.c.event_type == "HolidayScheduleLoaded")).all()
    assert str(row.business_date) == "2026-11-20" and str(row.recorded_at).startswith("2026-11-24")
    earlier = run("calendar", "load", "2027", str(corrected_file), "--source", "v2", "--yes", "--on", "2026-11-19", who="A001")
    assert earlier.exit_code == 2
    assert "补录日期 2026-11-19 早于 2027 年节假日安排上次导入的日期 2026-11-20" in earlier.output
    future = run("calendar", "load", "2027", str(corrected_file), "--source", "v2", "--yes", "--on", "2026-11-25", who="A001")
    assert future.exit_code == 2 and "晚于今天 2026-11-24" in future.output
    assert [r["source"] for r in loads_recorded(org)] == ["v1"]


def test_correcting_a_built_in_year_shows_the_diff_against_the_package(run: Run, org: Org, tmp_path: Path) -> None:
    builtin = builtin_schedules()[2026]
    holidays = (builtin.holidays - {date(2026, 10, 7)}) | {date(2026, 12, 31)}
    lines = [f"{d.isoformat()} holiday" for d in sorted(holidays)] + [f"{d.isoformat()} 班" for d in sorted(builtin.working_weekends)]
    path = tmp_path / "2026.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = run("calendar", "load", "2026", str(path), "--source", "测试更正", who="A001")
    assert result.exit_code == 1
    assert "与内置的 2026 年安排（chinese-calendar 1.11.0）相比" in result.stdout
    assert "+ 2026-12-31 周四" in result.stdout and "- 2026-10-07 周三  国庆节" in result.stdout
    assert run("calendar", "load", "2026", str(path), "--source", "测试更正", "--yes", who="A001").exit_code == 0

    shown = json.loads(run("--json", "calendar", "show", "2026").stdout)
    origins = {d["date"]: (d["origin"], d["in_force"]) for d in shown["days"]}
    assert origins["2026-12-31"] == ("loaded", True)
    assert origins["2026-10-07"] == ("builtin_removed", False)
    assert origins["2026-10-01"] == ("builtin_and_loaded", True)
    assert shown["origin"] == "loaded"
    workdays = json.loads(run("--json", "calendar", "workdays", "2026-09-28", "5").stdout)
    assert workdays["date"] == "2026-10-09"  # 7 Oct is now a working day in this made-up correction


def test_a_bad_file_is_refused_with_line_numbers(run: Run, org: Org, tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("2027-01-01 holiday\n2027-01-32 holiday\n2027-01-06 班\n2027-01-01 休\n", encoding="utf-8")
    before = org.head()
    result = run("calendar", "load", "2027", str(path), "--source", "x", who="A001")
    assert result.exit_code == 2
    assert "bad.txt 有 3 处错误，未导入任何数据" in result.stderr
    assert "bad.txt 第 2 行：日期无效" in result.stderr
    assert "bad.txt 第 3 行：2027-01-06 是周三，不是周末" in result.stderr
    assert "bad.txt 第 4 行：2027-01-01 重复列出（已在第 1 行）" in result.stderr
    assert org.head() == before


# -- a missing year, refused through the command line ----------------------------------------------


def test_issuing_into_a_missing_year_is_refused_until_it_is_loaded(
    run: Run, org: Org, clock: ManualClock, schedule_file: Path
) -> None:
    clock.set_day(date(2026, 12, 10), 10)
    issue = ("meeting", "issue", org.meeting.hex[:8], "--task", "整理发展党员档案|变电运维室党支部|S001|20wd")
    before = org.head()
    refused = run(*issue, who="P001")
    assert refused.exit_code == 2
    assert "缺少 2027 年的节假日安排" in refused.stderr and "dutyloop calendar load 2027" in refused.stderr
    assert org.head() == before

    assert run("calendar", "load", "2027", str(schedule_file), "--source", "测试", who="A001").exit_code == 0
    issued = run(*issue, who="P001")
    assert issued.exit_code == 0, issued.output
    org.system.catch_up()
    with org.system.engine.connect() as conn:
        [task] = task_queries.task_list(conn, org_id=org.branch.hex)
    assert task["deadline"] == "2027-01-09"


def test_workdays(run: Run, org: Org) -> None:
    qingming = run("calendar", "workdays", "2025-03-28", "10")
    assert qingming.exit_code == 0 and "2025-04-14（周一）" in qingming.stdout
    assert "2025-04-04" in qingming.stdout  # Qingming, a Friday off, is named as skipped
    tiaoxiu = json.loads(run("--json", "calendar", "workdays", "2025-04-24", "5").stdout)
    assert tiaoxiu["date"] == "2025-04-30" and tiaoxiu["working_weekends_between"] == ["2025-04-27"]
    missing = run("calendar", "workdays", "2026-12-10", "20")
    assert missing.exit_code == 2 and "缺少 2027 年的节假日安排" in missing.stderr
    assert run("calendar", "workdays", "2025-13-01", "3").exit_code == 2


# -- show and status -------------------------------------------------------------------------------


def test_show_a_built_in_year(run: Run, org: Org) -> None:
    result = run("calendar", "show", "2025")
    assert result.exit_code == 0
    assert "2025-04-27" in result.stdout and "调休上班" in result.stdout and "清明" in result.stdout
    assert "内置（chinese-calendar 1.11.0）" in result.stdout
    data = json.loads(run("--json", "calendar", "show", "2025").stdout)
    assert data["origin"] == "builtin" and data["working_days"] == 248
    assert {"date": "2025-04-27", "kind": "workday", "origin": "builtin"}.items() <= {
        k: v for d in data["days"] if d["date"] == "2025-04-27" for k, v in d.items()
    }.items()


def test_show_a_loaded_year_and_a_missing_one(run: Run, org: Org, schedule_file: Path) -> None:
    missing = run("calendar", "show", "2027")
    assert missing.exit_code == 2 and "dutyloop calendar load 2027" in missing.stderr
    run("calendar", "load", "2027", str(schedule_file), "--source", "测试用虚构安排", who="A001")
    data = json.loads(run("--json", "calendar", "show", "2027").stdout)
    assert data["origin"] == "loaded"
    assert [d["date"] for d in data["days"]] == ["2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04", "2027-01-09"]
    assert {d["origin"] for d in data["days"]} == {"loaded"}
    assert data["loads"][0]["source"] == "测试用虚构安排" and data["loads"][0]["actor_name"] == "管理员（A001）"


def test_status_warns_from_november_until_next_year_is_loaded(
    run: Run, org: Org, clock: ManualClock, schedule_file: Path
) -> None:
    today = run("calendar", "status")
    assert today.exit_code == 0
    assert "今天：2026-11-24" in today.stdout
    assert "内置年份：2004–2026" in today.stdout
    assert "尚未导入 2027 年的节假日安排" in today.stdout
    assert "尚未导入 2027 年" in run("calendar", "status", "--today", "2026-11-01").stdout
    assert "尚未导入" not in run("calendar", "status", "--today", "2026-10-31").stdout
    assert "has not been loaded" in run("--locale", "en", "calendar", "status").stdout
    # The main status command carries the same warning (on stderr, after the projection table).
    assert "2027" in run("status").stderr

    run("calendar", "load", "2027", str(schedule_file), "--source", "测试用虚构安排", who="A001")
    after = run("calendar", "status")
    assert "尚未导入" not in after.stdout and "已导入年份：2027" in after.stdout
    assert "测试用虚构安排" in after.stdout and "管理员（A001）" in after.stdout
    assert "2027" not in run("status").stderr
    data = json.loads(run("--json", "calendar", "status").stdout)
    assert data["warning"] is None and data["loaded_years"] == [2027] and data["known_years"][-1] == 2027
    assert data["loads"][0]["diff"]["holidays_added"] == ["2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04"]

    # As of a moment before the load, the calendar did not know 2027 and the warning stands.
    earlier = json.loads(run("--json", "calendar", "status", "--as-of", "2026-11-24T09:00").stdout)
    assert earlier["loaded_years"] == [] and "2027" in earlier["warning"]


def test_the_worked_example_in_the_docs_loads(run: Run, org: Org, tmp_path: Path) -> None:
    """docs/calendar.md's made-up 2099 example must stay loadable as documented."""
    docs = Path(__file__).resolve().parents[2] / "docs" / "calendar.md"
    text = docs.read_text(encoding="utf-8")
    example = text.split("```text\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "2099.txt"
    path.write_text(example, encoding="utf-8")
    result = run("calendar", "load", "2099", str(path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "新增节假日 15 天，取消节假日 0 天，新增调休上班日 5 天" in result.stdout
    assert run("calendar", "load", "2099", str(path), "--source", "示例通知（虚构）", who="A001").exit_code == 0
    ten = run("calendar", "workdays", "2099-04-28", "10").stdout
    assert "2099-04-28（周二）之后第 10 个工作日：2099-05-14（周四）" in ten
    assert "期间节假日（工作日休息）：2099-05-01, 2099-05-04, 2099-05-05" in ten
    assert "期间调休上班（周末上班）：2099-05-09" in ten
    assert json.loads(run("--json", "calendar", "workdays", "2099-04-28", "5").stdout)["date"] == "2099-05-08"
    assert "2100" in run("calendar", "workdays", "2099-12-20", "10").stderr
