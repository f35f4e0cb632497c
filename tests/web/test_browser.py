"""End to end in headless Chromium against a real server on loopback: a secretary sees an overdue
warning and reports a task done with an uploaded file; discipline inspection opens that task's
chain; a forbidden action is refused and records nothing. The screenshots in docs/screenshots/
are taken here, from the demo data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from loopback import serving
from web_support import PASSWORD, World

CHROMIUM = Path(os.environ.get("DUTYLOOP_CHROMIUM") or "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"the browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("DUTYLOOP_REQUIRE_BROWSER") == "1":
            pytest.fail(message + "; DUTYLOOP_REQUIRE_BROWSER=1 says it must be there")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(web_app: Any) -> Iterator[str]:
    """The application served by uvicorn on a free loopback port, in a thread of this process."""
    with serving(web_app) as base:
        yield base


@pytest.fixture(scope="module")
def task(world: World) -> dict[str, Any]:
    """The overdue task of the story: a secretary reports it done, discipline opens its chain."""
    return world.overdue_secretary_task(in_chain=True)


def _page(chromium: Any, base: str, staff_no: str) -> Any:
    context = chromium.new_context(base_url=base, viewport={"width": 1360, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto("/")
    assert page.url.endswith("/login?next=%2F")
    page.fill("input[name=staff_no]", staff_no)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def _shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_a_secretary_sees_the_overdue_warning_and_reports_done_with_a_file(
    chromium: Any, server: str, world: World, task: dict[str, Any], tmp_path: Path
) -> None:
    page = _page(chromium, server, world.staff_no(UUID(task["owner_id"])))
    row = page.locator("table.warnings tr", has_text=task["title"]).first
    assert row.locator(".badge").inner_text() in ("已逾期", "严重逾期")
    _shoot(page, "my-work.png")

    page.click(f"a[href='/tasks/{task['id']}']")
    evidence = tmp_path / "主题党日签到表.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% sign-in sheet of the theme day\n%%EOF\n")
    before = world.events()
    page.fill("#done-form textarea[name=note]", "已完成，附签到表")
    page.set_input_files("#done-form input[type=file]", str(evidence))
    page.click("#report-done")
    page.wait_for_selector(".notice-ok")
    assert "已报送完成" in page.inner_text(".notice-ok")
    assert "已报完成" in page.inner_text(".pagehead")
    link = page.locator("ol.timeline a", has_text="主题党日签到表.pdf")
    assert link.count() == 1
    assert world.events() == before + 1
    stored = list((world.system.settings.data_dir / "evidence").rglob("*.pdf"))
    assert any(p.read_bytes() == evidence.read_bytes() for p in stored)
    with page.expect_download() as download:
        link.click()
    assert Path(download.value.path()).read_bytes() == evidence.read_bytes()


def test_discipline_inspection_opens_that_tasks_chain(chromium: Any, server: str, world: World, task: dict[str, Any]) -> None:
    page = _page(chromium, server, world.staff_no(world.demo.people.discipline))
    page.goto(f"/tasks/{task['id']}")
    assert page.locator("#report form").count() == 0, "discipline inspection reads tasks, it does not act on them"
    page.click("a.chain-link")
    page.wait_for_url("**/chains/**")
    assert "整改链全过程" in page.inner_text("h1")
    events = page.locator("ol.timeline li").all_inner_texts()
    assert any("约谈" in e for e in events)
    assert page.locator(".steps li.done").count() >= 2
    _shoot(page, "chain.png")
    page.goto("/board")
    assert page.locator("table.board tbody tr").count() == len(world.demo.branches)
    assert page.locator("td.cnt-bad").count() > 0
    _shoot(page, "board.png")


def test_a_forbidden_action_is_refused_and_records_nothing(
    chromium: Any, server: str, world: World, task: dict[str, Any]
) -> None:
    page = _page(chromium, server, world.staff_no(world.demo.people.discipline))
    page.goto(f"/tasks/{task['id']}")
    assert page.locator("form[action$='/accept']").count() == 0
    before = world.events()
    # Post the form the page does not offer, with the page's own CSRF token, as a crafted request would.
    page.evaluate(
        """(taskId) => {
            const token = document.querySelector("input[name=csrf_token]").value;
            const form = document.createElement("form");
            form.method = "post";
            form.action = `/tasks/${taskId}/accept`;
            form.innerHTML = `<input name="csrf_token" value="${token}"><input name="comment" value="同意">`;
            document.body.appendChild(form);
            form.submit();
        }""",
        task["id"],
    )
    page.wait_for_selector(".refused")
    assert "无权验收通过" in page.inner_text(".refused")
    assert "本次提交没有记录任何内容" in page.inner_text(".refused")
    assert world.events() == before

