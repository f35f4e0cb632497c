"""催办, comments with @mentions and 转办 through the web: each stands in the timeline and reaches
the person concerned in their inbox; bulk actions run one command per task, each refusal shown."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from uuid import UUID

from web_support import Browserless, World
from domain.commands.task_lists import TaskSpec
from domain.task import Deadline
from domain.vocabulary import MeetingKind
from dutyloop.cli.notify import notifier_for


def _issue(world: World, branch: UUID, titles: list[str]) -> list[str]:
    app, people = world.system.app, world.demo.people
    meeting = app.plan_meeting(people.party_dept[0], MeetingKind.SECRETARIES, world.demo.committee_id, "督办例会", world.today)
    app.record_minutes(people.party_dept[0], meeting, world.today, [people.secretaries[branch]], ["部署督办事项"])
    ids = app.issue_task_list(people.party_dept[0], meeting, [
        TaskSpec(title, branch, people.secretaries[branch], Deadline(on=date(2026, 7, 20))) for title in titles
    ])
    return [task.hex for task in ids]


def _inbox(person: Browserless) -> str:
    return person.get("/inbox").text


def test_urge_comment_and_reassign_reach_the_people_concerned(world: World, login_as: Callable[[str], Browserless]) -> None:
    notifier = notifier_for(world.system)
    people = world.demo.people
    owner_branch = next(b for b in world.demo.branches[4:] if b in people.workers)
    new_branch = next(b for b in world.demo.branches[4:] if b != owner_branch)
    worker = people.workers[owner_branch]
    [task] = _issue(world, owner_branch, ["报送党费收缴台账"])
    dept = login_as(world.staff_no(people.party_dept[0]))

    urged = dept.post(f"/tasks/{task}/urge", {"note": "请于本周五前报送"}, page=f"/tasks/{task}")
    assert "已催办" in urged.text and "催办任务" in urged.text and "请于本周五前报送" in urged.text
    commented = dept.post(f"/tasks/{task}/comment", {"text": f"@{world.staff_no(worker)} 请协助整理"}, page=f"/tasks/{task}")
    assert "任务留言" in commented.text and "请协助整理" in commented.text
    unknown = dept.post(f"/tasks/{task}/comment", {"text": "@不存在的人 看一下"}, page=f"/tasks/{task}")
    assert unknown.status_code == 404 and "找不到人员：不存在的人" in unknown.text
    new_owner = people.secretaries[new_branch]
    moved = dept.post(f"/tasks/{task}/reassign", {"owner": world.staff_no(new_owner), "reason": "职责调整"}, page=f"/tasks/{task}")
    assert "转办任务" in moved.text and "职责调整" in moved.text and "→" in moved.text
    notifier.run_once()

    owner = login_as(world.staff_no(people.secretaries[owner_branch]))
    assert "【催办】报送党费收缴台账" in _inbox(owner) and "【任务转办】报送党费收缴台账" in _inbox(owner)
    assert "【留言提到您】报送党费收缴台账" in _inbox(login_as(world.staff_no(worker)))
    successor = login_as(world.staff_no(new_owner))
    assert "【任务转办】报送党费收缴台账" in _inbox(successor)
    listed = successor.get(f"/tasks?person={world.staff_no(new_owner)}&status=issued").text
    assert f"/tasks/{task}" in listed
    signed = successor.post(f"/tasks/{task}/sign", {}, page=f"/tasks/{task}")
    assert signed.status_code == 200 and "签收任务" in successor.get(f"/tasks/{task}").text
