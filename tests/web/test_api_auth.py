"""Who the API believes is calling: personal tokens (made, listed and revoked with
``dutyloop account token``), a browser session whose writes must carry the CSRF header, and
nothing else — on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api_world import PASSWORD, ApiWorld, build_api_world
from dutyloop.cli import main
from dutyloop.settings import Settings
from dutyloop.web.accounts import Accounts

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiWorld]:
    built = build_api_world(Settings(data_dir=tmp_path_factory.mktemp("api-auth")))
    yield built
    built.client.close()
    built.system.close()


@pytest.fixture
def any_world(make_settings, backend: str) -> Iterator[ApiWorld]:  # type: ignore[no-untyped-def]
    built = build_api_world(make_settings(backend))
    yield built
    built.client.close()
    built.system.close()


def test_the_api_on_each_backend(any_world: ApiWorld) -> None:
    """A representative pass on SQLite and PostgreSQL: a permitted command, a refused one, a stale
    one, and a revoked token — the last three recording nothing."""
    world = any_world
    task = world.task()
    version = world.get("secretary", f"/api/v1/tasks/{task}").json()["version"]
    assert world.post("secretary", f"/api/v1/tasks/{task}/sign", {"expected_version": version}).status_code == 200
    before = world.head()
    assert world.post("secretary", f"/api/v1/tasks/{task}/cancel", {"reason": "不想做"}).status_code == 403
    assert world.post("worker", f"/api/v1/tasks/{task}/progress", {"note": "x", "expected_version": version}).status_code == 409
    tokens = world.client.app.state.tokens
    (mine,) = tokens.listing(world.people["worker"].hex)
    tokens.revoke(mine["token_id"])
    assert world.post("worker", f"/api/v1/tasks/{task}/progress", {"note": "x"}).status_code == 401
    assert world.head() == before
    warnings = world.get("dept", "/api/v1/warnings?day=2026-07-31").json()
    assert [w["level"] for w in warnings if w["id"] == str(task)] == ["due_today"]


def logged_in(world: ApiWorld, staff_no: str) -> TestClient:
    client = TestClient(world.client.app)
    token = CSRF.search(client.get("/login").text)
    assert token
    response = client.post("/login", data={"staff_no": staff_no, "password": PASSWORD, "next": "/", "csrf_token": token.group(1)})
    assert response.status_code == 200, response.text[:300]
    return client


def test_a_token_acts_as_its_person_until_revoked(world: ApiWorld) -> None:
    me = world.get("secretary", "/api/v1/me").json()
    assert me["staff_no"] == world.app.person(world.people["secretary"]).staff_no
    assert me["csrf_token"] is None
    task = world.task()
    tokens = world.client.app.state.tokens
    (listed,) = [t for t in tokens.listing(world.people["secretary"].hex) if t["purpose"] == "api"]
    assert listed["last_used_at"] is not None
    tokens.revoke(listed["token_id"], world.people["secretary"].hex)
    before = world.head()
    refused = world.post("secretary", f"/api/v1/tasks/{task}/sign?lang=en", {})
    assert refused.status_code == 401 and refused.json()["code"] == "unauthenticated"
    assert "revoked" in refused.json()["message"]
    assert refused.headers["www-authenticate"] == "Bearer"
    assert world.head() == before


@pytest.mark.parametrize("header", ["Bearer dlp_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer", "dlp_without_scheme"])
def test_anything_but_a_valid_token_is_refused(world: ApiWorld, header: str) -> None:
    response = world.client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401, response.text
    assert world.client.get("/api/v1/me").status_code == 401


def test_removing_the_account_stops_the_token_for_good(world: ApiWorld) -> None:
    """Before: the token was refused only while the person had no account, and worked again as
    soon as an account was made for them anew."""
    accounts = Accounts(world.system.engine)
    person = world.people["flexible"]
    accounts.remove(person.hex)
    assert world.get("flexible", "/api/v1/me").status_code == 401
    accounts.set_password(person.hex, world.app.person(person).staff_no, PASSWORD)
    assert world.get("flexible", "/api/v1/me").status_code == 401


def test_a_browser_session_writes_only_with_the_csrf_header(world: ApiWorld) -> None:
    client = logged_in(world, world.app.person(world.people["secretary"]).staff_no)
    me = client.get("/api/v1/me").json()
    assert me["csrf_token"]
    task = world.task()
    before = world.head()
    forged = client.post(f"/api/v1/tasks/{task}/sign", json={})
    assert forged.status_code == 403 and forged.json()["code"] == "csrf"
    wrong = client.post(f"/api/v1/tasks/{task}/sign", json={}, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    as_form = client.post(f"/api/v1/tasks/{task}/sign", data={"expected_version": "1"})
    assert as_form.status_code == 403
    assert world.head() == before
    signed = client.post(f"/api/v1/tasks/{task}/sign", json={}, headers={"X-CSRF-Token": me["csrf_token"]})
    assert signed.status_code == 200, signed.text
    assert world.head() > before
    # With an Authorization header only the token counts, never the cookie beside it.
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer dlp_wrong"}).status_code == 401
    client.close()


def test_tokens_from_the_command_line(world: ApiWorld) -> None:
    runner = CliRunner()
    settings: Settings = world.system.settings
    base = ["--data-dir", str(settings.data_dir), "--as", "A0001", "--json"]
    staff = world.app.person(world.people["dept"]).staff_no
    made = runner.invoke(main, [*base, "account", "token", "create", staff, "--label", "报表脚本"])
    assert made.exit_code == 0, made.output
    created = json.loads(made.output)
    secret, token_id = created["token"], created["token_id"]
    assert secret.startswith("dlp_")
    assert world.client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).json()["staff_no"] == staff
    listed = json.loads(runner.invoke(main, [*base, "account", "token", "list", staff]).output)
    assert [t["label"] for t in listed if t["token_id"] == token_id] == ["报表脚本"]
    assert secret not in json.dumps(listed)
    revoked = runner.invoke(main, [*base, "account", "token", "revoke", staff, token_id])
    assert revoked.exit_code == 0, revoked.output
    assert world.client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    again = runner.invoke(main, [*base, "account", "token", "revoke", staff, token_id])
    assert again.exit_code != 0
    Accounts(world.system.engine).remove(world.people["member"].hex)
    no_account = runner.invoke(main, ["--data-dir", str(settings.data_dir), "--as", "A0001", "account", "token", "create",
                                      world.app.person(world.people["member"]).staff_no])
    assert no_account.exit_code != 0 and "set-password" in no_account.output
