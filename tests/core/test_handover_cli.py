"""换届 through the CLI on SQLite and PostgreSQL: a secretary leaves, their overdue work is flagged
as waiting for a handover, is handed to the new secretary, and from then on the warnings and the
scheduler's reminders name the new secretary; the trail keeps who held it when."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from uuid import UUID

from click.testing import Result

from domain.clock import ManualClock
from dutyloop.wiring import System
from projections import deadline_queries, lookup, task_queries
from scheduler.deadlines import deadline_reminders


def test_a_leaving_secretarys_work_is_handed_over_and_warnings_follow_the_new_one(
    system: System, cli: Callable[..., Result], tmp_path: Path
) -> None:
    clock = system.clock
    assert isinstance(clock, ManualClock)
    assert cli("init", "--admin-name", "管理员", "--admin-staff-no", "A1").exit_code == 0
    orgs = tmp_path / "组织.csv"
    orgs.write_text("组织名称,上级组织,类型\n一支部,公司党委,党支部\n", encoding="utf-8")
    staff = tmp_path / "人员.csv"
    staff.write_text("工号,姓名,所属组织\nS1,王芳,一支部\nS2,陈新,一支部\nP1,李强,公司党委\n", encoding="utf-8")
    roles = tmp_path / "角色.csv"
    roles.write_text("工号,角色,组织\nS1,支部书记,一支部\nP1,党建部,公司党委\n", encoding="utf-8")
    assert cli("--as", "A1", "roster", "import", str(orgs), str(staff), str(roles)).exit_code == 0
    planned = cli("--as", "P1", "--json", "meeting", "plan", "--kind", "党组织书记例会", "--org", "公司党委", "--title", "例会",
                  "--date", "2025-03-27")
    meeting = json.loads(planned.output)["id"][:8]
    assert cli("--as", "P1", "meeting", "minutes", meeting, "--held-on", "2025-03-27", "--attendee", "S1", "--decision", "落实").exit_code == 0
    issued = cli("--as", "P1", "--json", "meeting", "issue", meeting, "--task", "整理档案|一支部|S1|2025-04-03",
                 "--task", "三会一课|一支部|S1|2025-04-30")
    assert issued.exit_code == 0, issued.output
    clock.set(datetime(2025, 4, 8, 9, 0))

    assert cli("--as", "A1", "person", "leave", "S1", "--reason", "调往外单位").exit_code == 0
    waiting = json.loads(cli("--json", "awaiting-handover").output)
    assert [(r["staff_no"], r["open_items"]) for r in waiting] == [("S1", 2)]

    preview = cli("--as", "A1", "handover", "S1", "S2", "--dry-run")
    assert preview.exit_code == 0 and "整理档案" in preview.output and "三会一课" in preview.output
    assert json.loads(cli("--json", "awaiting-handover").output) != [], "a dry run records nothing"
    refused = cli("--as", "A1", "handover", "S1", "S2")
    assert refused.exit_code == 2 and "不能为空" in refused.stderr
    handed = cli("--as", "A1", "handover", "S1", "S2", "--reason", "换届")
    assert handed.exit_code == 0 and "已交接 2 项工作给 S2" in handed.output, handed.output
    assert json.loads(cli("--json", "awaiting-handover").output) == []

    with system.engine.connect() as conn:
        new_id = lookup.resolve_person(conn, "S2")
        old_id = lookup.resolve_person(conn, "S1")
        warned = deadline_queries.warnings(conn, date(2025, 4, 8))
        assert [w["owner_id"] for w in warned] == [new_id]
        due = deadline_reminders(conn, date(2025, 4, 8))
        assert {d.recipient_id for d in due} == {new_id}
        [task] = [t for t in task_queries.task_list(conn) if t["title"] == "整理档案"]
    trail = json.loads(cli("--json", "trail", "--entity", task["task_id"]).output)
    handed_over = [r for r in trail if r["event_type"] == "TaskHandedOver"]
    assert len(handed_over) == 1
    assert str(UUID(old_id)) in json.dumps(trail) and str(UUID(new_id)) in json.dumps(handed_over)  # ids dashed in --json


def test_the_acceptances_a_leaving_officer_owes_are_handed_over_with_their_other_work(
    system: System, cli: Callable[..., Result], tmp_path: Path
) -> None:
    """The party department's officer who issued the tasks moves away: the tasks waiting for their
    acceptance are listed as 待验收任务 and handed to the successor, who then accepts them."""
    clock = system.clock
    assert isinstance(clock, ManualClock)
    assert cli("init", "--admin-name", "管理员", "--admin-staff-no", "A1").exit_code == 0
    orgs = tmp_path / "组织.csv"
    orgs.write_text("组织名称,上级组织,类型\n一支部,公司党委,党支部\n", encoding="utf-8")
    staff = tmp_path / "人员.csv"
    staff.write_text("工号,姓名,所属组织\nS1,王芳,一支部\nP1,李强,公司党委\nP2,钱接任,公司党委\n", encoding="utf-8")
    roles = tmp_path / "角色.csv"
    roles.write_text("工号,角色,组织\nS1,支部书记,一支部\nP1,党建部,公司党委\n", encoding="utf-8")
    assert cli("--as", "A1", "roster", "import", str(orgs), str(staff), str(roles)).exit_code == 0
    meeting = json.loads(cli("--as", "P1", "--json", "meeting", "plan", "--kind", "党组织书记例会", "--org", "公司党委",
                             "--title", "例会", "--date", "2025-03-27").output)["id"][:8]
    assert cli("--as", "P1", "meeting", "minutes", meeting, "--held-on", "2025-03-27", "--attendee", "S1", "--decision", "落实").exit_code == 0
    ids = json.loads(cli("--as", "P1", "--json", "meeting", "issue", meeting, "--task", "整理档案|一支部|S1|2025-04-03",
                         "--task", "三会一课|一支部|S1|2025-04-30").output)["ids"]
    done = ids[0][:8]
    assert cli("--as", "S1", "task", "sign", done).exit_code == 0
    assert cli("--as", "S1", "task", "done", done, "--text", "档案已整理").exit_code == 0
    refused = cli("--as", "P2", "task", "accept", done)
    assert refused.exit_code == 2, "not theirs to accept before the handover"

    assert cli("--as", "A1", "person", "leave", "P1", "--reason", "调往外单位").exit_code == 0
    waiting = json.loads(cli("--json", "awaiting-handover").output)
    assert [(r["staff_no"], r["open_items"]) for r in waiting] == [("P1", 2)]
    listed = json.loads(cli("--as", "A1", "--json", "handover", "P1", "P2", "--dry-run").output)
    assert sorted((r["kind"], r["title"]) for r in listed) == [("task_review", "三会一课"), ("task_review", "整理档案")]
    table = cli("--as", "A1", "handover", "P1", "P2", "--dry-run").output
    assert table.count("待验收任务") == 2
    handed = cli("--as", "A1", "handover", "P1", "P2", "--reason", "调离")
    assert handed.exit_code == 0 and "已交接 2 项工作给 P2" in handed.output, handed.output
    assert json.loads(cli("--json", "awaiting-handover").output) == []

    accepted = cli("--as", "P2", "task", "accept", done)
    assert accepted.exit_code == 0, accepted.output
    trail = json.loads(cli("--json", "trail", "--entity", ids[1]).output)
    [moved] = [r for r in trail if r["event_type"] == "TaskReviewHandedOver"]
    assert "调离" in json.dumps(moved, ensure_ascii=False)
