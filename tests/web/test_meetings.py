"""Meetings through the web: plan, minutes, a task list of many rows and an imported .xlsx issued
in one write, a task broken down to branches; bad rows are named and record nothing."""

from __future__ import annotations

import io
import re
import threading
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

import httpx2
import pytest
from openpyxl import Workbook, load_workbook

from hostile_files import bombs
from dutyloop.web.threaded import serving
from web_support import Browserless, World
from dutyloop.web.tasklines import template

HEADER = ["任务", "责任组织", "责任人", "完成时限", "要求"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _planned(world: World, person: Browserless) -> str:
    committee = world.demo.committee_id.hex
    page = person.post("/meetings", {"kind": "work_group", "org_id": committee, "title": "党建工作小组第三季度例会", "planned_on": "2026-06-30"}, page="/meetings")
    assert page.status_code == 200 and "已安排会议" in page.text
    return re.search(r"/meetings/([0-9a-f]{32})", str(page.url)).group(1)


def test_party_building_staff_run_a_meeting_and_issue_its_task_list(world: World, login_as: Callable[[str], Browserless]) -> None:
    person = login_as(world.staff_no(world.demo.people.party_dept[0]))
    meeting = _planned(world, person)
    secretaries = [world.staff_no(world.demo.people.secretaries[o]) for o in world.demo.branches[:2]]
    minutes = person.post(f"/meetings/{meeting}/minutes", {
        "held_on": "2026-06-30", "attendees": "、".join(secretaries), "decisions": "部署第三季度重点工作\n开展主题党日", "summary": "",
    }, page=f"/meetings/{meeting}")
    assert "已记录会议纪要" in minutes.text and "开展主题党日" in minutes.text

    names = [world.system.app.organisation(o).name for o in world.demo.branches[:3]]
    before = world.events()
    bad = person.post(f"/meetings/{meeting}/issue", {
        "title": ["开展主题党日", "规范三会一课"], "org": [world.demo.branches[0].hex, world.demo.branches[1].hex],
        "owner": ["", ""], "deadline": ["10个工作日", ""], "requirements": ["", ""],
    }, page=f"/meetings/{meeting}")
    assert bad.status_code == 422 and "第 2 行" in bad.text and "完成时限" in bad.text
    assert world.events() == before

    sheet = _xlsx([["党费收缴核对", names[2], "", "2026-07-20", "报送核对表"], ["意识形态工作分析", names[0], secretaries[0], "15个工作日", ""]])
    issued = person.post(f"/meetings/{meeting}/issue", {
        "title": ["开展主题党日", "规范三会一课", ""], "org": [world.demo.branches[0].hex, world.demo.branches[1].hex, ""],
        "owner": ["", secretaries[1], ""], "deadline": ["10个工作日", "2026-07-31", ""], "requirements": ["报送方案", "", ""],
    }, files=[("sheet", ("任务清单.xlsx", sheet, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))], page=f"/meetings/{meeting}")
    assert issued.status_code == 200 and "已下达 4 项任务" in issued.text
    assert world.events() == before + 4
    for title in ("开展主题党日", "规范三会一课", "党费收缴核对", "意识形态工作分析"):
        assert title in issued.text


def test_a_committee_task_is_broken_down_to_branches(world: World, login_as: Callable[[str], Browserless]) -> None:
    person = login_as(world.staff_no(world.demo.people.party_dept[0]))
    meeting = _planned(world, person)
    person.post(f"/meetings/{meeting}/minutes", {"held_on": "2026-06-30", "attendees": world.staff_no(world.demo.people.committee_secretary), "decisions": "全面推进标准化建设"}, page=f"/meetings/{meeting}")
    committee = world.demo.committee_id.hex
    page = person.post(f"/meetings/{meeting}/issue", {"title": ["标准化建设推进"], "org": [committee], "owner": [world.staff_no(world.demo.people.party_dept[0])], "deadline": ["2026-08-31"], "requirements": [""]}, page=f"/meetings/{meeting}")
    task = re.search(r'href="/tasks/([0-9a-f]{32})">标准化建设推进', page.text).group(1)
    form = person.get(f"/tasks/{task}/break-down")
    assert form.status_code == 200
    offered = re.findall(r'<select name="org"[^>]*>(.*?)</select>', form.text, re.S)[0]
    assert f'value="{world.demo.branches[0].hex}"' in offered and f'value="{committee}"' not in offered, "broken down to those under it"
    before = world.events()
    late = person.post(f"/tasks/{task}/break-down", {"title": ["支部自查"], "org": [world.demo.branches[0].hex], "owner": [""], "deadline": ["2026-09-30"], "requirements": [""]}, page=f"/tasks/{task}/break-down")
    assert late.status_code == 422 and "晚于上级任务的时限" in late.text
    assert world.events() == before
    done = person.post(f"/tasks/{task}/break-down", {
        "title": ["支部自查", "支部自查"], "org": [world.demo.branches[0].hex, world.demo.branches[1].hex],
        "owner": ["", ""], "deadline": ["2026-08-14", "2026-08-14"], "requirements": ["", ""],
    }, page=f"/tasks/{task}/break-down")
    assert "已分解为 2 项任务" in done.text
    children = world.system.app.task(UUID(task)).child_ids
    assert len(children) == 2


def test_a_secretary_cannot_plan_the_committees_meetings(world: World, login_as: Callable[[str], Browserless]) -> None:
    person = login_as(world.staff_no(world.demo.people.secretaries[world.demo.branches[0]]))
    page = person.get("/meetings")
    assert world.demo.committee_id.hex not in page.text
    before = world.events()
    refused = person.post("/meetings", {"kind": "work_group", "org_id": world.demo.committee_id.hex, "title": "越权会议", "planned_on": "2026-06-30"}, page="/meetings")
    assert refused.status_code == 403 and "无权安排会议" in refused.text
    assert world.events() == before
    wrong_date = person.post("/meetings", {"kind": "other", "org_id": world.demo.branches[0].hex, "title": "支委会", "planned_on": "30/06/2026"}, page="/meetings")
    assert wrong_date.status_code == 422 and "YYYY-MM-DD" in wrong_date.text
    assert world.events() == before


def test_the_template_opens_with_the_columns_the_import_reads() -> None:
    sheet = load_workbook(io.BytesIO(template(english=False))).active
    assert [c.value for c in sheet[1]] == ["任务", "责任组织", "责任人", "完成时限", "要求"]


@pytest.fixture(scope="module")
def hostile() -> dict[str, bytes]:
    return bombs(HEADER)


def test_a_sheet_that_declares_or_unpacks_to_too_much_is_refused_unread(
    world: World, login_as: Callable[[str], Browserless], hostile: dict[str, bytes],
) -> None:
    person = login_as(world.staff_no(world.demo.people.party_dept[0]))
    meeting = _planned(world, person)
    before = world.events()
    for name, content in hostile.items():
        refused = person.post(f"/meetings/{meeting}/issue", files=[("sheet", ("任务清单.xlsx", content, XLSX))], page=f"/meetings/{meeting}")
        assert refused.status_code == 422, name
        assert "任务清单.xlsx" in refused.text and "上限" in refused.text, name
    assert world.events() == before


def test_the_server_answers_others_while_a_blank_row_bomb_is_uploaded(
    world: World, web_app: Any, login_as: Callable[[str], Browserless], hostile: dict[str, bytes],
) -> None:
    """Before: a 14 KB sheet of a million blank rows held the event loop for 14.7 s and every
    request waited. Now it is refused unread, in a worker thread, and others are answered."""
    with serving(web_app) as base, httpx2.Client(base_url=base, timeout=60, follow_redirects=True) as uploader, httpx2.Client(base_url=base, timeout=60) as other:
        person = Browserless(uploader)  # type: ignore[arg-type]
        assert person.login(world.staff_no(world.demo.people.party_dept[0])).url.path == "/"
        meeting = _planned(world, person)
        answers: list[int] = []

        def upload() -> None:
            for _ in range(6):
                answer = person.post(f"/meetings/{meeting}/issue", files=[("sheet", ("bomb.xlsx", hostile["a million blank rows"], XLSX))],
                                     page=f"/meetings/{meeting}")
                answers.append(answer.status_code)

        sender = threading.Thread(target=upload)
        sender.start()
        waits = []
        while sender.is_alive():
            started = time.monotonic()
            assert other.get("/login").status_code == 200
            waits.append(time.monotonic() - started)
        sender.join()
    assert answers == [422] * 6
    assert waits and max(waits) < 1.0, f"a concurrent request waited {max(waits):.2f} s"


def test_a_branch_secretary_issues_tasks_from_their_own_branch_meeting(world: World, login_as: Callable[[str], Browserless]) -> None:
    branch = world.demo.branches[3]
    secretary = world.demo.people.secretaries[branch]
    person = login_as(world.staff_no(secretary))
    planned = person.post("/meetings", {"kind": "other", "org_id": branch.hex, "title": "支委会（七月）", "planned_on": "2026-06-30"}, page="/meetings")
    assert planned.status_code == 200 and "已安排会议" in planned.text, planned.text[-1500:]
    meeting = re.search(r"/meetings/([0-9a-f]{32})", str(planned.url)).group(1)
    page = person.post(f"/meetings/{meeting}/minutes", {"held_on": "2026-06-30", "attendees": world.staff_no(secretary), "decisions": "整理党员档案"}, page=f"/meetings/{meeting}")
    offered = re.findall(r'<select name="org"[^>]*>(.*?)</select>', page.text, re.S)[0]
    assert f'value="{branch.hex}"' in offered, "the branch's own meeting gives tasks to the branch"
    before = world.events()
    issued = person.post(f"/meetings/{meeting}/issue", {"title": ["整理党员档案"], "org": [branch.hex], "owner": [""], "deadline": ["2026-07-31"], "requirements": [""]}, page=f"/meetings/{meeting}")
    assert issued.status_code == 200 and "已下达 1 项任务" in issued.text
    assert world.events() == before + 1
