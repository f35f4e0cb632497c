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
from small_company import set_up

from domain.clock import ManualClock
from dutyloop.wiring import System
from projections import deadline_queries, lookup, task_queries
from scheduler.deadlines import deadline_reminders


def test_a_leaving_secretarys_work_is_handed_over_and_warnings_follow_the_new_one(
    system: System, cli: Callable[..., Result], tmp_path: Path
) -> None:
    clock = system.clock
    assert isinstance(clock, ManualClock)
    set_up(cli, tmp_path, ["S1,王芳,一支部", "S2,陈新,一支部", "P1,李强,公司党委"], ["S1,支部书记,一支部", "P1,党建部,公司党委"],
           ["整理档案|一支部|S1|2025-04-03", "三会一课|一支部|S1|2025-04-30"])
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
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    """The party department's officer who issued the tasks moves away: the tasks waiting for their
    acceptance are listed as 待验收任务 and handed to the successor, who then accepts them."""
    ids = set_up(cli, tmp_path, ["S1,王芳,一支部", "P1,李强,公司党委", "P2,钱接任,公司党委"],
                 ["S1,支部书记,一支部", "P1,党建部,公司党委"], ["整理档案|一支部|S1|2025-04-03", "三会一课|一支部|S1|2025-04-30"])
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
