"""我的工作 lists every task still in the loop and only the closed ones most recently due, with a
link to the task list for all of them (a branch past a thousand tasks no longer renders its history)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from dutyloop.web.work import RECENT_CLOSED
from projections.tables import tasks
from projections.task_finder import CLOSED_TASK, work_condition
from web_support import Browserless, World


def test_home_shows_the_open_tasks_and_the_ten_latest_closed(world: World, login_as: Callable[[str], Browserless]) -> None:
    branch = world.demo.branches[2]
    secretary = world.demo.people.secretaries[branch]
    dept = world.demo.people.party_dept[0]
    ids = world.issue_tasks(branch, ["仍在办的督办任务"] + [f"已撤销的督办任务{n:02d}" for n in range(RECENT_CLOSED + 2)])
    for task_id in ids[1:]:
        world.system.app.cancel_task(dept, task_id, "重复下发")
    world.system.catch_up()
    with world.system.engine.connect() as conn:
        closed = conn.execute(
            select(func.count()).select_from(tasks).where(work_condition((branch.hex,), secretary.hex, CLOSED_TASK))
        ).scalar_one()
    assert closed >= RECENT_CLOSED + 2

    person = login_as(world.staff_no(secretary))
    home = person.get("/").text
    current, recent = home.split('id="closed"', 1)
    assert "仍在办的督办任务" in current and "已撤销的督办任务" not in current
    shown = recent.split("</table>", 1)[0]
    assert shown.count('href="/tasks/') == RECENT_CLOSED
    assert shown.count("已撤销的督办任务") == RECENT_CLOSED, "the closed tasks most recently due come first"
    assert f"全部已办结任务（{closed}）" in recent

    listed = person.get("/tasks?mine=1&status=accepted&status=cancelled&sort=deadline&order=desc&per_page=200").text
    assert all(f"已撤销的督办任务{n:02d}" in listed for n in range(RECENT_CLOSED + 2))
