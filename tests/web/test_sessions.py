"""Logging in and out, CSRF on every form, the language switch, and the refusal page."""

from __future__ import annotations

import json
import stat
from base64 import b64encode
from pathlib import Path
from typing import Any

import itsdangerous
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, select

from dutyloop.settings import Settings
from dutyloop.web.accounts import Accounts
from dutyloop.web.app import create_app
from dutyloop.web.session_key import session_key
from web_support import PASSWORD, Browserless, World, build_world


def test_pages_need_a_login_and_come_back_after_it(visitor: Browserless, world: World) -> None:
    first = visitor.get("/")
    assert first.url.path == "/login"
    secretary = world.staff_no(world.demo.people.secretaries[world.demo.branches[0]])
    assert visitor.login(secretary).url.path == "/"
    assert "我的工作" in visitor.get("/").text


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(visitor: Browserless, world: World) -> None:
    secretary = world.staff_no(world.demo.people.secretaries[world.demo.branches[0]])
    for staff_no, password in ((secretary, "not-the-password"), ("NOBODY", PASSWORD)):
        response = visitor.login(staff_no, password)
        assert response.status_code == 401
        assert "工号或密码不正确" in response.text
    assert visitor.get("/").url.path == "/login"


def test_a_form_without_its_token_is_refused_and_records_nothing(visitor: Browserless, world: World) -> None:
    secretary = world.staff_no(world.demo.people.secretaries[world.demo.branches[0]])
    refused = visitor.client.post("/login", data={"staff_no": secretary, "password": PASSWORD})
    assert refused.status_code == 403
    assert "安全校验未通过" in refused.text
    visitor.login(secretary)
    before = world.events()
    task = world.overdue_secretary_task()
    forged = visitor.client.post(f"/tasks/{task['id']}/sign", data={"csrf_token": "forged"})
    assert forged.status_code == 403
    assert world.events() == before


def test_logout_ends_the_session(login_as, world: World) -> None:  # type: ignore[no-untyped-def]
    person = login_as(world.staff_no(world.demo.people.admin))
    assert person.post("/logout").url.path == "/login"
    assert person.get("/").url.path == "/login"


def test_a_password_change_ends_older_sessions(login_as, world: World) -> None:  # type: ignore[no-untyped-def]
    member = world.demo.people.secretaries[world.demo.branches[1]]
    person = login_as(world.staff_no(member))
    assert person.get("/").url.path == "/"
    Accounts(world.system.engine).set_password(member.hex, world.staff_no(member), PASSWORD)
    assert person.get("/").url.path == "/login"


def test_english_is_chosen_once_and_remembered(login_as, world: World) -> None:  # type: ignore[no-untyped-def]
    person = login_as(world.staff_no(world.demo.people.admin))
    assert "我的工作" in person.get("/").text
    switched = person.post("/locale", {"locale": "en", "next": "/"})
    assert "My work" in switched.text and "我的工作" not in switched.text
    person.post("/logout")
    assert "Log in to DutyLoop" in person.get("/login").text


def test_pages_load_nothing_from_elsewhere(web_app) -> None:  # type: ignore[no-untyped-def]
    with TestClient(web_app) as client:
        page = client.get("/login")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "http" not in page.text.split("<body>")[0].replace('http-equiv', '')
    assert client.get("/static/app.css").status_code == 200


def test_every_form_post_needs_the_token(login_as, world: World) -> None:  # type: ignore[no-untyped-def]
    """Table-driven over every route module's routes: no POST form runs without its token."""
    import re as _re

    person = login_as(world.staff_no(world.demo.people.admin))
    before = world.events()
    from dutyloop.web.routes import routers

    posts = [r for router in routers() for r in router.routes if "POST" in (getattr(r, "methods", None) or ())]
    assert len(posts) >= 20
    for route in posts:
        path = _re.sub(r"\{[^}]+\}", "0" * 32, route.path)
        refused = person.client.post(path, data={"note": "x"})
        assert refused.status_code == 403, f"{route.path} ran without a CSRF token"
        multipart = person.client.post(path, files={"files": ("a.pdf", b"%PDF-1.4", "application/pdf")})
        assert multipart.status_code == 403, f"{route.path} ran a multipart form without a CSRF token"
        claimed_json = person.client.post(path, content=b"{}", headers={"Content-Type": "application/json"})
        assert claimed_json.status_code == 403, f"{route.path} ran a request that said it was JSON without a CSRF token"
    assert world.events() == before


def test_five_wrong_passwords_lock_the_account_for_a_while(visitor: Browserless, world: World) -> None:
    from datetime import datetime, timedelta, timezone

    member = world.demo.people.secretaries[world.demo.branches[5]]
    staff = world.staff_no(member)
    for _ in range(5):
        assert visitor.login(staff, "guess-guess").status_code == 401
    locked = visitor.login(staff, PASSWORD)
    assert locked.status_code == 401, "the right password is refused while the account is locked"
    later = Accounts(world.system.engine, now=lambda: datetime.now(timezone.utc) + timedelta(minutes=16))
    assert later.authenticate(staff, PASSWORD) is not None
    assert visitor.login(staff, PASSWORD).url.path == "/"


def test_unknown_pages_and_expired_sessions_get_a_page_not_an_error(login_as, visitor: Browserless, world: World) -> None:  # type: ignore[no-untyped-def]
    person = login_as(world.staff_no(world.demo.people.admin))
    missing = person.get("/no-such-page")
    assert missing.status_code == 404 and "没有这个页面" in missing.text
    assert person.get("/tasks/" + "0" * 32).status_code == 404
    token = visitor.token("/login")
    task = world.overdue_secretary_task()
    anonymous = visitor.client.post(f"/tasks/{task['id']}/sign", data={"csrf_token": token},
                                    headers={"referer": f"http://testserver/tasks/{task['id']}"}, follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == f"/login?next=%2Ftasks%2F{task['id']}"


def test_a_request_that_says_it_is_json_cannot_log_out_or_act_without_the_token(login_as, world: World) -> None:  # type: ignore[no-untyped-def]
    """Before: ``Content-Type: application/json`` skipped the check, so another site could log a
    person out (or post any form whose fields all have defaults) with the cookie alone."""
    person = login_as(world.staff_no(world.demo.people.admin))
    for content_type in ("application/json", "application/json; charset=utf-8", "text/plain"):
        refused = person.client.post("/logout", content=b"{}", headers={"Content-Type": content_type}, follow_redirects=False)
        assert refused.status_code == 403, content_type
        assert person.get("/").url.path == "/", "the session survived"
    header = person.client.post("/logout", content=b"{}", headers={"Content-Type": "application/json", "X-CSRF-Token": person.token("/")})
    assert header.url.path == "/login"


def _copy(person: Browserless, web_app: Any) -> TestClient:
    """Another browser holding a copy of the person's cookie, as a thief would."""
    thief = TestClient(web_app)
    thief.cookies.update(person.client.cookies)
    return thief


def test_a_copied_cookie_is_refused_after_logout(login_as, web_app, world: World) -> None:  # type: ignore[no-untyped-def]
    """Before: logout only cleared the browser's cookie, and a copy of it worked for 12 hours."""
    person = login_as(world.staff_no(world.demo.people.admin))
    thief = _copy(person, web_app)
    assert thief.get("/").url.path == "/"
    person.post("/logout")
    assert thief.get("/").url.path == "/login"
    assert thief.get("/api/v1/me").status_code == 401


def test_a_copied_cookie_is_refused_after_a_password_change_or_the_accounts_removal(login_as, web_app, world: World) -> None:  # type: ignore[no-untyped-def]
    accounts = Accounts(world.system.engine)
    for branch in (world.demo.branches[2], world.demo.branches[3]):
        member = world.demo.people.secretaries[branch]
        person = login_as(world.staff_no(member))
        thief = _copy(person, web_app)
        assert thief.get("/").url.path == "/"
        if branch == world.demo.branches[2]:
            accounts.set_password(member.hex, world.staff_no(member), "another-long-password")
        else:
            accounts.remove(member.hex)
            # Made again, the account starts at the same revision as before: the old cookie still fails.
            accounts.set_password(member.hex, world.staff_no(member), PASSWORD)
        assert thief.get("/").url.path == "/login"
        assert person.get("/").url.path == "/login"
    accounts.set_password(world.demo.people.secretaries[world.demo.branches[2]].hex,
                          world.staff_no(world.demo.people.secretaries[world.demo.branches[2]]), PASSWORD)


def _signed(key: str, session: dict[str, Any]) -> str:
    """A session cookie as Starlette's SessionMiddleware signs it."""
    return itsdangerous.TimestampSigner(key).sign(b64encode(json.dumps(session).encode("utf-8"))).decode("utf-8")


def test_no_session_can_be_forged_from_what_the_database_holds(login_as, web_app, world: World) -> None:  # type: ignore[no-untyped-def]
    """Whoever reads the database (or a backup) tries every text it holds beside the events as the
    signing key and every session row as the session: none logs in as the administrator. Before,
    the key was a row of ``web_keys``."""
    admin = world.demo.people.admin
    person = login_as(world.staff_no(admin))
    account = Accounts(world.system.engine).current(admin.hex)
    assert account is not None
    tables = MetaData()
    tables.reflect(world.system.engine, only=lambda name, _: name.startswith("web_"))
    with world.system.engine.connect() as conn:
        found = {str(value) for table in tables.tables.values() for row in conn.execute(select(table)) for value in row
                 if isinstance(value, str)}
    assert any(len(value) == 64 for value in found), "the open sessions are in the table (as hashes)"
    key = session_key(world.system.settings)
    assert key not in found
    for candidate in sorted(found):
        for signer in (candidate, key):
            forged = TestClient(web_app, cookies={"dutyloop_session": _signed(signer, {
                "person_id": admin.hex, "revision": account.revision, "session": candidate, "csrf": "x",
            })})
            assert forged.get("/").url.path == "/login", f"a session forged with {candidate[:12]}… logged in"
    assert person.get("/").url.path == "/"


def test_the_database_the_evidence_and_the_key_are_private_to_the_server(tmp_path: Path) -> None:
    data = tmp_path / "fresh" / "data"
    world = build_world(Settings(data_dir=data), branches=3)
    try:
        app = create_app(world.system)
        person = Browserless(TestClient(app))
        secretary = world.demo.people.secretaries[world.demo.branches[0]]
        person.login(world.staff_no(secretary))
        task = world.overdue_secretary_task()
        done = person.post(f"/tasks/{task['id']}/done", {"text": "已完成"}, files=[("files", ("台账.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"))],
                           page=f"/tasks/{task['id']}")
        assert done.status_code == 200, done.text[:300]
        modes = {p.relative_to(data).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in [data, *data.rglob("*")]
                 if not p.name.endswith("-lock")}
    finally:
        world.system.close()
    assert {"dutyloop.db", "session.key", "evidence"} <= set(modes) and any(name.endswith(".pdf") for name in modes), modes
    assert any(name.endswith(("-wal", "-journal")) for name in modes), "SQLite's own files are judged too"
    wrong = {name: oct(mode) for name, mode in modes.items() if mode != (0o700 if (data / name).is_dir() else 0o600)}
    assert not wrong, f"not private: {wrong}"
