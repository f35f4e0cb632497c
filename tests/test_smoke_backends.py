"""The same facts land in the event store and the views on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from domain.commands.task_lists import TaskSpec
from domain.task import Deadline
from domain.vocabulary import MeetingKind, OrgKind, Role
from dutyloop.wiring import System
from projections import task_queries


def test_task_list_reaches_the_board(system: System) -> None:
    app = system.app
    committee, admin = app.bootstrap("公司党委", "管理员", "A001")
    branch = app.register_organisation(admin, "变电运维室党支部", OrgKind.BRANCH, committee)
    secretary = app.register_person(admin, "王芳", "S001", branch)
    app.assign_role(admin, secretary, Role.BRANCH_SECRETARY, branch)
    dept = app.register_person(admin, "李强", "P001", committee)
    app.assign_role(admin, dept, Role.PARTY_DEPT, committee)
    meeting = app.plan_meeting(dept, MeetingKind.SECRETARIES, committee, "一季度书记例会", date(2025, 3, 27))
    app.record_minutes(dept, meeting, date(2025, 3, 27), [secretary, dept], ["落实三会一课"])
    [task] = app.issue_task_list(dept, meeting, [TaskSpec("整理发展党员档案", branch, secretary, Deadline(working_days=10))])
    app.sign_for_task(secretary, task)

    system.catch_up()
    with system.engine.connect() as conn:
        [row] = task_queries.task_list(conn, org_id=branch.hex)
        ledger = conn.execute(text("SELECT COUNT(*) FROM event_ledger")).scalar()
    assert row["deadline"] == "2025-04-14"
    assert row["status"] == "signed"
    assert row["owner_name"] == "王芳"
    assert ledger == system.views.head()
