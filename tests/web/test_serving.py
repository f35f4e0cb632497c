"""``dutyloop serve`` and ``dutyloop account`` as a user runs them, and the web on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from uuid import UUID

import httpx2 as httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from web_support import PASSWORD, Browserless, World, build_world
from dutyloop.cli import main
from dutyloop.settings import Settings
from dutyloop.web.accounts import Accounts
from dutyloop.web.app import create_app
from dutyloop.web.threaded import free_port
from scheduler.lock import leases

ENV = ("DUTYLOOP_DATABASE_URL", "DUTYLOOP_USER", "DUTYLOOP_LOCALE", "DUTYLOOP_DATA_DIR", "DUTYLOOP_POSTGRES_SCHEMA")


@pytest.fixture(scope="module")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = build_world(Settings(data_dir=tmp_path_factory.mktemp("serve")), branches=3)
    yield built
    built.system.close()


def test_accounts_from_the_command_line(small_world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    data = ["--data-dir", str(small_world.system.settings.data_dir), "--as", "A0001"]
    staff = small_world.staff_no(small_world.demo.people.discipline)
    runner = CliRunner()
    result = runner.invoke(main, [*data, "account", "set-password", staff, "--password-stdin"], input="new-long-secret\n")
    assert result.exit_code == 0, result.output
    assert Accounts(small_world.system.engine).authenticate(staff, "new-long-secret") is not None
    short = runner.invoke(main, [*data, "account", "set-password", staff, "--password-stdin"], input="short\n")
    assert short.exit_code == 2 and "password" in short.output
    unknown = runner.invoke(main, [*data, "account", "set-password", "NOBODY", "--password-stdin"], input="new-long-secret\n")
    assert unknown.exit_code == 2 and "找不到人员" in unknown.output
    listed = runner.invoke(main, [*data, "--json", "account", "list"])
    assert staff in listed.output
    removed = runner.invoke(main, [*data, "account", "remove", staff])
    assert removed.exit_code == 0 and Accounts(small_world.system.engine).current(small_world.demo.people.discipline.hex) is None


def test_dutyloop_serve_answers_on_loopback(small_world: World) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ENV}
    server = subprocess.Popen(
        [sys.executable, "-m", "dutyloop", "--data-dir", str(small_world.system.settings.data_dir), "--as", "A0001", "serve",
         "--port", str(port), "--demo-accounts"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as page:
                    body = page.read().decode("utf-8")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "dutyloop serve did not answer"
                time.sleep(0.2)
        assert "登录党建责任闭环" in body
        with small_world.system.engine.connect() as conn:
            holders = conn.execute(select(leases.c.holder)).scalars().all()
            jobs = conn.execute(text("SELECT id FROM scheduler_jobs ORDER BY id")).scalars().all()
        assert len(holders) == 1, "the server's scheduler holds the lease"
        assert jobs == ["bulletin", "deadlines", "meetings"]
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=15)
    assert "dutyloop-demo" in output


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if parent == pid:
                found.append(int(entry))
    return found


def test_serve_with_several_workers_answers_signed_in_pages_from_each(small_world: World) -> None:
    """Two worker processes over the same SQLite file: a session made by one is good in the other
    (sessions live in the database), every page answers, and a command posted through any worker
    is recorded once."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ENV}
    data_dir = str(small_world.system.settings.data_dir)
    server = subprocess.Popen(
        [sys.executable, "-m", "dutyloop", "--data-dir", data_dir, "--as", "A0001", "serve", "--port", str(port),
         "--workers", "2", "--demo-accounts", "--no-notify", "--no-scheduler"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while len(_children(server.pid)) < 2 or not _answers(f"{base}/login"):
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            assert time.monotonic() < deadline, "dutyloop serve --workers 2 did not answer"
            time.sleep(0.3)
        task = small_world.overdue_secretary_task()
        with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as client:
            person = Browserless(client)  # type: ignore[arg-type]
            assert person.login(small_world.staff_no(UUID(task["owner_id"])), "dutyloop-demo").url.path == "/"
            pages = [client.get(path) for path in ("/", f"/tasks/{task['id']}", "/inbox") * 8]
            assert [page.status_code for page in pages] == [200] * len(pages)
            assert all(task["title"] in page.text for page in pages[::3])
            before = small_world.events()
            step, said = ("sign", "已签收") if task["status"] == "issued" else ("progress", "多进程下的进展")
            done = person.post(f"/tasks/{task['id']}/{step}", {"note": said}, page=f"/tasks/{task['id']}")
            assert done.status_code == 200 and said in done.text
            assert small_world.events() == before + 1
    finally:
        server.terminate()
        server.communicate(timeout=30)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as page:
            return bool(page.status == 200)
    except OSError:
        return False


@pytest.mark.postgres
def test_the_web_on_postgresql(make_settings) -> None:  # type: ignore[no-untyped-def]
    world = build_world(make_settings("postgres"), branches=4)
    try:
        with TestClient(create_app(world.system)) as client:
            task = world.overdue_secretary_task()
            person = Browserless(client)
            assert person.login(world.staff_no(UUID(task["owner_id"])), PASSWORD).url.path == "/"
            assert task["title"] in person.get("/").text
            before = world.events()
            version = world.system.app.task(UUID(task["id"])).version
            done = person.post(f"/tasks/{task['id']}/progress", {"note": "PostgreSQL 上的进展", "expected_version": str(version)})
            assert done.status_code == 200 and "PostgreSQL 上的进展" in done.text
            assert world.events() == before + 1
            stale = person.post(f"/tasks/{task['id']}/progress", {"note": "旧表单", "expected_version": str(version)})
            assert stale.status_code == 409 and world.events() == before + 1
    finally:
        world.system.close()
