"""A small organisation for the scheduler tests: a company committee (党建部, 党委书记, 纪检) and a
branch whose party-affairs worker owns the work, so the escalation ladder has all three rungs —
the branch secretary, the 党委书记, discipline inspection."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from click.testing import Result
from sqlalchemy import select

from domain.application import DutyLoop
from domain.commands.task_lists import TaskSpec
from domain.clock import ManualClock
from domain.task import Deadline
from domain.vocabulary import MeetingKind, OrgKind, ReportCycle, Role
from dutyloop.wiring import System
from projections.tables import reminders

EVIDENCE = [{"kind": "text", "value": "已完成，附台账"}]
Cli = Callable[..., Result]
"""``dutyloop ARGS`` on the database of the system under test."""


@dataclass
class Org:
    committee: UUID
    admin: UUID
    dept: UUID
    leader: UUID
    discipline: UUID
    branch: UUID
    secretary: UUID
    worker: UUID


def build_org(app: DutyLoop) -> Org:
    committee, admin = app.bootstrap("公司党委", "管理员", "A001")
    people = {}
    for staff_no, name, role in (("P001", "李强", Role.PARTY_DEPT), ("L001", "赵书记", Role.COMMITTEE_SECRETARY),
                                 ("J001", "纪检员", Role.DISCIPLINE)):
        people[role] = app.register_person(admin, name, staff_no, committee)
        app.assign_role(admin, people[role], role, committee)
    branch = app.register_organisation(admin, "变电运维室党支部", OrgKind.BRANCH, committee)
    secretary = app.register_person(admin, "王书记", "S001", branch)
    app.assign_role(admin, secretary, Role.BRANCH_SECRETARY, branch)
    worker = app.register_person(admin, "陈干事", "W001", branch)
    app.assign_role(admin, worker, Role.PARTY_WORKER, branch)
    return Org(committee, admin, people[Role.PARTY_DEPT], people[Role.COMMITTEE_SECRETARY], people[Role.DISCIPLINE],
               branch, secretary, worker)


def hold_meeting(app: DutyLoop, org: Org, kind: MeetingKind, on: date, title: str = "党建工作小组例会") -> UUID:
    meeting = app.plan_meeting(org.dept, kind, org.committee, title, on)
    app.record_minutes(org.dept, meeting, on, [org.leader, org.dept], ["部署本季度重点任务"])
    return meeting


def issue(
    app: DutyLoop, clock: ManualClock, org: Org, deadline: date, titles: Sequence[str] = ("完成支部标准化建设自查",),
    report_cycle: ReportCycle = ReportCycle.NONE,
) -> list[UUID]:
    """Issue tasks to the branch's party worker from a meeting held today."""
    meeting = hold_meeting(app, org, MeetingKind.WORK_GROUP, clock.now().astimezone(clock.tz).date())
    specs = [TaskSpec(title=t, org_id=org.branch, owner_id=org.worker, deadline=Deadline(on=deadline),
                      report_cycle=report_cycle) for t in titles]
    return app.issue_task_list(org.dept, meeting, specs)


def finish(app: DutyLoop, org: Org, task_id: UUID) -> None:
    app.sign_for_task(org.worker, task_id)
    app.report_task_done(org.worker, task_id, EVIDENCE)
    app.accept_task(org.dept, task_id)


def reminder_rows(system: System, target_id: UUID | None = None) -> list[tuple[str, str, int, str, str]]:
    """(recorded_on, level, step, recipient, deadline) of every reminder, by the day recorded."""
    system.catch_up()
    query = select(reminders.c.recorded_on, reminders.c.level, reminders.c.step, reminders.c.recipient_id,
                   reminders.c.deadline)
    if target_id is not None:
        query = query.where(reminders.c.target_id == target_id.hex)
    with system.engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(query))  # type: ignore[misc]
