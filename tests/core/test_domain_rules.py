"""Every command of the closed loop, given events / when a command / then events — and every refusal
records nothing and says why in zh-CN and English. In memory (the library's POPO store): fast."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import pytest

from domain.application import DutyLoop
from domain.commands.task_lists import TaskSpec
from domain.calendar import HolidaySchedule
from domain.clock import ManualClock
from domain.errors import DomainError
from domain.task import Deadline
from domain.vocabulary import InspectionKind, MeetingKind, OrgKind, Role


@dataclass
class World:
    app: DutyLoop
    clock: ManualClock
    committee: UUID
    admin: UUID
    branch: UUID
    other_branch: UUID
    secretary: UUID
    other_secretary: UUID
    worker: UUID
    dept: UUID
    chief: UUID
    discipline: UUID
    flexible: UUID
    member: UUID
    meeting: UUID

    def issue(self, days: int = 10, owner: UUID | None = None, org: UUID | None = None) -> UUID:
        [task] = self.app.issue_task_list(
            self.dept, self.meeting, [TaskSpec("整理发展党员档案", org or self.branch, owner or self.secretary, Deadline(working_days=days))]
        )
        return task


@pytest.fixture
def w() -> World:
    clock = ManualClock(datetime(2025, 3, 28, 9))
    app = DutyLoop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)
    committee, admin = app.bootstrap("公司党委", "管理员", "A001")
    branch = app.register_organisation(admin, "变电运维室党支部", OrgKind.BRANCH, committee)
    other = app.register_organisation(admin, "营销部党支部", OrgKind.BRANCH, committee)

    def person(name: str, staff: str, org: UUID, role: Role | None, fields: list[UUID] | None = None) -> UUID:
        pid = app.register_person(admin, name, staff, org)
        if role:
            app.assign_role(admin, pid, role, org, "", fields or [])
        return pid

    secretary = person("王芳", "S001", branch, Role.BRANCH_SECRETARY)
    dept = person("李强", "P001", committee, Role.PARTY_DEPT)
    meeting = app.plan_meeting(dept, MeetingKind.SECRETARIES, committee, "一季度书记例会", date(2025, 3, 27))
    app.record_minutes(dept, meeting, date(2025, 3, 27), [secretary, dept], ["落实三会一课"])
    return World(
        app, clock, committee, admin, branch, other,
        secretary=secretary,
        other_secretary=person("赵敏", "S002", other, Role.BRANCH_SECRETARY),
        worker=person("孙丽", "W001", branch, Role.PARTY_WORKER),
        dept=dept,
        chief=person("周书记", "L001", committee, Role.COMMITTEE_SECRETARY),
        discipline=person("吴纪检", "J001", committee, Role.DISCIPLINE),
        flexible=person("郑柔性", "F001", committee, Role.FLEXIBLE_TEAM, [branch]),
        member=person("钱党员", "M001", branch, None),
        meeting=meeting,
    )


def recorded_by(app: DutyLoop, command: Callable[[], Any]) -> list[Any]:
    """Run one command and return the events it recorded."""
    start = app.recorder.max_notification_id() or 0
    command()
    return [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(start, 1000, inclusive_of_start=False)]


def when(w: World, command: Callable[[], Any]) -> list[Any]:
    return recorded_by(w.app, command)


def names(events: list[Any]) -> list[str]:
    return [type(e).__name__ for e in events]


def refused(w: World, command: Callable[[], Any], code: str) -> DomainError:
    """The command is refused with ``code``, a message in both languages, and nothing recorded."""
    start = w.app.recorder.max_notification_id()
    with pytest.raises(DomainError) as caught:
        command()
    assert caught.value.code == code, caught.value.message("en")
    assert caught.value.message("zh-CN") and caught.value.message("en")
    assert w.app.recorder.max_notification_id() == start
    return caught.value


# -- 明责 -------------------------------------------------------------------------------------------


def test_bootstrap_records_the_committee_and_its_administrator(w: World) -> None:
    app = DutyLoop(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=w.clock)
    events = recorded_by(app, lambda: app.bootstrap("公司党委", "管理员", "A001"))
    assert names(events) == ["OrganisationRegistered", "PersonRegistered", "RoleAssigned"]
    assert {e.actor for e in events} == {"system:init"}
    assert events[2].role == "admin"


def test_organisations(w: World) -> None:
    events = when(w, lambda: w.app.register_organisation(w.admin, "项目临时党支部", OrgKind.TEMPORARY_BRANCH, w.committee))
    assert names(events) == ["OrganisationRegistered"] and events[0].actor == str(w.admin)
    project = events[0].originator_id
    assert names(when(w, lambda: w.app.rename_organisation(w.admin, project, "工程临时党支部"))) == ["OrganisationRenamed"]
    assert names(when(w, lambda: w.app.dissolve_organisation(w.admin, project, "工程结束"))) == ["OrganisationDissolved"]
    refused(w, lambda: w.app.dissolve_organisation(w.admin, project, "again"), "wrong_state")
    refused(w, lambda: w.app.register_organisation(w.admin, "子支部", OrgKind.BRANCH, project), "wrong_state")
    refused(w, lambda: w.app.register_organisation(w.secretary, "私设支部", OrgKind.BRANCH, w.committee), "not_permitted")
    refused(w, lambda: w.app.register_organisation(w.admin, "变电运维室党支部", OrgKind.BRANCH, w.committee), "duplicate")
    refused(w, lambda: w.app.register_organisation(w.admin, "第二党委", OrgKind.COMMITTEE, w.committee), "invalid_value")


def test_people_roles_and_liaison_points(w: World) -> None:
    events = when(w, lambda: w.app.register_person(w.admin, "新同志", "M099", w.branch, "x@example.cn"))
    person = events[0].originator_id
    assert names(events) == ["PersonRegistered"] and events[0].email == "x@example.cn"
    refused(w, lambda: w.app.register_person(w.admin, "重名", "M099", w.branch), "duplicate")
    refused(w, lambda: w.app.register_person(w.secretary, "某人", "M100", w.branch), "not_permitted")
    assert names(when(w, lambda: w.app.assign_role(w.admin, person, Role.PARTY_WORKER, w.branch))) == ["RoleAssigned"]
    refused(w, lambda: w.app.assign_role(w.admin, person, Role.PARTY_WORKER, w.branch), "duplicate")
    refused(w, lambda: w.app.assign_role(w.admin, person, Role.FLEXIBLE_TEAM, w.branch, "", [w.other_branch]), "org_not_under")
    assert names(when(w, lambda: w.app.revoke_role(w.admin, person, Role.PARTY_WORKER, w.branch))) == ["RoleRevoked"]
    refused(w, lambda: w.app.revoke_role(w.admin, person, Role.PARTY_WORKER, w.branch), "not_found")
    assert names(when(w, lambda: w.app.link_liaison_point(w.admin, w.chief, w.branch))) == ["LiaisonPointLinked"]
    refused(w, lambda: w.app.link_liaison_point(w.admin, w.chief, w.branch), "duplicate")
    assert names(when(w, lambda: w.app.update_contact(w.member, w.member, "me@example.cn", ""))) == ["ContactUpdated"]
    refused(w, lambda: w.app.update_contact(w.member, w.secretary, "x@example.cn", ""), "not_permitted")


def test_directory_groups_give_roles_once_by_the_directory(w: World) -> None:
    events = when(w, lambda: w.app.grant_directory_roles(w.member, [Role.PARTY_WORKER, Role.PARTY_WORKER]))
    assert names(events) == ["RoleAssigned"]
    assert (events[0].role, events[0].org_id, events[0].actor) == ("party_worker", w.app.person(w.member).org_id, "system:directory")
    assert when(w, lambda: w.app.grant_directory_roles(w.member, [Role.PARTY_WORKER])) == [], "a role held is not given again"
    refused(w, lambda: w.app.assign_role("system:directory", w.member, Role.ADMIN, w.committee), "not_permitted")


def test_responsibility_list(w: World) -> None:
    rlist = when(w, lambda: w.app.draft_responsibility_list(w.dept, "主体责任清单", 2025, w.committee))[0].originator_id
    aspect = when(w, lambda: w.app.add_responsibility_aspect(w.dept, rlist, "组织建设"))[0].aspect_id
    events = when(w, lambda: w.app.add_responsibility_item(w.dept, rlist, aspect, "落实三会一课", Role.BRANCH_SECRETARY))
    assert names(events) == ["ResponsibilityItemAdded"] and events[0].responsible_role == "branch_secretary"
    refused(w, lambda: w.app.add_responsibility_aspect(w.dept, rlist, "组织建设"), "duplicate")
    refused(w, lambda: w.app.add_responsibility_item(w.dept, rlist, UUID(int=1), "x", Role.BRANCH_SECRETARY), "not_found")
    refused(w, lambda: w.app.draft_responsibility_list(w.secretary, "清单", 2025, w.committee), "not_permitted")
    task = when(w, lambda: w.app.issue_task_list(w.dept, w.meeting, [TaskSpec(
        "落实三会一课", w.branch, w.secretary, Deadline(working_days=5), list_item=(rlist, events[0].item_id))]))
    assert task[0].list_item_id == events[0].item_id
    refused(w, lambda: w.app.issue_task_list(w.dept, w.meeting, [TaskSpec(
        "x", w.branch, w.secretary, Deadline(working_days=5), list_item=(rlist, UUID(int=2)))]), "unknown_item")


def test_calendar_and_thresholds_are_set_by_admins(w: World) -> None:
    schedule = HolidaySchedule(2027, frozenset({date(2027, 1, 1)}), frozenset())
    assert names(when(w, lambda: w.app.load_holiday_schedule(w.admin, schedule, "测试"))) == [
        "HolidayCalendarStarted", "HolidayScheduleLoaded"]
    refused(w, lambda: w.app.load_holiday_schedule(w.secretary, schedule, "测试"), "not_permitted")
    assert names(when(w, lambda: w.app.set_warning_thresholds(w.admin, 3, 5, [2, 3]))) == ["WarningThresholdsSet"]
    assert names(when(w, lambda: w.app.set_warning_thresholds(w.admin, 5, 5, [2, 3]))) == ["WarningThresholdsChanged"]
    refused(w, lambda: w.app.set_warning_thresholds(w.admin, 0, 5, [2]), "out_of_range")
    refused(w, lambda: w.app.set_warning_thresholds(w.secretary, 3, 5, [2]), "not_permitted")


# -- 履责: meetings and tasks ------------------------------------------------------------------------


def test_meetings_and_minutes(w: World) -> None:
    meeting = when(w, lambda: w.app.plan_meeting(w.dept, MeetingKind.PARTY_WORKERS, w.committee, "党务工作者例会", date(2025, 4, 10)))[0].originator_id
    refused(w, lambda: w.app.issue_task_list(w.dept, meeting, [TaskSpec("x", w.branch, w.secretary, Deadline(working_days=3))]), "minutes_required")
    refused(w, lambda: w.app.record_minutes(w.dept, meeting, date(2025, 4, 10), [w.dept], ["x"]), "date_in_future")
    events = when(w, lambda: w.app.record_minutes(w.dept, meeting, date(2025, 3, 21), [w.dept, w.secretary], ["部署"]))
    assert names(events) == ["MeetingMinutesRecorded"] and events[0].on == date(2025, 3, 21)
    refused(w, lambda: w.app.record_minutes(w.dept, meeting, date(2025, 3, 21), [w.dept], ["x"]), "wrong_state")
    refused(w, lambda: w.app.plan_meeting(w.member, MeetingKind.OTHER, w.branch, "x", date(2025, 4, 1)), "not_permitted")
    own = when(w, lambda: w.app.plan_meeting(w.secretary, MeetingKind.OTHER, w.branch, "支部党员大会", date(2025, 3, 28)))
    assert own[0].actor == str(w.secretary)


def test_issuing_a_task_list_computes_working_day_deadlines(w: World) -> None:
    events = when(w, lambda: w.app.issue_task_list(w.dept, w.meeting, [
        TaskSpec("A", w.branch, w.secretary, Deadline(working_days=10)),
        TaskSpec("B", w.other_branch, w.other_secretary, Deadline(on=date(2025, 4, 30))),
    ]))
    assert names(events) == ["TaskIssued", "TaskIssued"]
    assert events[0].deadline == date(2025, 4, 14) and events[0].deadline_rule == "10 working days"
    assert events[1].deadline == date(2025, 4, 30) and events[0].task_list_id == events[1].task_list_id
    assert all(e.actor == str(w.dept) and e.on == date(2025, 3, 28) for e in events)


@pytest.mark.parametrize(
    ("deadline", "code"),
    [
        (Deadline(on=date(2025, 3, 27)), "deadline_before_issue"),
        (Deadline(on=date(2025, 4, 30), working_days=3), "deadline_ambiguous"),
        (Deadline(), "deadline_missing"),
        (Deadline(working_days=0), "working_days_positive"),
    ],
)
def test_bad_deadlines_are_refused(w: World, deadline: Deadline, code: str) -> None:
    refused(w, lambda: w.app.issue_task_list(w.dept, w.meeting, [TaskSpec("x", w.branch, w.secretary, deadline)]), code)


def test_a_deadline_in_an_unknown_year_is_refused_naming_the_year(w: World) -> None:
    w.clock.set_day(date(2026, 12, 10))
    error = refused(w, lambda: w.issue(days=20), "calendar_year_missing")
    assert "2027" in error.message("zh-CN") and "2027" in error.message("en")


def test_task_lists_go_only_down_the_tree_to_people_of_that_organisation(w: World) -> None:
    refused(w, lambda: w.issue(owner=w.other_secretary), "owner_not_in_org")
    refused(w, lambda: w.app.issue_task_list(w.member, w.meeting, [TaskSpec("x", w.branch, w.secretary, Deadline(working_days=3))]), "not_permitted")
    own = w.app.plan_meeting(w.secretary, MeetingKind.OTHER, w.branch, "支部会", date(2025, 3, 28))
    w.app.record_minutes(w.secretary, own, date(2025, 3, 28), [w.secretary], ["x"])
    refused(w, lambda: w.app.issue_task_list(w.secretary, own, [TaskSpec("x", w.other_branch, w.other_secretary, Deadline(working_days=3))]), "org_not_under")


def test_breaking_a_task_down_to_branches(w: World) -> None:
    [parent] = w.app.issue_task_list(w.dept, w.meeting, [TaskSpec("统筹", w.committee, w.dept, Deadline(working_days=20))])
    events = when(w, lambda: w.app.break_down_task(w.dept, parent, [
        TaskSpec("分解一", w.branch, w.secretary, Deadline(working_days=10)),
        TaskSpec("分解二", w.other_branch, w.other_secretary, Deadline(working_days=10)),
    ]))
    assert names(events) == ["TaskBrokenDown", "TaskIssued", "TaskIssued"]
    assert {e.parent_task_id for e in events[1:]} == {parent}
    refused(w, lambda: w.app.break_down_task(w.dept, parent, [TaskSpec("太晚", w.branch, w.secretary, Deadline(working_days=25))]), "deadline_after_parent")


def test_the_life_of_a_task(w: World) -> None:
    task = w.issue()
    refused(w, lambda: w.app.sign_for_task(w.other_secretary, task), "not_permitted")
    refused(w, lambda: w.app.report_task_progress(w.secretary, task, "x"), "wrong_state")
    assert names(when(w, lambda: w.app.sign_for_task(w.secretary, task))) == ["TaskSignedFor"]
    refused(w, lambda: w.app.sign_for_task(w.secretary, task), "wrong_state")
    refused(w, lambda: w.app.report_task_progress(w.worker, task, " "), "required")
    assert names(when(w, lambda: w.app.report_task_progress(w.worker, task, "已部署"))) == ["TaskProgressReported"]
    refused(w, lambda: w.app.accept_task(w.dept, task), "wrong_state")
    refused(w, lambda: w.app.report_task_done(w.secretary, task, []), "evidence_required")
    refused(w, lambda: w.app.report_task_done(w.secretary, task, [{"kind": "link", "value": "ftp://x"}]), "invalid_value")
    done = when(w, lambda: w.app.report_task_done(w.secretary, task, [{"kind": "text", "value": "已完成"}]))
    assert names(done) == ["TaskReportedDone"] and done[0].evidence[0]["value"] == "已完成"
    refused(w, lambda: w.app.accept_task(w.secretary, task), "not_permitted")
    assert names(when(w, lambda: w.app.return_task(w.dept, task, "佐证不全"))) == ["TaskReturned"]
    w.app.report_task_done(w.secretary, task, [{"kind": "link", "value": "https://dj.example.cn/1"}])
    assert names(when(w, lambda: w.app.accept_task(w.dept, task, "通过"))) == ["TaskAccepted"]
    refused(w, lambda: w.app.cancel_task(w.dept, task, "x"), "wrong_state")


def test_extensions_keep_the_original_deadline(w: World) -> None:
    task = w.issue()
    refused(w, lambda: w.app.request_extension(w.secretary, task, date(2025, 4, 10), "x"), "extension_not_later")
    assert names(when(w, lambda: w.app.request_extension(w.secretary, task, date(2025, 4, 30), "保电"))) == ["TaskDeadlineExtensionRequested"]
    refused(w, lambda: w.app.request_extension(w.secretary, task, date(2025, 5, 30), "again"), "extension_pending")
    refused(w, lambda: w.app.approve_extension(w.secretary, task), "not_permitted")
    assert names(when(w, lambda: w.app.approve_extension(w.dept, task))) == ["TaskDeadlineExtended"]
    assert (w.app.task(task).original_deadline, w.app.task(task).deadline) == (date(2025, 4, 14), date(2025, 4, 30))
    refused(w, lambda: w.app.approve_extension(w.dept, task), "no_extension_pending")
    w.app.request_extension(w.secretary, task, date(2025, 5, 30), "再延")
    assert names(when(w, lambda: w.app.refuse_extension(w.dept, task, "不同意"))) == ["TaskDeadlineExtensionRefused"]
    assert w.app.task(task).deadline == date(2025, 4, 30)


def test_cancel_and_follow(w: World) -> None:
    task = w.issue()
    assert names(when(w, lambda: w.app.follow_task(w.worker, task))) == ["TaskFollowed"]
    refused(w, lambda: w.app.follow_task(w.worker, task), "duplicate")
    assert names(when(w, lambda: w.app.unfollow_task(w.worker, task))) == ["TaskUnfollowed"]
    refused(w, lambda: w.app.unfollow_task(w.worker, task), "not_found")
    # Following lets one read the task: those who may not read it may not follow it of their own accord.
    refused(w, lambda: w.app.follow_task(w.other_secretary, task), "not_permitted")
    refused(w, lambda: w.app.follow_task(w.worker, task, w.other_secretary), "not_permitted")
    assert names(when(w, lambda: w.app.follow_task(w.member, task))) == ["TaskFollowed"]
    assert names(when(w, lambda: w.app.follow_task(w.dept, task, w.other_secretary))) == ["TaskFollowed"]
    assert names(when(w, lambda: w.app.unfollow_task(w.other_secretary, task))) == ["TaskUnfollowed"]
    refused(w, lambda: w.app.cancel_task(w.secretary, task, "不想做"), "not_permitted")
    assert names(when(w, lambda: w.app.cancel_task(w.dept, task, "重复下达"))) == ["TaskCancelled"]
    refused(w, lambda: w.app.sign_for_task(w.secretary, task), "wrong_state")


def test_a_stale_form_is_refused(w: World) -> None:
    task = w.issue()
    w.app.follow_task(w.worker, task)
    refused(w, lambda: w.app.sign_for_task(w.secretary, task, expected_version=1), "concurrent_edit")


# -- inspections, 约谈, 整改 ---------------------------------------------------------------------------


def test_inspections_and_work_prompts(w: World) -> None:
    events = when(w, lambda: w.app.conduct_inspection(w.flexible, InspectionKind.RANDOM, w.branch, "组织生活", ["记录不全", "档案缺页"]))
    assert names(events) == ["InspectionConducted", "FindingRaised", "FindingRaised"]
    assert events[1].inspection_id == events[0].originator_id and events[1].inspection_kind == "random"
    refused(w, lambda: w.app.conduct_inspection(w.flexible, InspectionKind.RANDOM, w.other_branch, "x", ["y"]), "not_permitted")
    refused(w, lambda: w.app.conduct_inspection(w.dept, InspectionKind.RANDOM, w.branch, "x", ["y"], date(2025, 4, 1)), "date_in_future")
    assert names(when(w, lambda: w.app.send_work_prompt(w.flexible, w.branch, "工作提示", "请规范记录"))) == ["WorkPromptSent"]
    refused(w, lambda: w.app.send_work_prompt(w.member, w.branch, "x", "y"), "not_permitted")


def test_interview_ends_in_a_rectification_with_a_deadline(w: World) -> None:
    overdue = w.issue()
    refused(w, lambda: w.app.schedule_interview(w.discipline, w.secretary, w.secretary, "x", date(2025, 4, 1)), "self_interview")
    refused(w, lambda: w.app.schedule_interview(w.dept, w.other_secretary, w.secretary, "x", date(2025, 4, 1)), "no_authority")
    events = when(w, lambda: w.app.schedule_interview(w.discipline, w.chief, w.secretary, "任务逾期", date(2025, 3, 31), [overdue]))
    assert names(events) == ["InterviewScheduled"] and events[0].task_ids == [overdue]
    interview = events[0].originator_id
    w.clock.set_day(date(2025, 3, 31))
    held = when(w, lambda: w.app.hold_interview(w.chief, interview, date(2025, 3, 31), "指出问题", ["一周内补齐"], Deadline(working_days=5), "补齐逾期任务"))
    assert names(held) == ["InterviewHeld", "RectificationOpened"]
    assert held[1].source_id == interview and held[1].owner_id == w.secretary and held[1].deadline == date(2025, 4, 8)
    refused(w, lambda: w.app.hold_interview(w.chief, interview, date(2025, 3, 31), "x", [], Deadline(working_days=5), "y"), "wrong_state")


def test_a_rectification_chain_to_close_out(w: World) -> None:
    _, [finding] = w.app.conduct_inspection(w.flexible, InspectionKind.RANDOM, w.branch, "组织生活", ["记录不全"])
    refused(w, lambda: w.app.open_rectification(w.member, finding, w.secretary, "整改", Deadline(working_days=5)), "not_permitted")
    rect = when(w, lambda: w.app.open_rectification(w.flexible, finding, w.secretary, "补齐记录", Deadline(working_days=5)))[0].originator_id
    refused(w, lambda: w.app.open_rectification(w.flexible, finding, w.secretary, "again", Deadline(working_days=5)), "duplicate")
    steps = [
        (lambda: w.app.submit_rectification_plan(w.secretary, rect, "两周内补齐"), "RectificationPlanSubmitted"),
        (lambda: w.app.note_rectification_progress(w.worker, rect, "已补一半"), "RectificationProgressNoted"),
    ]
    for step, name in steps:
        assert names(when(w, step)) == [name]
    refused(w, lambda: w.app.close_rectification(w.flexible, rect), "close_unverified")
    refused(w, lambda: w.app.verify_rectification(w.flexible, rect), "wrong_state")
    w.app.report_rectification_completion(w.secretary, rect, [{"kind": "text", "value": "已补齐"}])
    refused(w, lambda: w.app.verify_rectification(w.secretary, rect), "self_verification")
    refused(w, lambda: w.app.verify_rectification(w.other_secretary, rect), "not_permitted")
    assert names(when(w, lambda: w.app.return_rectification(w.flexible, rect, "不彻底"))) == ["RectificationReturned"]
    w.app.report_rectification_completion(w.secretary, rect, [{"kind": "text", "value": "已补充"}])
    verified = when(w, lambda: w.app.verify_rectification(w.flexible, rect, "到位"))
    assert names(verified) == ["RectificationVerified"] and verified[0].actor == str(w.flexible)
    closed = when(w, lambda: w.app.close_rectification(w.dept, rect))
    assert names(closed) == ["RectificationClosed"]
    refused(w, lambda: w.app.close_rectification(w.dept, rect), "wrong_state")


# -- reminders and bulletins ---------------------------------------------------------------------------


def test_a_reminder_is_recorded_once(w: World) -> None:
    task = w.issue()
    record = lambda: w.app.record_reminder("system:scheduler", "task", task, "due_soon", date(2025, 4, 14), w.secretary, w.branch)  # noqa: E731
    events = when(w, record)
    assert names(events) == ["ReminderRecorded"] and events[0].actor == "system:scheduler"
    assert when(w, record) == []
    assert record() is None
    refused(w, lambda: w.app.record_reminder(w.secretary, "task", task, "due_soon", date(2025, 4, 14), w.secretary, w.branch), "not_permitted")
    refused(w, lambda: w.app.record_reminder("system:scheduler", "task", task, "whenever", date(2025, 4, 14), w.secretary, w.branch), "invalid_value")


def test_the_monthly_bulletin_is_issued_once(w: World) -> None:
    issue = lambda: w.app.issue_monthly_bulletin("system:scheduler", "2025-03", [{"org": "一支部", "done": 3}], "三月通报")  # noqa: E731
    assert names(when(w, issue)) == ["MonthlyBulletinIssued"]
    assert issue() is None
    refused(w, lambda: w.app.issue_monthly_bulletin("system:scheduler", "2025-13", [], "x"), "invalid_value")
    refused(w, lambda: w.app.issue_monthly_bulletin(w.secretary, "2025-04", [], "x"), "not_permitted")


def test_a_person_saves_and_deletes_filters_of_their_own(w: World) -> None:
    events = when(w, lambda: w.app.save_filter(w.secretary, "rectifications", "本支部逾期整改", "overdue=1&scope=self"))
    assert names(events) == ["FilterSaved"] and events[0].actor == str(w.secretary) and events[0].query == "overdue=1&scope=self"
    again = when(w, lambda: w.app.save_filter(w.secretary, "rectifications", "本支部逾期整改", "overdue=1"))
    assert names(again) == ["FilterSaved"] and w.app.person(w.secretary).saved_filters == {("rectifications", "本支部逾期整改"): "overdue=1"}
    refused(w, lambda: w.app.save_filter(w.secretary, "inbox", "全部", ""), "invalid_value")
    refused(w, lambda: w.app.save_filter(w.secretary, "tasks", "  ", "status=issued"), "required")
    refused(w, lambda: w.app.save_filter("system:scheduler", "tasks", "定时", ""), "not_found")
    for n in range(30):
        w.app.save_filter(w.worker, "tasks", f"筛选{n}", f"page={n + 1}")
    refused(w, lambda: w.app.save_filter(w.worker, "tasks", "第三十一个", ""), "too_many_saved_filters")
    assert names(when(w, lambda: w.app.save_filter(w.worker, "tasks", "筛选0", "page=9"))) == ["FilterSaved"]
    assert names(when(w, lambda: w.app.delete_filter(w.secretary, "rectifications", "本支部逾期整改"))) == ["FilterDeleted"]
    refused(w, lambda: w.app.delete_filter(w.secretary, "rectifications", "本支部逾期整改"), "not_found")
    refused(w, lambda: w.app.delete_filter(w.secretary, "tasks", "筛选0"), "not_found")
