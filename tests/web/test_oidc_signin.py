"""Signing in through the company's identity platform (OpenID Connect, code flow with PKCE), in
real Chromium against a real OpenID provider (the npm package oidc-provider) on loopback: the
person clicks 使用公司账号登录, signs in at the provider, and is back on the page first asked for."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import axe_source
from fastapi.testclient import TestClient
from dutyloop.web.threaded import serving
from loopback import free_port
from oidc_server import CLIENT_ID, CLIENT_SECRET, oidc_provider
from test_every_page import LAYOUT, TAP_TARGETS
from web_support import World, build_world

from dutyloop.settings import Settings
from dutyloop.signin_settings import OidcSettings, SignIn
from dutyloop.web.app import create_app

PORT = free_port()
ASKED = "/inbox"


def oidc_settings(issuer: str) -> OidcSettings:
    return OidcSettings(issuer=issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                        staff_claim="employee_number", timeout=5)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("web"), sign_in=SignIn(oidc=oidc_settings(f"http://127.0.0.1:{PORT}")))
    built = build_world(settings)
    yield built
    built.system.close()


@pytest.fixture(scope="module")
def secretary(world: World) -> str:
    return world.staff_no(world.demo.people.secretaries[world.demo.branches[0]])


@pytest.fixture(scope="module")
def by_subject(world: World) -> Iterator[str]:
    """A second DutyLoop server over the same data that takes the staff number from ``sub``,
    a claim of the ID token itself (the first one's ``employee_number`` comes from userinfo)."""
    settings = dataclasses.replace(world.system.settings, sign_in=SignIn(oidc=dataclasses.replace(
        oidc_settings(f"http://127.0.0.1:{PORT}"), staff_claim="sub")))
    with serving(create_app(dataclasses.replace(world.system, settings=settings))) as base:
        yield base


@pytest.fixture(scope="module")
def provider(server: str, by_subject: str, secretary: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    accounts = {"zhang.wei": {"name": "张伟", "employee_number": secretary},
                "wang.fang": {"name": "王芳", "employee_number": "X99999"}}
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    callbacks = [f"{base}/login/oidc/callback" for base in (server, by_subject)]
    with oidc_provider(PORT, callbacks, accounts, log) as issuer:
        yield issuer


def at_the_provider(browser: Any, server: str, login: str) -> Any:
    """A fresh phone-sized browser that asks for a page, is sent to sign in (a page that fits
    390 px, with finger-sized targets and no serious accessibility violation), chooses the
    company account and signs in at the provider's own page (its development login takes any
    password)."""
    page = browser.new_context(base_url=server, locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    page.goto(ASKED)
    assert "/login?next=" in page.url
    assert page.locator("input[name=password]").count() == 0, "no password form: only the company account"
    assert page.evaluate(LAYOUT) == [] and page.evaluate(TAP_TARGETS) == []
    page.evaluate(axe_source())
    violations = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("critical", "serious")] == []
    page.get_by_role("link", name="使用公司账号登录").click()
    page.wait_for_selector("input[name=login]")
    assert page.url.startswith(f"http://127.0.0.1:{PORT}/"), "the sign-in happens at the provider"
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "any-password-the-dev-login-takes")
    page.click("button[type=submit]")
    return page


def test_signing_in_at_the_provider_lands_on_the_page_asked_for(
    browser: Any, server: str, provider: str, world: World,
) -> None:
    page = at_the_provider(browser, server, "zhang.wei")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{server}{ASKED}")
    name = world.system.app.person(world.demo.people.secretaries[world.demo.branches[0]]).name
    assert name in page.content()
    page.context.close()


def test_the_staff_number_can_come_from_another_claim(
    browser: Any, by_subject: str, provider: str, secretary: str, world: World,
) -> None:
    page = at_the_provider(browser, by_subject, secretary)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{by_subject}{ASKED}")
    assert world.system.app.person(world.demo.people.secretaries[world.demo.branches[0]]).name in page.content()
    page.context.close()


def test_a_person_unknown_to_dutyloop_is_refused(browser: Any, server: str, provider: str) -> None:
    page = at_the_provider(browser, server, "wang.fang")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{server}/login/oidc/callback*")
    assert "工号 X99999 在党建责任闭环中没有对应的人员" in page.locator("[role=alert]").inner_text()
    page.goto(ASKED)
    assert "/login?next=" in page.url, "not signed in"
    page.context.close()


def test_a_sign_in_cancelled_at_the_provider_is_refused(browser: Any, server: str, provider: str) -> None:
    page = browser.new_context(base_url=server, locale="zh-CN").new_page()
    page.goto(ASKED)
    page.get_by_role("link", name="使用公司账号登录").click()
    page.get_by_role("link", name="[ Cancel ]").click()
    page.wait_for_url(f"{server}/login/oidc/callback*")
    assert "公司身份平台未完成登录" in page.locator("[role=alert]").inner_text()
    page.goto(ASKED)
    assert "/login?next=" in page.url
    page.context.close()


def test_the_login_page_offers_only_the_company_account(web_app: Any) -> None:
    with TestClient(web_app) as client:
        page = client.get("/login").text
        assert "使用公司账号登录" in page and 'name="password"' not in page
        client.cookies.set("dutyloop_locale", "en")
        english = client.get("/login").text
        assert "Sign in with the company account" in english and "公司账号" not in english
        refused = client.post("/login", data={"staff_no": "A0001", "password": "x"})
        assert refused.status_code in (401, 403)


def test_a_callback_without_a_sign_in_under_way_is_refused(web_app: Any) -> None:
    with TestClient(web_app) as client:
        refused = client.get("/login/oidc/callback?code=forged&state=forged")
    assert refused.status_code == 400 and "登录请求已失效" in refused.text


def test_a_provider_that_is_down_is_named_as_such(world: World) -> None:
    down = dataclasses.replace(world.system.settings, sign_in=SignIn(oidc=oidc_settings(f"http://127.0.0.1:{free_port()}")))
    with TestClient(create_app(dataclasses.replace(world.system, settings=down))) as client:
        refused = client.get(f"/login/oidc?next={ASKED}", follow_redirects=False)
    assert refused.status_code == 503 and "公司身份平台暂时无法连接，请稍后再试" in refused.text
