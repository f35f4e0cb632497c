"""In headless Chromium against a real server on loopback: the API's Swagger UI renders every
operation from files served by this site alone (no request leaves loopback, no Content-Security-
Policy violation), and a logged-in person tries a call from it — a write that carries the
session's CSRF token and is recorded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api_world import PASSWORD, ApiWorld, build_api_world
from dutyloop.web.threaded import serving
from dutyloop.settings import Settings


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiWorld]:
    built = build_api_world(Settings(data_dir=tmp_path_factory.mktemp("api-docs-browser")))
    yield built
    built.client.close()
    built.system.close()


@pytest.fixture(scope="module")
def server(world: ApiWorld) -> Iterator[str]:
    with serving(world.client.app) as base:
        yield base


def test_swagger_ui_works_offline_and_tries_a_write_with_the_session(world: ApiWorld, server: str, browser: Any) -> None:
    context = browser.new_context(base_url=server)
    page = context.new_page()
    outside: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(server) else outside.append(request.url))
    page.on("console", lambda message: problems.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto("/login")
    page.fill("input[name=staff_no]", world.app.person(world.people["secretary"]).staff_no)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button")
    page.wait_for_url(f"{server}/")

    page.goto("/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 38
    task = world.task()
    before = world.head()
    answer = page.evaluate(
        """async (task) => {
            const me = await (await fetch('/api/v1/me')).json();
            const sent = await fetch(`/api/v1/tasks/${task}/sign`, {method: 'POST', body: '{}',
                headers: {'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token}});
            const forged = await fetch(`/api/v1/tasks/${task}/progress`, {method: 'POST', body: '{"note": "x"}',
                headers: {'Content-Type': 'application/json'}});
            return [sent.status, forged.status];
        }""",
        str(task),
    )
    assert answer == [200, 403]
    assert world.head() == before + 1
    assert outside == [], outside
    assert problems == [], problems
    context.close()
