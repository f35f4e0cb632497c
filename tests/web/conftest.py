"""Fixtures for the web tests: the demo year built once per module on a real SQLite file, the
application over it, and clients that log in as a role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dutyloop.settings import Settings
from dutyloop.web.app import WebOptions, create_app
from browser_support import chromium
from dutyloop.web.threaded import serving
from web_support import UPLOAD_LIMIT, Browserless, World, build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = build_world(Settings(data_dir=tmp_path_factory.mktemp("web")))
    yield built
    built.system.close()


@pytest.fixture(scope="module")
def web_app(world: World) -> Any:
    return create_app(world.system, WebOptions(max_upload_bytes=UPLOAD_LIMIT))


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


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def server(web_app: Any) -> Iterator[str]:
    with serving(web_app) as base:
        yield base
