"""What the web tests share: the demo year on a real database with every person able to log in
with the demo password, and a browserless client that posts forms as a person would. (A module
of its own, since every test directory has a ``conftest``.)"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient
from sqlalchemy import select

from domain.clock import ManualClock
from domain.commands.task_lists import TaskSpec
from domain.task import Deadline
from domain.vocabulary import MeetingKind
from dutyloop.demo import DemoSummary, build_demo
from dutyloop.settings import Settings
from dutyloop.web.accounts import Accounts
from dutyloop.wiring import System, open_system
from projections import deadline_queries, directory_queries
from projections.tables import chain_links, role_assignments

END = date(2026, 6, 30)
PASSWORD = "dutyloop-demo"
BRANCHES = 12
UPLOAD_LIMIT = 256 * 1024


@dataclass
class World:
    system: System
    demo: DemoSummary
    today: date

    def staff_no(self, person_id: Any) -> str:
        return self.system.app.person(person_id).staff_no

    def holders(self, role: str) -> list[dict[str, Any]]:
        with self.system.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(role_assignments).where(role_assignments.c.role == role)).mappings()]

    def overdue_secretary_task(self, in_chain: bool = False, status: str | None = None) -> dict[str, Any]:
        """An open task, overdue, owned by the secretary of its branch (and part of a
        rectification chain — an interview was held about it — if asked)."""
        self.system.catch_up()
        secretaries = {r["org_id"]: r["person_id"] for r in self.holders("branch_secretary")}
        with self.system.engine.connect() as conn:
            linked = {r[0] for r in conn.execute(select(chain_links.c.entity_id))}
            for warning in deadline_queries.warnings(conn, self.today):
                if (
                    warning["kind"] == "task"
                    and warning["level"] in ("overdue", "seriously_overdue")
                    and secretaries.get(warning["org_id"]) == warning["owner_id"]
                    and (not in_chain or warning["id"] in linked)
                    and (status is None or warning["status"] == status)
                ):
                    return warning
        raise AssertionError("the demo has no such overdue task of a branch secretary")

    def events(self) -> int:
        return self.system.views.head()

    def issue_tasks(self, branch: UUID, titles: list[str], deadline: date = date(2026, 7, 20)) -> list[UUID]:
        """Tasks for a branch's secretary, issued by the party-building department from a meeting
        of today, the views caught up."""
        app, people = self.system.app, self.demo.people
        meeting = app.plan_meeting(people.party_dept[0], MeetingKind.SECRETARIES, self.demo.committee_id, "督办例会", self.today)
        app.record_minutes(people.party_dept[0], meeting, self.today, [people.secretaries[branch]], ["部署督办事项"])
        ids = app.issue_task_list(people.party_dept[0], meeting, [
            TaskSpec(title, branch, people.secretaries[branch], Deadline(on=deadline)) for title in titles
        ])
        self.system.catch_up()
        return ids


def build_world(settings: Settings, branches: int = BRANCHES) -> World:
    clock = ManualClock(datetime(END.year, END.month, END.day, 9, 0))
    system = open_system(settings, clock)
    demo = build_demo(system.app, clock, END, branches=branches)
    system.catch_up()
    accounts = Accounts(system.engine)
    accounts.create_tables()
    with system.engine.connect() as conn:
        accounts.give_missing([(p["person_id"], p["staff_no"]) for p in directory_queries.people_list(conn)], PASSWORD)
    return World(system=system, demo=demo, today=END)


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browserless:
    """A TestClient that logs in and posts forms as a person would: with the page's CSRF token."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def token(self, path: str = "/login") -> str:
        page = self.client.get(path)
        found = CSRF.search(page.text)
        assert found, f"no form token on {path}"
        return found.group(1)

    def login(self, staff_no: str, password: str = PASSWORD) -> Any:
        return self.client.post(
            "/login", data={"staff_no": staff_no, "password": password, "next": "/", "csrf_token": self.token("/login")}
        )

    def post(self, path: str, data: dict[str, Any] | None = None, files: Any = None, page: str = "/") -> Any:
        return self.client.post(path, data={**(data or {}), "csrf_token": self.token(page)}, files=files)

    def get(self, path: str) -> Any:
        return self.client.get(path)

