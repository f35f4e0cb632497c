"""``dutyloop task urge/comment/reassign/bulk`` on a real database: each the domain command with the
--as person as actor, the bulk one printing each task's own outcome."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from domain.clock import ManualClock
from domain.commands.task_lists import TaskSpec
from domain.task import Deadline
from domain.vocabulary import MeetingKind
from dutyloop.demo import build_demo
from dutyloop.wiring import System
from views_support import Cli


def test_urge_comment_reassign_and_bulk_from_the_command_line(
    system: System, clock: ManualClock, cli_for: Callable[[System], Cli]
) -> None:
    demo = build_demo(system.app, clock, date(2026, 6, 30), branches=3)
    app, people = system.app, demo.people
    branch, other = demo.branches[0], demo.branches[1]
    dept = people.party_dept[0]
    meeting = app.plan_meeting(dept, MeetingKind.SECRETARIES, demo.committee_id, "督办会", date(2026, 6, 30))
    app.record_minutes(dept, meeting, date(2026, 6, 30), [dept], ["督办"])
    first, second = app.issue_task_list(dept, meeting, [
        TaskSpec(title, branch, people.secretaries[branch], Deadline(on=date(2026, 7, 20))) for title in ("报送台账", "报送记录")
    ])
    system.catch_up()
    cli = cli_for(system)
    staff = {p: app.person(p).staff_no for p in (dept, people.secretaries[other])}

    assert cli("--as", staff[dept], "task", "urge", first.hex[:8], "请抓紧").exit_code == 0
    secretary = app.person(people.secretaries[branch]).staff_no
    said = cli("--as", staff[dept], "task", "comment", first.hex[:8], f"@{secretary} 请补充附件")
    assert said.exit_code == 0, said.output
    moved = cli("--as", staff[dept], "task", "reassign", first.hex[:8], "--to", staff[people.secretaries[other]], "--reason", "职责调整")
    assert moved.exit_code == 0, moved.output
    assert app.task(first).owner_id == people.secretaries[other]
    bulk = cli("--as", staff[dept], "--json", "task", "bulk", "urge", first.hex[:8], second.hex[:8], "--reason", "逾期请说明")
    assert bulk.exit_code == 0, bulk.output
    assert [r["result"] for r in json.loads(bulk.stdout)] == ["完成", "完成"]
    refused = cli("--as", staff[dept], "--json", "task", "bulk", "accept", second.hex[:8])
    assert "不能验收通过" in json.loads(refused.stdout)[0]["result"]
