"""Fixtures for the web tests: the demo year built once per module on a real SQLite file, every
person of it able to log in with the demo password, and clients that log in as a role."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from domain.clock import ManualClock
from dutyloop.demo import DemoSummary, build_demo
from dutyloop.settings import Settings
from dutyloop.web.accounts import Accounts
from dutyloop.web.app import WebOptions, create_app
from dutyloop.wiring import System, open_system
from projections import queries
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
            for warning in queries.warnings(conn, self.today):
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


def build_world(settings: Settings, branches: int = BRANCHES) -> World:
    clock = ManualClock(datetime(END.year, END.month, END.day, 9, 0))
    system = open_system(settings, clock)
    demo = build_demo(system.app, clock, END, branches=branches)
    system.catch_up()
    accounts = Accounts(system.engine)
    accounts.create_tables()
    with system.engine.connect() as conn:
        accounts.give_missing([(p["person_id"], p["staff_no"]) for p in queries.people_list(conn)], PASSWORD)
    return World(system=system, demo=demo, today=END)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = build_world(Settings(data_dir=tmp_path_factory.mktemp("web")))
    yield built
    built.system.close()


@pytest.fixture(scope="module")
def web_app(world: World) -> Any:
    return create_app(world.system, WebOptions(max_upload_bytes=UPLOAD_LIMIT))


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


@pytest.fixture
def visitor(web_app: Any) -> Iterator[Browserless]:
    with TestClient(web_app) as client:
        yield Browserless(client)


@pytest.fixture
def login_as(web_app: Any) -> Iterator[Callable[[str], Browserless]]:
    clients: list[TestClient] = []

    def make(staff_no: str) -> Browserless:
        client = TestClient(web_app)
        clients.append(client)
        person = Browserless(client)
        response = person.login(staff_no)
        assert response.status_code == 200 and response.url.path == "/", response.text[:500]
        return person

    yield make
    for client in clients:
        client.close()
