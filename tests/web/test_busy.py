"""When SQLite's write lock really cannot be had in time (another process holds it past the lock
timeout), every way in answers "busy, try again" and records nothing: the API a 503 in its error
shape with Retry-After, the web a 503 page in Chinese, the CLI a line and exit code 75. Reads and
the bookkeeping of token use go on as if nothing were wrong."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from dutyloop.cli import main as cli
from dutyloop.settings import Settings
from dutyloop.web.app import create_app
from dutyloop.web.tokens import Purpose, Tokens
from api_world import PASSWORD, ApiWorld, build_api_world
from web_support import Browserless


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiWorld]:
    built = build_api_world(Settings(data_dir=tmp_path_factory.mktemp("busy"), lock_timeout=1))
    yield built
    built.client.close()
    built.system.close()


@contextlib.contextmanager
def write_lock_held(world: ApiWorld) -> Iterator[None]:
    """Another process's long write: SQLite's one write lock taken and kept."""
    other = sqlite3.connect(world.system.settings.sqlite_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.rollback()
        other.close()


def test_an_api_command_is_answered_busy_in_the_error_shape_and_records_nothing(world: ApiWorld) -> None:
    task = world.task("signed")
    before = world.head()
    with write_lock_held(world):
        answer = world.post("secretary", f"/api/v1/tasks/{task}/progress", {"note": "进展"})
    assert answer.status_code == 503
    assert int(answer.headers["retry-after"]) > 0
    assert answer.json() == {"code": "busy", "message": answer.json()["message"], "fields": [], "recorded": False}
    assert "请稍后重试" in answer.json()["message"]
    assert world.head() == before
    assert world.post("secretary", f"/api/v1/tasks/{task}/progress", {"note": "进展"}).status_code == 200, "sent again, it is recorded"


def test_reads_and_token_bookkeeping_go_on_while_the_lock_is_held(world: ApiWorld) -> None:
    fresh = Tokens(world.system.engine).issue(world.people["secretary"].hex, Purpose.API, "new", "tests").secret
    feed = Tokens(world.system.engine).issue(world.people["secretary"].hex, Purpose.CALENDAR, "feed", "tests").secret
    with write_lock_held(world):
        mine = world.client.get("/api/v1/my-work", headers={"Authorization": f"Bearer {fresh}"})
        calendar = world.client.get(f"/calendar/ics/{feed}.ics")
    assert mine.status_code == 200, "a token never used before is accepted though its first use could not be noted"
    assert calendar.status_code == 200 and calendar.text.startswith("BEGIN:VCALENDAR")


def test_a_login_while_the_lock_is_held_gets_a_chinese_page_not_an_error(world: ApiWorld) -> None:
    visitor = Browserless(TestClient(create_app(world.system)))
    staff = world.app.person(world.people["secretary"]).staff_no
    token = visitor.token("/login")
    with write_lock_held(world):
        page = visitor.client.post("/login", data={"staff_no": staff, "password": PASSWORD, "next": "/", "csrf_token": token})
    assert page.status_code == 503
    assert int(page.headers["retry-after"]) > 0
    assert "系统正忙" in page.text and "请稍后重试" in page.text
    assert visitor.login(staff, PASSWORD).status_code == 200, "once the lock is gone the same login succeeds"


def test_a_cli_command_says_try_again_with_exit_code_75(world: ApiWorld, tmp_path: Path) -> None:
    task = world.task("signed")
    staff = world.app.person(world.people["secretary"]).staff_no
    before = world.head()
    args = ["--data-dir", str(world.system.settings.data_dir), "--as", staff, "task", "progress", task.hex, "进展"]
    with write_lock_held(world):
        result = CliRunner().invoke(cli, args, obj=world.system.clock, env={"DUTYLOOP_LOCK_TIMEOUT": "1"})
    assert result.exit_code == 75, result.output
    assert "数据库正忙" in result.output and "请稍后重试" in result.output
    assert world.head() == before
