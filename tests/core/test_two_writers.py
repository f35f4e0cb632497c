"""Two writers on one task at once, each with its own application on the same database: every
command that returned is in the log, versions are contiguous, nothing was overwritten."""

from __future__ import annotations

import threading
from datetime import date
from uuid import UUID

import pytest

from domain.commands.task_lists import TaskSpec
from domain.clock import ManualClock
from domain.errors import ConcurrentEdit
from domain.task import Deadline
from domain.vocabulary import MeetingKind, OrgKind, Role
from dutyloop.integrity import verify
from dutyloop.wiring import open_system


def _world(app) -> tuple[UUID, UUID, UUID, list[UUID]]:  # type: ignore[no-untyped-def]
    committee, admin = app.bootstrap("公司党委", "管理员", "A001")
    branch = app.register_organisation(admin, "一支部", OrgKind.BRANCH, committee)
    secretary = app.register_person(admin, "王芳", "S001", branch)
    app.assign_role(admin, secretary, Role.BRANCH_SECRETARY, branch)
    dept = app.register_person(admin, "李强", "P001", committee)
    app.assign_role(admin, dept, Role.PARTY_DEPT, committee)
    followers = [app.register_person(admin, f"党员{i}", f"M{i:03d}", branch) for i in range(10)]
    meeting = app.plan_meeting(dept, MeetingKind.SECRETARIES, committee, "书记例会", date(2025, 3, 27))
    app.record_minutes(dept, meeting, date(2025, 3, 27), [secretary, dept], ["落实"])
    [task] = app.issue_task_list(dept, meeting, [TaskSpec("整理档案", branch, secretary, Deadline(working_days=10))])
    app.sign_for_task(secretary, task)
    return task, secretary, dept, followers


def test_concurrent_writers_lose_nothing(make_settings, backend: str, clock: ManualClock) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(backend)
    first, second = open_system(settings, clock), open_system(settings, clock)
    task, secretary, _, followers = _world(first.app)
    errors: list[BaseException] = []

    def report() -> None:
        try:
            for i in range(20):
                first.app.report_task_progress(secretary, task, f"进展{i}")
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    def follow() -> None:
        try:
            for person in followers:
                second.app.follow_task(person, task)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=report), threading.Thread(target=follow)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    events = list(first.app.events.get(task))
    assert [e.originator_version for e in events] == list(range(1, len(events) + 1))
    names = [type(e).__name__ for e in events]
    assert names.count("TaskProgressReported") == 20
    assert names.count("TaskFollowed") == 10
    reloaded = second.app.task(task)
    assert sorted(reloaded.follower_ids) == sorted(followers)
    notes = [e.note for e in events if type(e).__name__ == "TaskProgressReported"]
    assert notes == [f"进展{i}" for i in range(20)]
    # Each writer continues the hash chain from its own last write only when nobody wrote since.
    verdict = verify(first.engine)
    assert verdict.intact and verdict.checked == len(first.app.recorder.select_notifications(start=1, limit=10_000))
    first.close()
    second.close()


def test_a_stale_read_is_rerun_and_a_stale_form_is_refused(make_settings, backend: str, clock: ManualClock) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(backend)
    first, second = open_system(settings, clock), open_system(settings, clock)
    task, secretary, _, followers = _world(first.app)
    form_version = first.app.task(task).version  # first has the task cached at this version
    second.app.follow_task(followers[0], task)  # …then the other writer moves it on
    first.app.report_task_progress(secretary, task, "基于最新状态重做")  # rerun on fresh state, not lost
    assert [type(e).__name__ for e in first.app.events.get(task)][-2:] == ["TaskFollowed", "TaskProgressReported"]
    with pytest.raises(ConcurrentEdit) as refused:
        second.app.report_task_progress(secretary, task, "旧表单", expected_version=form_version)
    assert "刷新" in refused.value.message("zh-CN")
    assert "reload" in refused.value.message("en")
    first.close()
    second.close()
