"""The README's first command as a user runs it, and a few commands through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner

from domain.clock import ManualClock
from dutyloop.cli import main

ROOT = Path(__file__).parents[2]


def dutyloop(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DUTYLOOP_DATA_DIR": str(data)}
    return subprocess.run(
        [sys.executable, "-m", "dutyloop", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_demo_builds_a_year_and_shows_what_to_look_at(tmp_path: Path) -> None:
    first = dutyloop(tmp_path, "demo", "--end", "2026-11-24")
    assert first.returncode == 0, first.stderr
    assert "45 个支部" in first.stdout and "最需要关注的支部" in first.stdout
    assert "dutyloop --as S" in first.stdout and "dutyloop verify" in first.stdout
    again = dutyloop(tmp_path, "demo", "--end", "2026-11-24")
    assert again.returncode == 0 and "已有数据" in again.stdout
    board = dutyloop(tmp_path, "--json", "board", "--today", "2026-11-24")
    rows = json.loads(board.stdout)
    assert len(rows) == 45 and sum(r["tasks_overdue"] for r in rows) > 0
    verified = dutyloop(tmp_path, "verify")
    assert verified.returncode == 0 and "记录完整" in verified.stdout


def test_commands_refuse_clearly_and_record_nothing(tmp_path: Path) -> None:
    runner = CliRunner()
    clock = ManualClock(datetime(2026, 11, 24, 10, 0))

    def run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(main, ["--data-dir", str(tmp_path), *args], obj=clock)
        return result.exit_code, result.stdout, result.stderr

    assert run("init", "--admin-name", "管理员", "--admin-staff-no", "A1")[0] == 0
    assert run("--as", "A1", "org", "add", "一支部", "--parent", "公司党委")[0] == 0
    assert run("--as", "A1", "person", "add", "王芳", "--staff-no", "S1", "--org", "一支部", "--role", "支部书记")[0] == 0
    assert run("--as", "A1", "person", "add", "李强", "--staff-no", "P1", "--org", "公司党委", "--role", "党建部")[0] == 0
    code, out, _ = run("--as", "S1", "--json", "meeting", "plan", "--kind", "secretaries", "--org", "公司党委", "--title", "例会", "--date", "2026-11-20")
    assert code == 2
    code, out, _ = run("--as", "P1", "--json", "meeting", "plan", "--kind", "党组织书记例会", "--org", "公司党委", "--title", "例会", "--date", "2026-11-20")
    meeting = json.loads(out)["id"][:8]
    assert run("--as", "P1", "meeting", "minutes", meeting, "--held-on", "2026-11-20", "--attendee", "S1", "--decision", "落实")[0] == 0
    before = json.loads(run("--json", "status")[1])[0]["position"]
    code, _, err = run("--as", "P1", "meeting", "issue", meeting, "--task", "整理档案|一支部|S1|2020-01-01")
    assert code == 2 and "早于下达日期" in err
    code, _, err = run("--as", "P1", "--locale", "en", "meeting", "issue", meeting, "--task", "整理档案|一支部|S1|2020-01-01")
    assert code == 2 and "before the issue date" in err
    assert json.loads(run("--json", "status")[1])[0]["position"] == before
    code, out, _ = run("--as", "P1", "--json", "meeting", "issue", meeting, "--task", "整理档案|一支部|S1|5wd|按手册")
    task = json.loads(out)["ids"][0][:8]
    assert run("--as", "S1", "task", "sign", task)[0] == 0
    assert run("--as", "S1", "task", "done", task, "--text", "已完成")[0] == 0
    code, _, err = run("--as", "S1", "task", "accept", task)
    assert code == 2 and "无权" in err
    assert run("--as", "P1", "task", "accept", task)[0] == 0
    shown = json.loads(run("--json", "task", "show", task)[1])
    assert shown["status"] == "accepted"
    assert [e["event_type"] for e in shown["timeline"]] == ["TaskIssued", "TaskSignedFor", "TaskReportedDone", "TaskAccepted"]
    assert [e["actor_name"] for e in shown["timeline"]] == ["李强", "王芳", "王芳", "李强"]
