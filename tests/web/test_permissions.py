"""Who may run which command through the JSON API: every role against every command, each on a
fresh target in the state the command needs. An allowed command answers 2xx and records; a
refused one answers 403 with a message that says who may not do what and why, and records
NOTHING (the event log's head does not move).

The expectations are the rules of the seed text as the domain implements them: the branch's own
secretary and party-affairs worker do its work; the party-building department and the committee
secretary (leaders above the branch) accept, return, decide extensions and cancel; discipline
inspection records interviews and checks rectifications; the flexible-team member inspects the
branches of their 责任田; an administrator manages the system but does not do the Party work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import pytest

from api_world import DEADLINE, PDF, ROLES, TODAY, ApiWorld, b64, build_api_world
from dutyloop.settings import Settings

SECRETARY_SIDE = {"secretary", "worker"}
SUPERVISORS = {"dept", "committee_secretary"}
INSPECTORS = {"dept", "committee_secretary", "discipline", "flexible"}
CHECKERS = {"dept", "committee_secretary", "discipline"}
MEETING_RUNNERS = {"secretary", "worker", "dept", "committee_secretary"}
VIEWERS = {"secretary", "worker", "dept", "committee_secretary", "discipline", "flexible", "admin"}


@dataclass(frozen=True)
class Case:
    """A command: how to prepare its target (returns path and body), who may run it, and the
    answer for roles that are refused for a reason other than permission."""

    prepare: Callable[[ApiWorld, str], tuple[str, dict[str, Any]]]
    allowed: set[str]
    other: dict[str, int] = field(default_factory=dict)


def _task(status: str, action: str, body: dict[str, Any]) -> Callable[[ApiWorld, str], tuple[str, dict[str, Any]]]:
    return lambda w, role: (f"/api/v1/tasks/{w.task(status)}/{action}", body)


def _rect(status: str, action: str, body: dict[str, Any]) -> Callable[[ApiWorld, str], tuple[str, dict[str, Any]]]:
    return lambda w, role: (f"/api/v1/rectifications/{w.rectification(status)}/{action}", body)


def _unfollow(w: ApiWorld, role: str) -> tuple[str, dict[str, Any]]:
    task = w.task()
    if role != "secretary":  # the owner cannot follow their own task
        # Made a follower by the issuer: not everyone may follow it of their own accord.
        w.app.follow_task(w.people["dept"], task, w.people[role])
        w.system.catch_up()
    return f"/api/v1/tasks/{task}/unfollow", {}


def _schedule(w: ApiWorld, role: str) -> tuple[str, dict[str, Any]]:
    return "/api/v1/interviews", {
        "interviewer_id": str(w.people["committee_secretary"]), "interviewee_id": str(w.people["secretary"]),
        "reason": "任务逾期未报", "planned_on": TODAY.isoformat(),
    }


def _break_down(w: ApiWorld, role: str) -> tuple[str, dict[str, Any]]:
    line = {"title": "分解任务", "org_id": str(w.branch_a), "owner_id": str(w.people["secretary"]), "deadline": DEADLINE.isoformat()}
    return f"/api/v1/tasks/{w.committee_task()}/break-down", {"tasks": [line]}


def _task_list(w: ApiWorld, role: str) -> tuple[str, dict[str, Any]]:
    meeting = w.held_meeting(org=w.branch_a, by="secretary")
    w.system.catch_up()
    line = {"title": "支部任务", "org_id": str(w.branch_a), "owner_id": str(w.people["worker"]), "working_days": 5}
    return f"/api/v1/meetings/{meeting}/task-list", {"tasks": [line]}


def _schedule_file(year: int) -> dict[str, Any]:
    text = f"{year}-01-01 holiday 元旦\n{year}-10-01 holiday 国庆节\n"
    return {"year": year, "filename": f"{year}.txt", "content_base64": b64(text.encode())}


DONE = {"note": "完成", "evidence": {"text": "已按要求完成", "files": [{"name": "proof.pdf", "content_base64": b64(PDF)}]}}

CASES: dict[str, Case] = {
    "task.sign": Case(_task("issued", "sign", {}), SECRETARY_SIDE),
    "task.progress": Case(_task("signed", "progress", {"note": "过半"}), SECRETARY_SIDE),
    "task.done": Case(_task("signed", "done", DONE), SECRETARY_SIDE),
    "task.extension": Case(_task("signed", "extension", {"deadline": "2026-08-14", "reason": "工作量大"}), SECRETARY_SIDE),
    "task.extension.approve": Case(_task("extension_requested", "extension/approve", {}), SUPERVISORS),
    "task.extension.refuse": Case(_task("extension_requested", "extension/refuse", {"reason": "时间充足"}), SUPERVISORS),
    "task.accept": Case(_task("reported_done", "accept", {"comment": "好"}), SUPERVISORS),
    "task.return": Case(_task("reported_done", "return", {"reason": "缺少照片"}), SUPERVISORS),
    "task.cancel": Case(_task("issued", "cancel", {"reason": "不再需要"}), SUPERVISORS),
    "task.break_down": Case(_break_down, {"flexible", "dept", "committee_secretary"}),
    # Following needs only that one may look at the task; its owner follows it already.
    "task.follow": Case(_task("issued", "follow", {}), VIEWERS - {"secretary"}, {"secretary": 422}),
    "task.unfollow": Case(_unfollow, set(ROLES) - {"secretary"}, {"secretary": 422}),
    "inspection.record": Case(
        lambda w, role: ("/api/v1/inspections", {"kind": "random", "org_id": str(w.branch_a), "subject": "三会一课", "findings": ["缺记录"]}),
        INSPECTORS,
    ),
    "finding.open_rectification": Case(
        lambda w, role: (f"/api/v1/findings/{w.finding()}/rectification",
                         {"owner_id": str(w.people["secretary"]), "requirement": "补齐", "deadline": DEADLINE.isoformat()}),
        INSPECTORS,
    ),
    "interview.schedule": Case(_schedule, {"committee_secretary", "discipline"}),
    "interview.hold": Case(
        lambda w, role: (f"/api/v1/interviews/{w.interview()}/held",
                         {"held_on": TODAY.isoformat(), "minutes": "谈话记录", "commitments": ["一周内补报"],
                          "requirement": "限期整改", "working_days": 10}),
        {"committee_secretary", "discipline"},
    ),
    "rectification.plan": Case(_rect("opened", "plan", {"plan": "逐项补齐"}), SECRETARY_SIDE),
    "rectification.progress": Case(_rect("opened", "progress", {"note": "已补一半"}), SECRETARY_SIDE),
    "rectification.completion": Case(_rect("opened", "completion", DONE), SECRETARY_SIDE),
    # Nobody verifies their own rectification: the owner is refused as such (422), not as a stranger.
    "rectification.verify": Case(_rect("completion_reported", "verify", {"opinion": "合格"}), CHECKERS, {"secretary": 422}),
    "rectification.return": Case(_rect("completion_reported", "return", {"reason": "不完整"}), CHECKERS, {"secretary": 422}),
    "rectification.close": Case(_rect("verified", "close", {}), CHECKERS, {"secretary": 422}),
    "meeting.plan": Case(
        lambda w, role: ("/api/v1/meetings", {"kind": "other", "org_id": str(w.branch_a), "title": "支委会", "planned_on": TODAY.isoformat()}),
        MEETING_RUNNERS,
    ),
    "meeting.minutes": Case(
        lambda w, role: (f"/api/v1/meetings/{w.planned_meeting()}/minutes",
                         {"held_on": TODAY.isoformat(), "attendee_ids": [str(w.people["secretary"])], "decisions": ["开展主题党日"]}),
        MEETING_RUNNERS,
    ),
    "meeting.task_list": Case(_task_list, MEETING_RUNNERS),
    "calendar.preview": Case(lambda w, role: ("/api/v1/calendar/preview", _schedule_file(2090 + ROLES.index(role))), {"admin"}),
    "calendar.load": Case(
        lambda w, role: ("/api/v1/calendar/load", {**_schedule_file(2090 + ROLES.index(role)), "source": "测试通知"}), {"admin"}
    ),
}
RECORDS_NOTHING = {"calendar.preview"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiWorld]:
    built = build_api_world(Settings(data_dir=tmp_path_factory.mktemp("api-permissions")))
    yield built
    built.client.close()
    built.system.close()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_every_role_against_every_command(world: ApiWorld, name: str, role: str) -> None:
    case = CASES[name]
    path, body = case.prepare(world, role)
    before = world.head()
    response = world.post(role, path + "?lang=en", body)
    if role in case.allowed:
        assert response.status_code in (200, 201), (name, role, response.text)
        assert response.json()["ok"] is True
        if name not in RECORDS_NOTHING:
            assert world.head() > before, f"{name} by {role} answered 2xx but recorded nothing"
        return
    expected = case.other.get(role, 403)
    assert response.status_code == expected, (name, role, response.text)
    refusal = response.json()
    assert refusal["recorded"] is False and refusal["message"]
    if expected == 403:
        assert refusal["code"] == "not_permitted"
        assert "may not" in refusal["message"], refusal["message"]
    assert world.head() == before, f"{name} refused for {role} but something was recorded"


def test_the_table_covers_every_command_the_api_exposes(world: ApiWorld) -> None:
    """A new command in the API without a row here fails this test."""
    document = world.client.get("/openapi.json").json()
    ours = {"tasks", "inspections and rectifications", "meetings", "calendar"}
    posts = sorted(path for path, item in document["paths"].items() if "post" in item and ours & set(item["post"]["tags"]))
    assert len(posts) == len(CASES), posts


def test_a_refusal_reads_in_the_callers_language(world: ApiWorld) -> None:
    path, body = CASES["task.accept"].prepare(world, "secretary")
    chinese = world.post("secretary", path, body)
    english = world.post("secretary", path, body, **{"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"})
    assert chinese.status_code == english.status_code == 403
    assert "无权验收通过" in chinese.json()["message"]
    assert "may not accepted" in english.json()["message"] or "may not accept" in english.json()["message"]


def test_reads_show_only_what_the_caller_may_see(world: ApiWorld) -> None:
    task = world.task()
    assert world.get("secretary", f"/api/v1/tasks/{task}").status_code == 200
    assert world.get("discipline", f"/api/v1/tasks/{task}").status_code == 200
    assert world.get("other_secretary", f"/api/v1/tasks/{task}").status_code == 403
    assert world.get("member", f"/api/v1/tasks/{task}").status_code == 403
    assert task not in {UUID(t["task_id"]) for t in world.get("other_secretary", "/api/v1/tasks").json()}
    assert task in {UUID(t["task_id"]) for t in world.get("dept", "/api/v1/tasks").json()}
    assert world.get("secretary", "/api/v1/board").status_code == 403
    assert world.get("committee_secretary", "/api/v1/board").status_code == 200
    assert world.get("dept", "/api/v1/status").status_code == 403
    assert world.get("admin", "/api/v1/status").status_code == 200
    assert world.get("admin", "/api/v1/calendar/status").status_code == 200
    assert world.get("secretary", "/api/v1/calendar/status").status_code == 403

