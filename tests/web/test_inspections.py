"""Inspections, findings, interviews and rectifications through the web, from the finding to the
close-out, each step the domain command with the logged-in person as its actor."""

from __future__ import annotations

import re
from collections.abc import Callable
from uuid import UUID

from web_support import Browserless, World
from projections import chain_queries


def _field_branch(world: World) -> tuple[UUID, UUID]:
    """A flexible-team member and a branch of their 责任田."""
    branch = world.demo.branches[0]
    return world.demo.people.field_of[branch], branch


def test_a_finding_is_rectified_verified_and_closed(world: World, login_as: Callable[[str], Browserless]) -> None:
    inspector_id, branch = _field_branch(world)
    inspector = login_as(world.staff_no(inspector_id))
    page = inspector.get("/inspections")
    assert branch.hex in page.text
    recorded = inspector.post("/inspections", {
        "kind": "random", "org_id": branch.hex, "subject": "三会一课检查", "conducted_on": "2026-06-29",
        "findings": "党小组会记录缺失\n支委会未按月召开",
    }, page="/inspections")
    assert "反馈问题 2 个" in recorded.text
    world.system.catch_up()
    with world.system.engine.connect() as conn:
        finding = next(f for f in chain_queries.finding_list(conn, branch.hex) if f["description"] == "党小组会记录缺失")

    opened = inspector.post(f"/findings/{finding['finding_id']}/rectification",
                            {"owner": "", "requirement": "补齐党小组会记录", "deadline": "10个工作日"}, page="/inspections")
    assert "已启动整改" in opened.text
    rect = re.search(r"/chains/([0-9a-f]{32})", str(opened.url)).group(1)

    secretary = login_as(world.staff_no(world.demo.people.secretaries[branch]))
    version = world.system.app.rectification(UUID(rect)).version
    secretary.post(f"/rectifications/{rect}/plan", {"plan": "逐月补录", "expected_version": str(version)}, page=f"/chains/{rect}")
    reported = secretary.post(f"/rectifications/{rect}/complete", {"text": "已补齐 6 次记录"}, page=f"/chains/{rect}")
    assert "已报送整改完成" in reported.text
    refused = secretary.post(f"/rectifications/{rect}/verify", {"opinion": "自己验收"}, page=f"/chains/{rect}")
    assert refused.status_code == 422 and "不能验收自己的整改" in refused.text

    assert "验收通过" in inspector.get(f"/chains/{rect}").text
    inspector.post(f"/rectifications/{rect}/verify", {"opinion": "整改到位"}, page=f"/chains/{rect}")
    closed = inspector.post(f"/rectifications/{rect}/close", {}, page=f"/chains/{rect}")
    assert "整改已销号" in closed.text
    assert world.system.app.rectification(UUID(rect)).status == "closed"
    steps = re.findall(r'<li class="done">', closed.text)
    assert len(steps) == 5  # finding, rectification, completion, verification, close-out (no interview)


def test_discipline_inspection_records_an_interview_that_opens_a_rectification(
    world: World, login_as: Callable[[str], Browserless]
) -> None:
    discipline = login_as(world.staff_no(world.demo.people.discipline))
    branch = world.demo.branches[1]
    interviewee = world.staff_no(world.demo.people.secretaries[branch])
    scheduled = discipline.post("/interviews", {
        "interviewer": world.staff_no(world.demo.people.discipline), "interviewee": interviewee,
        "reason": "任务多次逾期", "planned_on": "2026-06-30",
    }, page="/inspections")
    assert "已安排约谈" in scheduled.text
    world.system.catch_up()
    with world.system.engine.connect() as conn:
        interview = next(i for i in chain_queries.interview_list(conn) if i["reason"] == "任务多次逾期")
    before = world.events()
    backwards = discipline.post(f"/interviews/{interview['interview_id']}/hold", {
        "held_on": "2026-06-30", "minutes": "指出问题", "commitments": "", "deadline": "2026-06-01", "requirement": "补齐任务",
    }, page="/inspections")
    assert backwards.status_code == 422 and "早于" in backwards.text
    assert world.events() == before
    held = discipline.post(f"/interviews/{interview['interview_id']}/hold", {
        "held_on": "2026-06-30", "minutes": "指出问题，提出要求", "commitments": "一周内补齐\n建立台账",
        "deadline": "20个工作日", "requirement": "限期补齐逾期任务",
    }, page="/inspections")
    assert held.status_code == 200 and "限期补齐逾期任务" in held.text and "进行约谈" in held.text


def test_a_future_inspection_date_and_a_secretarys_inspection_are_refused(
    world: World, login_as: Callable[[str], Browserless]
) -> None:
    inspector_id, branch = _field_branch(world)
    inspector = login_as(world.staff_no(inspector_id))
    before = world.events()
    future = inspector.post("/inspections", {"kind": "random", "org_id": branch.hex, "subject": "检查", "conducted_on": "2026-12-31", "findings": "x"}, page="/inspections")
    assert future.status_code == 422 and "晚于今天" in future.text
    secretary = login_as(world.staff_no(world.demo.people.secretaries[branch]))
    assert 'action="/inspections"' not in secretary.get("/inspections").text
    refused = secretary.post("/inspections", {"kind": "random", "org_id": branch.hex, "subject": "自己查自己", "conducted_on": "2026-06-30", "findings": "x"}, page="/")
    assert refused.status_code == 403 and "无权开展检查" in refused.text
    assert world.events() == before


def test_an_open_rectification_row_names_the_finding_it_comes_from(world: World, login_as: Callable[[str], Browserless]) -> None:
    leader = login_as(world.staff_no(world.demo.people.discipline))
    page = leader.get("/chains").text
    with world.system.engine.connect() as conn:
        rows = chain_queries.open_chains(conn, world.today)
        findings = {f["finding_id"]: f["description"] for f in chain_queries.finding_list(conn)}
    from_findings = [r for r in rows if r["source_kind"] == "finding"]
    assert from_findings and all(r["source_text"] == findings[r["source_id"]] for r in from_findings)
    assert f'<span class="kind">问题</span> {from_findings[0]["source_text"]}' in page
