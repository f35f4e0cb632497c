"""In headless Chromium: a task found by a two-character word and by a filter, a board count opened
onto the list it counts, then 催办, a comment with @mention, 转办 and bulk acceptance — each seen
in the timeline and in the recipient's inbox; the list and search pages fit a 390 px phone."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import UUID

from browser_support import signed_in
from web_support import World
from dutyloop.cli.notify import notifier_for


def _issue(world: World, branch: UUID, titles: list[str]) -> list[str]:
    return [task.hex for task in world.issue_tasks(branch, titles, date(2026, 7, 24))]


def _total(page: Any) -> int:
    return int(re.search(r"(\d+)", page.inner_text("#total")).group(1))


def _inbox(browser: Any, server: str, world: World, person: UUID) -> str:
    page = signed_in(browser, server, world.staff_no(person))
    page.goto("/inbox")
    text = page.inner_text("main")
    page.context.close()
    return text


def test_find_open_a_count_urge_comment_reassign_and_bulk_accept(browser: Any, server: str, world: World) -> None:
    notifier = notifier_for(world.system)
    people = world.demo.people
    branch = next(b for b in world.demo.branches[7:] if b in people.workers)
    other = next(b for b in world.demo.branches[7:] if b != branch)
    worker, secretary = people.workers[branch], people.secretaries[branch]
    urged, done_a, done_b = _issue(world, branch, ["整理支部党课台账", "报送组织生活会记录", "报送谈心谈话台账"])
    for task in (done_a, done_b):
        world.system.app.sign_for_task(secretary, UUID(task))
        world.system.app.report_task_done(secretary, UUID(task), [{"kind": "text", "value": "已完成"}])
    world.system.catch_up()

    dept = signed_in(browser, server, world.staff_no(people.party_dept[0]))
    dept.click("nav.mainnav a[href='/search']")
    dept.fill("#search-q", "党课")
    dept.press("#search-q", "Enter")
    dept.wait_for_selector("#search-results")
    assert dept.locator("#search-results mark", has_text="党课").count() >= 1
    dept.click(f"#search-results a[href='/tasks/{urged}']")
    dept.wait_for_url(f"**/tasks/{urged}")

    dept.click("nav.mainnav a[href='/tasks']")
    dept.select_option("#task-filters select[name=org]", branch.hex)
    dept.select_option("#task-filters select[name=status]", "reported_done")
    dept.click("#task-filters button")
    dept.wait_for_url("**/tasks?*status=reported_done*")
    assert _total(dept) == 2
    for task in (done_a, done_b):
        dept.check(f"#task-list input[value='{task}']")
    dept.select_option("#bulk select[name=action]", "accept")
    dept.click("#bulk button[value=picked]")
    dept.wait_for_selector(".notice-ok")
    assert "已办理 2 项，未办理 0 项" in dept.inner_text(".notice-ok")
    dept.goto(f"/tasks/{done_a}")
    assert "验收通过" in dept.inner_text("ol.timeline")

    dept.goto(f"/tasks/{urged}")
    dept.click("#urge summary")
    dept.fill("#urge input[name=note]", "请本周内完成台账整理")
    dept.click("#urge button")
    dept.wait_for_selector(".notice-ok")
    dept.fill("#comments textarea[name=text]", f"@{world.staff_no(worker)} 请协助核对党课记录")
    dept.click("#comments button")
    dept.wait_for_selector(".notice-ok")
    new_owner = people.secretaries[other]
    dept.click("#reassign summary")
    dept.fill("#reassign input[name=owner]", world.staff_no(new_owner))
    dept.fill("#reassign input[name=reason]", "职责调整")
    dept.click("#reassign button")
    dept.wait_for_selector(".notice-ok")
    timeline = dept.inner_text("ol.timeline")
    for seen in ("催办任务", "请本周内完成台账整理", "任务留言", "请协助核对党课记录", "转办任务", "职责调整", "→"):
        assert seen in timeline, seen
    notifier.run_once()
    assert "【催办】整理支部党课台账" in _inbox(browser, server, world, secretary)
    assert "【留言提到您】整理支部党课台账" in _inbox(browser, server, world, worker)
    assert "【任务转办】整理支部党课台账" in _inbox(browser, server, world, new_owner)
    dept.context.close()


def test_a_board_count_opens_its_list_and_the_list_fits_a_phone(browser: Any, server: str, world: World) -> None:
    leader = signed_in(browser, server, world.staff_no(world.demo.people.committee_secretary))
    leader.goto("/board")
    link = leader.locator("table.board a[data-count=tasks_overdue]").first
    counted = int(link.inner_text())
    link.click()
    leader.wait_for_url("**/tasks?*")
    assert _total(leader) == counted
    secretary = world.system.app.person(world.demo.people.secretaries[world.demo.branches[0]])
    leader.goto("/tasks")
    leader.fill("#task-filters input[name=person]", secretary.name)
    leader.wait_for_selector(f"#task-filters datalist option[value='{secretary.staff_no}']", state="attached")
    leader.set_viewport_size({"width": 390, "height": 844})
    for path in ("/tasks", "/search?q=整改", "/board"):
        leader.goto(path)
        width = leader.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    leader.context.close()
