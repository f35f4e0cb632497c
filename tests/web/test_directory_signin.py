"""Signing in with the company directory, against a real OpenLDAP server (Debian's slapd) on
loopback: the person's own bind decides, the entry's employeeNumber names the DutyLoop person."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import axe_source
from fastapi.testclient import TestClient
from ldap_server import (
    ADMIN_DN,
    ADMIN_PASSWORD,
    PEOPLE,
    DirectoryUser,
    group_dn,
    slapd,
)
from loopback import free_port
from test_every_page import LAYOUT, TAP_TARGETS
from web_support import Browserless, World, build_world

from domain.vocabulary import Role
from dutyloop.settings import Settings
from dutyloop.signin_settings import LdapSettings, SignIn
from dutyloop.web.accounts import COMPANY_ONLY, Accounts
from dutyloop.web.app import create_app
from dutyloop.web.company_person import SignInRefusal
from dutyloop.web.directory_signin import Directory

PORT = free_port()
WORKERS_GROUP = group_dn("dutyloop-workers")
ASKED = "/inbox"


def ldap_settings(url: str) -> LdapSettings:
    return LdapSettings(url=url, user_dn=f"uid={{username}},{PEOPLE}", group_roles=((WORKERS_GROUP, Role.PARTY_WORKER),),
                        timeout=2)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("web"),
                        sign_in=SignIn(ldap=ldap_settings(f"ldap://127.0.0.1:{PORT}")))
    built = build_world(settings)
    yield built
    built.system.close()


@pytest.fixture(scope="module")
def users(world: World) -> dict[str, DirectoryUser]:
    secretary = world.staff_no(world.demo.people.secretaries[world.demo.branches[0]])
    member = world.staff_no(world.demo.people.flexible[0])
    return {
        "secretary": DirectoryUser("zhang.wei", "zhang-directory-pw", secretary),
        "member": DirectoryUser("li.qiang", "li-directory-pw", member),
        "stranger": DirectoryUser("wang.fang", "wang-directory-pw", "X99999"),
        "unnumbered": DirectoryUser("zhao.min", "zhao-directory-pw", ""),
    }


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory, users: dict[str, DirectoryUser]) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("slapd")
    with slapd(folder, PORT, list(users.values()), {"dutyloop-workers": [users["member"]]}) as url:
        yield url


@pytest.fixture
def client(web_app: Any, directory: str) -> Iterator[Browserless]:
    with TestClient(web_app) as test_client:
        yield Browserless(test_client)


def sign_in(person: Browserless, username: str, password: str, asked: str = ASKED) -> Any:
    page = person.get(asked)
    assert page.url.path == "/login", "an anonymous visit is sent to sign in"
    return person.client.post("/login/directory", data={
        "username": username, "password": password, "next": asked, "csrf_token": person.token(f"/login?next={asked}"),
    })


def test_the_login_page_offers_the_directory_and_no_local_password(client: Browserless) -> None:
    page = client.get("/login").text
    assert 'action="/login/directory"' in page and "公司账号" in page
    assert 'name="staff_no"' not in page and "使用公司账号登录" not in page
    client.client.cookies.set("dutyloop_locale", "en")
    english = client.get("/login").text
    client.client.cookies.delete("dutyloop_locale")
    assert "Company account" in english and "公司账号" not in english


def test_the_right_password_signs_in_and_lands_on_the_page_asked_for(
    client: Browserless, users: dict[str, DirectoryUser], world: World,
) -> None:
    user = users["secretary"]
    landed = sign_in(client, user.uid, user.password)
    assert landed.status_code == 200 and landed.url.path == ASKED
    assert world.system.app.person(world.demo.people.secretaries[world.demo.branches[0]]).name in landed.text
    client.post("/logout")
    assert client.get(ASKED).url.path == "/login", "logging out ends the directory session too"


def test_a_wrong_or_empty_password_is_refused(client: Browserless, users: dict[str, DirectoryUser]) -> None:
    user = users["secretary"]
    for password in ("not-the-password", ""):
        refused = sign_in(client, user.uid, password)
        assert refused.status_code == 401 and "公司账号或密码不正确" in refused.text
        assert client.get(ASKED).url.path == "/login"
    unknown_account = sign_in(client, "nobody.here", "whatever-pw")
    assert unknown_account.status_code == 401 and "公司账号或密码不正确" in unknown_account.text


def test_a_person_the_directory_knows_but_dutyloop_does_not_is_refused(
    client: Browserless, users: dict[str, DirectoryUser],
) -> None:
    stranger = sign_in(client, users["stranger"].uid, users["stranger"].password)
    assert stranger.status_code == 403 and "工号 X99999 在党建责任闭环中没有对应的人员" in stranger.text
    unnumbered = sign_in(client, users["unnumbered"].uid, users["unnumbered"].password)
    assert unnumbered.status_code == 403 and "没有登记工号" in unnumbered.text
    assert client.get(ASKED).url.path == "/login"


def test_a_directory_that_is_down_is_named_as_such(world: World, directory: str, users: dict[str, DirectoryUser]) -> None:
    down = dataclasses.replace(world.system.settings, sign_in=SignIn(ldap=ldap_settings(f"ldap://127.0.0.1:{free_port()}")))
    app = create_app(dataclasses.replace(world.system, settings=down))
    with TestClient(app) as test_client:
        refused = sign_in(Browserless(test_client), users["secretary"].uid, users["secretary"].password)
    assert refused.status_code == 503 and "目录服务暂时无法连接，请稍后再试" in refused.text


def test_a_directory_group_gives_its_role(client: Browserless, users: dict[str, DirectoryUser], world: World) -> None:
    member = world.demo.people.flexible[0]
    person = world.system.app.person(member)
    assert not person.has_role(Role.PARTY_WORKER, person.org_id)
    landed = sign_in(client, users["member"].uid, users["member"].password)
    assert landed.url.path == ASKED
    assert world.system.app.person(member).has_role(Role.PARTY_WORKER, person.org_id)
    client.post("/logout")
    sign_in(client, users["member"].uid, users["member"].password)
    assert [a.role for a in world.system.app.person(member).assignments].count(Role.PARTY_WORKER) == 1


def test_the_entry_is_found_by_search_with_a_service_account(directory: str, users: dict[str, DirectoryUser]) -> None:
    """Active Directory's way: no DN template; a service account finds the entry, then the
    person binds as it."""
    searching = LdapSettings(url=directory, search_base=PEOPLE, search_filter="(uid={username})",
                             bind_dn=ADMIN_DN, bind_password=ADMIN_PASSWORD, timeout=2)
    user = users["secretary"]
    assert Directory(searching).sign_in(user.uid, user.password).staff_no == user.staff_no
    with pytest.raises(SignInRefusal) as refused:
        Directory(searching).sign_in("*", user.password)
    assert refused.value.status == 401, "a filter character in the name finds nobody, not everybody"


def test_signing_in_through_the_directory_in_a_browser_on_a_phone(
    browser: Any, server: str, directory: str, users: dict[str, DirectoryUser], world: World,
) -> None:
    """The sign-in page at 390 px: no sideways scrolling, tap targets of a finger's size, no
    serious accessibility violation; then the directory password brings the person to the page."""
    page = browser.new_context(base_url=server, locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    page.goto(ASKED)
    assert "/login?next=" in page.url
    assert page.evaluate(LAYOUT) == [] and page.evaluate(TAP_TARGETS) == []
    page.evaluate(axe_source())
    violations = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("critical", "serious")] == []
    page.get_by_label("公司账号", exact=True).fill(users["secretary"].uid)
    page.get_by_label("公司账号密码").fill(users["secretary"].password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{server}{ASKED}")
    assert world.system.app.person(world.demo.people.secretaries[world.demo.branches[0]]).name in page.content()
    page.context.close()


def test_a_company_sign_in_makes_an_account_without_a_password_that_removal_ends(
    client: Browserless, users: dict[str, DirectoryUser], world: World,
) -> None:
    """The account a first company sign-in makes carries the person's sessions and tokens, takes
    no password, and its removal logs the person out as any account's does."""
    user = users["secretary"]
    person = world.demo.people.secretaries[world.demo.branches[0]]
    accounts = Accounts(world.system.engine)
    accounts.remove(person.hex)
    assert sign_in(client, user.uid, user.password).url.path == ASKED
    account = accounts.current(person.hex)
    assert account is not None and account.staff_no == user.staff_no
    assert accounts.authenticate(user.staff_no, COMPANY_ONLY) is None, "no password matches it"
    accounts.remove(person.hex)
    assert client.get(ASKED).url.path == "/login"
