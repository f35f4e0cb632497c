"""A small organisation for the API tests, with one person in every role that matters, each with
a web account and a personal API token, and helpers that put a fresh task, rectification,
finding, interview or meeting into the state a command needs (through the domain's own
commands, as the people who would do it). A module of its own: every test directory has a
``conftest``."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from domain.commands.task_lists import TaskSpec
from domain.clock import ManualClock
from domain.evidence import evidence_item
from domain.task import Deadline
from domain.vocabulary import InspectionKind, MeetingKind, OrgKind, Role
from dutyloop.settings import Settings
from dutyloop.web.accounts import Accounts
from dutyloop.web.app import WebOptions, create_app
from dutyloop.web.tokens import Purpose, Tokens
from dutyloop.wiring import System, open_system

TODAY = date(2026, 6, 30)
DEADLINE = date(2026, 7, 31)
PASSWORD = "api-test-password"
UPLOAD_LIMIT = 64 * 1024

ROLES = (
    "secretary", "other_secretary", "worker", "dept", "committee_secretary", "discipline", "flexible", "member", "admin",
)
"""secretary / worker: 支部书记 and 党务工作者 of branch A; other_secretary: of branch B; dept: 党建部;
committee_secretary: 党委书记; discipline: 纪检; flexible: 柔性团队 with branch A in their 责任田;
member: in branch A with no role; admin: 系统管理员."""

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass
class ApiWorld:
    system: System
    client: TestClient
    committee: UUID
    branch_a: UUID
    branch_b: UUID
    people: dict[str, UUID]
    tokens: dict[str, str]
    counter: list[int] = field(default_factory=lambda: [0])

    @property
    def app(self) -> Any:
        return self.system.app

    def head(self) -> int:
        """The last event recorded: unchanged means nothing was recorded."""
        return self.system.views.head()

    def post(self, role: str, path: str, body: Any, **headers: str) -> Any:
        return self.client.post(path, json=body, headers={"Authorization": f"Bearer {self.tokens[role]}", **headers})

    def get(self, role: str, path: str, **headers: str) -> Any:
        return self.client.get(path, headers={"Authorization": f"Bearer {self.tokens[role]}", **headers})

    def _n(self) -> int:
        self.counter[0] += 1
        return self.counter[0]

    # -- things in the state a command needs ------------------------------------------------------

    def held_meeting(self, org: UUID | None = None, by: str = "dept") -> UUID:
        who = self.people[by]
        meeting = self.app.plan_meeting(who, MeetingKind.WORK_GROUP, org or self.committee, f"例会 {self._n()}", TODAY)
        self.app.record_minutes(who, meeting, TODAY, [who], ["下达任务"])
        return meeting

    def task(self, status: str = "issued") -> UUID:
        """A task of branch A, owned by its secretary, issued by the party-building department."""
        meeting = self.held_meeting()
        spec = TaskSpec(title=f"任务 {self._n()}", org_id=self.branch_a, owner_id=self.people["secretary"], deadline=Deadline(on=DEADLINE))
        (task_id,) = self.app.issue_task_list(self.people["dept"], meeting, [spec])
        owner = self.people["secretary"]
        if status in ("signed", "reported_done", "extension_requested"):
            self.app.sign_for_task(owner, task_id)
        if status == "reported_done":
            self.app.report_task_done(owner, task_id, [evidence_item("text", "已完成")])
        if status == "extension_requested":
            self.app.request_extension(owner, task_id, date(2026, 8, 14), "工作量大")
        self.system.catch_up()
        return task_id

    def committee_task(self) -> UUID:
        """A committee task owned by the flexible-team member, issued by the committee secretary:
        one that can be broken down to the branches."""
        meeting = self.held_meeting(by="committee_secretary")
        spec = TaskSpec(title=f"总任务 {self._n()}", org_id=self.committee, owner_id=self.people["flexible"], deadline=Deadline(on=DEADLINE))
        (task_id,) = self.app.issue_task_list(self.people["committee_secretary"], meeting, [spec])
        self.system.catch_up()
        return task_id

    def finding(self) -> UUID:
        _, (finding_id,) = self.app.conduct_inspection(
            self.people["discipline"], InspectionKind.RANDOM, self.branch_a, f"检查 {self._n()}", ["记录不完整"])
        self.system.catch_up()
        return finding_id

    def rectification(self, status: str = "opened") -> UUID:
        """A rectification of branch A, owned by its secretary, from a finding raised by discipline."""
        checker, owner = self.people["discipline"], self.people["secretary"]
        rect = self.app.open_rectification(checker, self.finding(), owner, "补齐记录", Deadline(on=DEADLINE))
        if status in ("completion_reported", "verified"):
            self.app.report_rectification_completion(owner, rect, [evidence_item("text", "已补齐")])
        if status == "verified":
            self.app.verify_rectification(checker, rect, "合格")
        self.system.catch_up()
        return rect

    def interview(self) -> UUID:
        interview = self.app.schedule_interview(
            self.people["committee_secretary"], self.people["committee_secretary"], self.people["secretary"], "任务逾期", TODAY)
        self.system.catch_up()
        return interview

    def planned_meeting(self) -> UUID:
        meeting = self.app.plan_meeting(self.people["secretary"], MeetingKind.OTHER, self.branch_a, f"支部会 {self._n()}", TODAY)
        self.system.catch_up()
        return meeting


def build_api_world(settings: Settings) -> ApiWorld:
    clock = ManualClock(datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0))
    system = open_system(settings, clock)
    app = system.app
    committee, admin = app.bootstrap("公司党委", "管理员", "A0001")
    branch_a = app.register_organisation(admin, "办公室党支部", OrgKind.BRANCH, committee)
    branch_b = app.register_organisation(admin, "财务部党支部", OrgKind.BRANCH, committee)
    homes = {
        "secretary": branch_a, "other_secretary": branch_b, "worker": branch_a, "dept": committee,
        "committee_secretary": committee, "discipline": committee, "flexible": committee, "member": branch_a,
    }
    roles = {
        "secretary": (Role.BRANCH_SECRETARY, branch_a), "other_secretary": (Role.BRANCH_SECRETARY, branch_b),
        "worker": (Role.PARTY_WORKER, branch_a), "dept": (Role.PARTY_DEPT, committee),
        "committee_secretary": (Role.COMMITTEE_SECRETARY, committee), "discipline": (Role.DISCIPLINE, committee),
        "flexible": (Role.FLEXIBLE_TEAM, committee),
    }
    people = {"admin": admin}
    for number, (name, home) in enumerate(homes.items(), start=1):
        people[name] = app.register_person(admin, f"{name}", f"P{number:03d}", home)
        if name in roles:
            role, org = roles[name]
            app.assign_role(admin, people[name], role, org, field_org_ids=[branch_a] if name == "flexible" else [])
    system.catch_up()
    accounts = Accounts(system.engine)
    accounts.create_tables()
    accounts.give_missing([(pid.hex, app.person(pid).staff_no) for pid in people.values()], PASSWORD)
    tokens = Tokens(system.engine)
    tokens.create_tables()
    secrets = {role: tokens.issue(pid.hex, Purpose.API, "tests", "tests").secret for role, pid in people.items()}
    client = TestClient(create_app(system, WebOptions(max_upload_bytes=UPLOAD_LIMIT)))
    return ApiWorld(system, client, committee, branch_a, branch_b, people, secrets)

