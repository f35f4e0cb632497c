"""The command line is run by whoever can open the database: it may claim a person with --as,
never a system principal; admin commands need an administrator; every event it records says
which OS user on which host ran it; evidence files are kept in the evidence store; an id prefix
is hex, never a LIKE pattern; following a task needs the right to read it (both databases)."""

from __future__ import annotations

import getpass
import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from domain.commands.task_lists import TaskSpec
from domain.clock import ManualClock, today
from domain.errors import NotPermitted
from domain.task import Deadline
from domain.vocabulary import MeetingKind
from dutyloop.cli import main
from dutyloop.wiring import System
from views_support import Cli, World, build_world

pytestmark = pytest.mark.usefixtures("backend")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(system: System, clock: ManualClock) -> World:
    made = build_world(system.app, clock, branches=2)
    app, first = system.app, made.branches[0]
    meeting = app.plan_meeting(made.dept, MeetingKind.SECRETARIES, made.committee, "例会", today(clock))
    app.record_minutes(made.dept, meeting, today(clock), [made.dept], ["下达"])
    made.tasks = app.issue_task_list(made.dept, meeting, [TaskSpec("自查", first, made.secretaries[first], Deadline(working_days=5))])
    system.catch_up()
    return made


@pytest.fixture
def run(cli_for: Callable[[System], Cli], system: System) -> Callable[..., Any]:
    """The CLI on the system's database (``cli_for`` clears the environment and names the
    schema), its evidence under the system's data directory."""
    cli_for(system)
    where = ["--database-url", str(system.settings.database_url)] if system.settings.is_postgres else []
    where += ["--data-dir", str(system.settings.data_dir)]
    runner = CliRunner()
    return lambda *args, input=None: runner.invoke(main, [*where, *args], input=input, obj=system.clock, catch_exceptions=False)


def test_a_system_principal_cannot_be_claimed(run: Callable[..., Any], world: World, system: System) -> None:
    head = system.views.head()

    refused = run("--as", "system:scheduler", "task", "sign", world.tasks[0].hex[:8])

    assert refused.exit_code == 2 and "system:" in refused.output and "系统身份" in refused.output
    assert system.views.head() == head


def test_admin_commands_need_an_administrator(run: Callable[..., Any], world: World) -> None:
    assert run("rebuild").exit_code == 2
    by_secretary = run("--as", "S001", "rebuild")
    assert by_secretary.exit_code == 2 and "无权执行管理命令" in by_secretary.output
    assert run("--as", "A001", "rebuild").exit_code == 0

    others = run("--as", "S002", "account", "set-password", "S001", "--password-stdin", input="a-long-secret-1\n")
    assert others.exit_code == 2 and "只能管理本人的账号和令牌" in others.output
    assert run("--as", "S001", "account", "set-password", "S001", "--password-stdin", input="a-long-secret-1\n").exit_code == 0
    assert run("--as", "S002", "account", "token", "create", "S001").exit_code == 2
    assert run("--as", "S001", "account", "token", "create", "S001").exit_code == 0
    assert run("--as", "S001", "account", "list").exit_code == 2
    assert run("--as", "A001", "--json", "account", "list").exit_code == 0


def test_the_first_administrator_is_made_once(run: Callable[..., Any], world: World) -> None:
    again = run("init", "--committee", "另一个党委", "--admin-name", "冒充者", "--admin-staff-no", "X001")

    assert again.exit_code == 2 and "系统已初始化" in again.output
    assert run("--as", "X001", "rebuild").exit_code == 2


def test_every_cli_event_names_the_os_user_and_host(run: Callable[..., Any], world: World) -> None:
    task = world.tasks[0].hex[:8]

    assert run("--as", "S001", "task", "sign", task).exit_code == 0

    timeline = json.loads(run("--json", "task", "show", task).stdout)["timeline"]
    origin = f"cli:{getpass.getuser()}@{socket.gethostname()}"
    assert [(e["event_type"], e["via"]) for e in timeline] == [("TaskIssued", ""), ("TaskSignedFor", origin)]
    table = run("trail", "--entity", world.tasks[0].hex).stdout
    assert f"命令行（{getpass.getuser()}@{socket.gethostname()}）" in table


def test_cli_evidence_files_are_kept_in_the_evidence_store(
    run: Callable[..., Any], world: World, system: System, tmp_path: Path
) -> None:
    task = world.tasks[0].hex[:8]
    assert run("--as", "S001", "task", "sign", task).exit_code == 0
    original = tmp_path / "自查报告.pdf"
    original.write_bytes(PDF)
    disguised = tmp_path / "伪装.pdf"
    disguised.write_text("<script>alert(1)</script>")

    refused = run("--as", "S001", "task", "done", task, "--file", str(disguised))
    assert refused.exit_code == 2 and "内容与扩展名 .pdf 不符" in refused.output
    assert not list((system.settings.data_dir / "evidence").rglob("*.pdf"))

    assert run("--as", "S001", "task", "done", task, "--file", str(original)).exit_code == 0
    original.unlink()

    timeline = json.loads(run("--json", "task", "show", task).stdout)["timeline"]
    (item,) = timeline[-1]["details"]["evidence"]
    assert item["kind"] == "file" and item["name"] == "自查报告.pdf" and item["value"].startswith("evidence/")
    assert (system.settings.data_dir / item["value"]).read_bytes() == PDF


@pytest.mark.parametrize("prefix", ["%%%%%%", "______", "%a%b%c", "'; --"])
def test_an_id_prefix_is_hex_never_a_pattern(run: Callable[..., Any], world: World, prefix: str) -> None:
    shown = run("--json", "task", "show", prefix)

    assert shown.exit_code == 2 and "找不到任务" in shown.output
    by_name = run("--json", "tasks", "--org", prefix[:2])
    assert by_name.exit_code == 2 and "找不到组织" in by_name.output


def test_following_needs_the_right_to_read_the_task(run: Callable[..., Any], world: World, system: System) -> None:
    task = world.tasks[0]
    other_secretary = world.secretaries[world.branches[1]]

    refused = run("--as", "S002", "task", "follow", task.hex[:8])

    assert refused.exit_code == 2 and "无权关注该任务" in refused.output
    with pytest.raises(NotPermitted):
        system.app.follow_task(other_secretary, task)
    with pytest.raises(NotPermitted):
        system.app.follow_task(world.secretaries[world.branches[0]], task, other_secretary)
    assert other_secretary not in system.app.task(task).follower_ids
    system.app.follow_task(world.dept, task, other_secretary)
    assert other_secretary in system.app.task(task).follower_ids
