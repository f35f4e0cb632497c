"""The JSON API's commands: a task's whole life through the API, evidence files kept only when the
report is recorded, a stale write refused with 409, and bad input of every kind refused with
422/404 naming what is wrong — each refusal recording nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from api_world import DEADLINE, PDF, TODAY, ApiWorld, b64, build_api_world
from dutyloop.settings import Settings

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiWorld]:
    built = build_api_world(Settings(data_dir=tmp_path_factory.mktemp("api-commands")))
    yield built
    built.client.close()
    built.system.close()


def evidence_files(world: ApiWorld) -> list[Path]:
    return sorted((world.system.settings.data_dir / "evidence").rglob("*.*"))


def test_a_task_from_issue_to_acceptance_through_the_api(world: ApiWorld) -> None:
    meeting = world.post("dept", "/api/v1/meetings", {"kind": "work_group", "org_id": str(world.committee),
                                                      "title": "党建工作小组例会", "planned_on": TODAY.isoformat()})
    assert meeting.status_code == 201, meeting.text
    meeting_id = meeting.json()["id"]
    minutes = world.post("dept", f"/api/v1/meetings/{meeting_id}/minutes",
                         {"held_on": TODAY.isoformat(), "attendee_ids": [str(world.people["dept"])], "decisions": ["规范三会一课"]})
    assert minutes.status_code == 200, minutes.text
    issued = world.post("dept", f"/api/v1/meetings/{meeting_id}/task-list", {"tasks": [
        {"title": "规范“三会一课”记录", "org_id": str(world.branch_a), "owner_id": str(world.people["secretary"]),
         "working_days": 10, "requirements": "形成台账"},
    ]})
    assert issued.status_code == 201, issued.text
    (task_id,) = issued.json()["ids"]
    detail = world.get("secretary", f"/api/v1/tasks/{task_id}").json()
    assert detail["status"] == "issued" and detail["deadline"] == "2026-07-14" and detail["deadline_rule"] == "10 working days"
    assert world.post("secretary", f"/api/v1/tasks/{task_id}/sign", {"expected_version": detail["version"]}).status_code == 200
    assert world.post("secretary", f"/api/v1/tasks/{task_id}/progress", {"note": "已整理一半"}).status_code == 200
    before = evidence_files(world)
    done = world.post("worker", f"/api/v1/tasks/{task_id}/done", {"note": "已完成", "evidence": {
        "text": "台账已建立", "links": ["https://example.org/tz"], "files": [{"name": "台账.pdf", "content_base64": b64(PDF)}]}})
    assert done.status_code == 200, done.text
    stored = sorted(set(evidence_files(world)) - set(before))
    assert len(stored) == 1 and stored[0].read_bytes() == PDF
    accepted = world.post("committee_secretary", f"/api/v1/tasks/{task_id}/accept", {"comment": "好", "expected_version": done.json()["version"]})
    assert accepted.status_code == 200, accepted.text
    final = world.get("dept", f"/api/v1/tasks/{task_id}").json()
    assert final["status"] == "accepted"
    assert [e["event_type"] for e in final["timeline"]] == [
        "TaskIssued", "TaskSignedFor", "TaskProgressReported", "TaskReportedDone", "TaskAccepted"]
    reported = final["timeline"][3]
    assert reported["actor_name"] == "worker"
    kinds = [item["kind"] for item in reported["details"]["evidence"]]
    assert kinds == ["text", "link", "file"]


def test_a_rectification_chain_through_the_api(world: ApiWorld) -> None:
    inspection = world.post("flexible", "/api/v1/inspections", {
        "kind": "centralised", "org_id": str(world.branch_a), "subject": "支部标准化", "findings": ["记录不全", ""]})
    assert inspection.status_code == 201, inspection.text
    (finding,) = inspection.json()["ids"]
    opened = world.post("flexible", f"/api/v1/findings/{finding}/rectification", {
        "owner_id": str(world.people["secretary"]), "requirement": "补齐记录", "working_days": 5})
    rect = opened.json()["id"]
    assert world.post("worker", f"/api/v1/rectifications/{rect}/plan", {"plan": "逐项补齐"}).status_code == 200
    assert world.post("secretary", f"/api/v1/rectifications/{rect}/completion",
                      {"evidence": {"text": "已补齐"}}).status_code == 200
    assert world.post("discipline", f"/api/v1/rectifications/{rect}/verify", {"opinion": "合格"}).status_code == 200
    assert world.post("discipline", f"/api/v1/rectifications/{rect}/close", {}).status_code == 200
    chain = world.get("discipline", f"/api/v1/chains/{finding}").json()
    assert [r["status"] for r in chain["rectifications"]] == ["closed"]
    assert chain["timeline"][0]["event_type"] == "FindingRaised"
    assert chain["timeline"][-1]["event_type"] == "RectificationClosed"


def test_a_stale_write_is_refused_with_409_and_records_nothing(world: ApiWorld) -> None:
    task = world.task("signed")
    seen = world.get("secretary", f"/api/v1/tasks/{task}").json()["version"]
    first = world.post("secretary", f"/api/v1/tasks/{task}/progress", {"note": "甲", "expected_version": seen})
    assert first.status_code == 200
    before = world.head()
    second = world.post("worker", f"/api/v1/tasks/{task}/progress?lang=en", {"note": "乙", "expected_version": seen})
    assert second.status_code == 409
    assert second.json()["code"] == "concurrent_edit"
    assert "changed by someone else" in second.json()["message"]
    assert world.head() == before


BadCase = Callable[[ApiWorld], tuple[str, str, Any]]

BAD_INPUT: dict[str, tuple[BadCase, int, str] | tuple[BadCase, int, str, str]] = {
    # name: (what to send, the answer, the field named, and the words that name it if not the field)
    "missing note": (lambda w: ("secretary", f"/api/v1/tasks/{w.task('signed')}/progress", {}), 422, "note"),
    "a deadline that is not a date": (
        lambda w: ("secretary", f"/api/v1/tasks/{w.task('signed')}/extension", {"deadline": "2026-13-01", "reason": "忙"}), 422, "deadline"),
    "an extension not later than the deadline": (
        lambda w: ("secretary", f"/api/v1/tasks/{w.task('signed')}/extension", {"deadline": "2026-07-01", "reason": "忙"}), 422, ""),
    "an unknown field": (lambda w: ("secretary", f"/api/v1/tasks/{w.task()}/sign", {"expected_versoin": 1}), 422, "expected_versoin"),
    "a malformed task id": (lambda w: ("secretary", "/api/v1/tasks/not-a-task/sign", {}), 422, "task_id"),
    "an unknown task": (lambda w: ("secretary", f"/api/v1/tasks/{uuid4()}/sign", {}), 404, ""),
    "an unknown organisation": (
        lambda w: ("dept", "/api/v1/meetings", {"kind": "other", "org_id": str(uuid4()), "title": "会", "planned_on": TODAY.isoformat()}),
        422, "org_id"),
    "an unknown owner in a task list": (
        lambda w: ("dept", f"/api/v1/meetings/{w.held_meeting()}/task-list", {"tasks": [
            {"title": "任务", "org_id": str(w.branch_a), "owner_id": str(uuid4()), "deadline": DEADLINE.isoformat()}]}),
        422, "tasks.0.owner_id"),
    "both a date and working days": (
        lambda w: ("dept", f"/api/v1/meetings/{w.held_meeting()}/task-list", {"tasks": [
            {"title": "任务", "org_id": str(w.branch_a), "owner_id": str(w.people["secretary"]),
             "deadline": DEADLINE.isoformat(), "working_days": 3}]}),
        422, "tasks.0"),
    "an empty task list": (lambda w: ("dept", f"/api/v1/meetings/{w.held_meeting()}/task-list", {"tasks": []}), 422, "tasks"),
    "an unknown inspection kind": (
        lambda w: ("discipline", "/api/v1/inspections", {"kind": "surprise", "org_id": str(w.branch_a), "subject": "x"}), 422, "kind"),
    "zero working days": (
        lambda w: ("committee_secretary", f"/api/v1/interviews/{w.interview()}/held", {
            "held_on": TODAY.isoformat(), "minutes": "m", "requirement": "r", "working_days": 0}), 422, "working_days"),
    "no evidence": (lambda w: ("secretary", f"/api/v1/tasks/{w.task('signed')}/done", {"evidence": {}}), 422, ""),
    "a link that is not a web address": (
        lambda w: ("secretary", f"/api/v1/tasks/{w.task('signed')}/done", {"evidence": {"links": ["ftp://x"]}}), 422, "link"),
    "a file of a type we do not keep": (
        lambda w: ("secretary", f"/api/v1/tasks/{w.task('signed')}/done",
                   {"evidence": {"files": [{"name": "run.exe", "content_base64": b64(b"MZ\x90\x00")}]}}), 422, ""),
    "a file whose content is not its type": (
        lambda w: ("secretary", f"/api/v1/tasks/{w.task('signed')}/done",
                   {"evidence": {"files": [{"name": "scan.pdf", "content_base64": b64(PNG)}]}}), 422, ""),
    "a file that is not base64": (
        lambda w: ("secretary", f"/api/v1/tasks/{w.task('signed')}/done",
                   {"evidence": {"files": [{"name": "scan.pdf", "content_base64": "%%%"}]}}), 422, "evidence.files.0.content_base64"),
    "a file over the size limit": (
        lambda w: ("secretary", f"/api/v1/tasks/{w.task('signed')}/done",
                   {"evidence": {"files": [{"name": "big.pdf", "content_base64": b64(PDF + b"0" * 70_000)}]}}), 422, ""),
    "a valid file refused with the report (wrong state)": (
        lambda w: ("secretary", f"/api/v1/tasks/{w.task('issued')}/done",
                   {"evidence": {"files": [{"name": "ok.pdf", "content_base64": b64(PDF)}]}}), 422, ""),
    "a schedule file with a bad line": (
        lambda w: ("admin", "/api/v1/calendar/load", {"year": 2098, "filename": "2098.txt", "source": "通知",
                                                      "content_base64": b64(b"2098-01-01 holiday\n2098-02-30 holiday\n")}), 422, "content_base64",
        "line 2: not a date"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUT))
def test_bad_input_is_refused_naming_what_is_wrong_and_records_nothing(world: ApiWorld, name: str) -> None:
    make, status, field, *mention = BAD_INPUT[name]
    role, path, body = make(world)
    before, files = world.head(), evidence_files(world)
    response = world.post(role, path + "?lang=en", body)
    assert response.status_code == status, response.text
    refusal = response.json()
    assert refusal["recorded"] is False and refusal["message"]
    if field:
        assert field in refusal["fields"], refusal
        assert (mention[0] if mention else field.split(".")[-1]) in refusal["message"], refusal["message"]
    assert world.head() == before
    assert evidence_files(world) == files, "a refused report kept its file"


def test_a_body_that_is_not_json_is_refused(world: ApiWorld) -> None:
    task = world.task()
    before = world.head()
    response = world.client.post(f"/api/v1/tasks/{task}/sign", content=b"{not json",
                                 headers={"Authorization": f"Bearer {world.tokens['secretary']}", "Content-Type": "application/json"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    assert world.head() == before


def test_follow_puts_a_task_into_my_work(world: ApiWorld) -> None:
    task = world.task()
    assert world.post("discipline", f"/api/v1/tasks/{task}/follow", {}).status_code == 200
    mine = world.get("discipline", f"/api/v1/tasks?owner_id={world.people['discipline']}").json()
    assert UUID(mine[0]["task_id"]) == task


def test_a_schedule_previewed_then_loaded_through_the_api(world: ApiWorld) -> None:
    text = b"2097-01-01 holiday \xe5\x85\x83\xe6\x97\xa6\n2097-02-02 workday\n"
    body = {"year": 2097, "filename": "2097.txt", "content_base64": b64(text)}
    before = world.head()
    preview = world.post("admin", "/api/v1/calendar/preview", body).json()
    assert preview == {"ok": True, "year": 2097, "replaces": None, "changed": True, "recorded": False, "diff": {
        "holidays_added": ["2097-01-01"], "holidays_removed": [], "working_weekends_added": ["2097-02-02"],
        "working_weekends_removed": []}}
    assert world.head() == before
    loaded = world.post("admin", "/api/v1/calendar/load", {**body, "source": "测试"}).json()
    assert loaded["recorded"] is True and world.app.calendar().knows(2097)
    again = world.post("admin", "/api/v1/calendar/load", {**body, "source": "测试"}).json()
    assert again["recorded"] is False and again["replaces"] == "loaded"
    corrected = {**body, "content_base64": b64(b"2097-01-01 holiday\n"), "source": "更正"}
    after_first = world.head()
    refused = world.post("admin", "/api/v1/calendar/load", corrected)
    assert refused.status_code == 409 and refused.json()["fields"] == ["replace_known"]
    assert world.head() == after_first
    assert world.post("admin", "/api/v1/calendar/load", {**corrected, "replace_known": True}).json()["recorded"] is True
    assert world.app.calendar().schedule(2097).working_weekends == frozenset()
