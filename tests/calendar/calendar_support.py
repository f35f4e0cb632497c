"""A small organisation on a real SQLite file, and the made-up 2027 schedules the calendar tests load.

The 2027 schedules here are invented for the tests (no official 2027 notice is available offline);
they are deliberately odd (a holiday on Monday 4 January) so that no result can come from a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.commands.task_lists import TaskSpec
from domain.clock import ManualClock
from domain.task import Deadline
from domain.vocabulary import MeetingKind, OrgKind, Role
from dutyloop.wiring import System

MADE_UP_2027 = """\
# 测试用虚构的 2027 年安排（不是官方数据）
2027-01-01 holiday 元旦（虚构）
2027-01-02 休
2027-01-03 假
2027-01-04 节假日 虚构假日
2027-01-09 workday 虚构调休
"""
"""Version 1: 20 working days after Thu 2026-12-10 is Sat 2027-01-09 (the made-up 调休 day)."""

MADE_UP_2027_CORRECTED = MADE_UP_2027 + "2027-01-05 holiday 更正：补充假日\n"
"""The correction adds Tue 5 January: 20 working days after 2026-12-10 become Mon 2027-01-11."""


@dataclass
class Org:
    system: System
    clock: ManualClock
    committee: UUID
    admin: UUID
    branch: UUID
    secretary: UUID
    dept: UUID
    meeting: UUID

    def issue(self, on: date, working_days: int, title: str = "整理发展党员档案", hour: int = 10) -> UUID:
        """Issue one task on ``on`` with a deadline in working days, as the party department."""
        self.clock.set_day(on, hour)
        [task_id] = self.system.app.issue_task_list(
            self.dept, self.meeting, [TaskSpec(title, self.branch, self.secretary, Deadline(working_days=working_days))]
        )
        return task_id

    def deadline(self, task_id: UUID) -> date:
        return self.system.app.task(task_id).deadline

    def head(self) -> int:
        return self.system.views.head()


def build_org(system: System, clock: ManualClock, day: date = date(2025, 3, 3)) -> Org:
    clock.set_day(day, 8)
    app = system.app
    committee, admin = app.bootstrap("公司党委", "管理员", "A001")
    branch = app.register_organisation(admin, "变电运维室党支部", OrgKind.BRANCH, committee)
    secretary = app.register_person(admin, "王芳", "S001", branch)
    app.assign_role(admin, secretary, Role.BRANCH_SECRETARY, branch)
    dept = app.register_person(admin, "李强", "P001", committee)
    app.assign_role(admin, dept, Role.PARTY_DEPT, committee)
    meeting = app.plan_meeting(dept, MeetingKind.SECRETARIES, committee, "党组织书记例会", day)
    app.record_minutes(dept, meeting, day, [secretary, dept], ["落实三会一课"])
    return Org(system, clock, committee, admin, branch, secretary, dept, meeting)
