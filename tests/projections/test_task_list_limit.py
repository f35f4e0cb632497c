"""A task list cut at its limit keeps every open task: the limit bounds the finished ones, the
most recent kept, so the newest open tasks of a busy branch never drop off its list."""

from __future__ import annotations

from datetime import timedelta

from domain.clock import ManualClock
from domain.commands.task_lists import TaskSpec
from domain.task import Deadline
from domain.vocabulary import MeetingKind
from dutyloop.wiring import System
from projections import task_queries
from views_support import EVIDENCE, build_world


def test_open_tasks_past_the_limit_stay_on_the_list(system: System, clock: ManualClock) -> None:
    app = system.app
    w = build_world(app, clock, branches=1)
    [org] = w.branches
    secretary = w.secretaries[org]
    meeting = app.plan_meeting(w.dept, MeetingKind.SECRETARIES, w.committee, "年度部署会", w.today)
    app.record_minutes(w.dept, meeting, w.today, [w.dept, secretary], ["部署全年任务"])
    specs = [TaskSpec(f"任务{n:02d}", org, secretary, Deadline(on=w.today + timedelta(days=10 * n))) for n in range(1, 9)]
    ids = app.issue_task_list(w.dept, meeting, specs)
    for task in ids[:4]:  # the four earliest deadlines are done and accepted
        app.sign_for_task(secretary, task)
        app.report_task_done(secretary, task, EVIDENCE)
        app.accept_task(w.dept, task)
    system.catch_up()
    with system.engine.connect() as conn:
        short = task_queries.task_list(conn, org_id=org.hex, limit=2)
        longer = task_queries.task_list(conn, org_id=org.hex, limit=6)
        mine = task_queries.task_list(conn, owner_id=secretary.hex, limit=3)

    latest_open = [f"任务{n:02d}" for n in range(5, 9)]
    assert [t["title"] for t in short] == latest_open
    assert [t["title"] for t in mine] == latest_open
    # Room left under the limit goes to the most recently due finished tasks, the list by deadline.
    assert [t["title"] for t in longer] == ["任务03", "任务04", *latest_open]
    assert [t["status"] for t in longer[:2]] == ["accepted", "accepted"]
