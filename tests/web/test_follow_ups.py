"""催办, comments with @mentions and 转办 through the web: each stands in the timeline and reaches
the person concerned in their inbox; bulk actions run one command per task, each refusal shown."""

from __future__ import annotations

import re
from collections.abc import Callable
from uuid import UUID

from web_support import Browserless, World
from dutyloop.cli.notify import notifier_for


def _issue(world: World, branch: UUID, titles: list[str]) -> list[str]:
    return [task.hex for task in world.issue_tasks(branch, titles)]


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


def test_bulk_accept_runs_one_command_per_task_and_shows_each_refusal(world: World, login_as: Callable[[str], Browserless]) -> None:
    people = world.demo.people
    branch = world.demo.branches[6]
    secretary_id = people.secretaries[branch]
    tasks = _issue(world, branch, ["报送学习台账", "报送党课记录", "报送谈心谈话记录"])
    app = world.system.app
    for task in tasks[:2]:
        app.sign_for_task(secretary_id, UUID(task))
        app.report_task_done(secretary_id, UUID(task), [{"kind": "text", "value": "已完成"}])
    world.system.catch_up()
    dept = login_as(world.staff_no(people.party_dept[0]))
    listed = f"/tasks?org={branch.hex}&scope=self"
    result = dept.post(f"/tasks/bulk?org={branch.hex}&scope=self",
                       {"task": tasks, "action": "accept", "text": "同意", "scope": "picked", "back": listed}, page=listed)
    assert result.url.path == "/tasks" and "已办理 2 项，未办理 1 项" in result.text
    assert "报送谈心谈话记录：任务当前状态为“已下达”，不能验收通过" in result.text
    assert [app.task(UUID(t)).status for t in tasks] == ["accepted", "accepted", "issued"]
    assert "验收通过" in dept.get(f"/tasks/{tasks[0]}").text

    api = dept.client.post("/api/v1/tasks/bulk", json={"action": "urge", "task_ids": tasks, "text": "请抓紧"},
                           headers={"X-CSRF-Token": dept.client.get("/api/v1/me").json()["csrf_token"]})
    assert api.status_code == 200, api.text
    assert [o["ok"] for o in api.json()] == [False, False, True] and api.json()[0]["code"] == "wrong_state"


def test_every_overdue_task_of_a_list_is_urged(world: World, login_as: Callable[[str], Browserless]) -> None:
    people = world.demo.people
    overdue = world.overdue_secretary_task()
    dept = login_as(world.staff_no(people.party_dept[0]))
    query = f"org={overdue['org_id']}&scope=self"
    listed = dept.get(f"/tasks?{query}&level=overdue&level=seriously_overdue").text
    count = int(re.search(r'<span id="total">共 (\d+) 项</span>', listed).group(1))
    urged = dept.post(f"/tasks/bulk?{query}", {"scope": "overdue", "text": "逾期请说明", "back": f"/tasks?{query}"}, page=f"/tasks?{query}")
    assert f"已办理 {count} 项，未办理 0 项" in urged.text
    assert "逾期请说明" in dept.get(f"/tasks/{overdue['id']}").text


def test_the_inbox_pages_past_fifty_messages(world: World, login_as: Callable[[str], Browserless]) -> None:
    notifier = notifier_for(world.system)
    people = world.demo.people
    branch = world.demo.branches[8]
    [task] = _issue(world, branch, ["报送主题党日台账"])
    for n in range(55):
        world.system.app.urge_task(people.party_dept[0], UUID(task), f"第{n + 1}次催办")
    notifier.run_once()
    secretary = login_as(world.staff_no(people.secretaries[branch]))
    first = secretary.get("/inbox").text
    assert 'rel="next"' in first and first.count("<li") >= 50
    second = secretary.get("/inbox?page=2").text
    assert 'rel="prev"' in second and "【催办】报送主题党日台账" in second
    assert secretary.get("/inbox?page=0").status_code == 422
