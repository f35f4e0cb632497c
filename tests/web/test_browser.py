"""End to end in headless Chromium against a real server on loopback: a secretary sees an overdue
warning and reports a task done with an uploaded file; discipline inspection opens that task's
chain; a forbidden action is refused and records nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from browser_support import signed_in
from web_support import World


@pytest.fixture(scope="module")
def task(world: World) -> dict[str, Any]:
    """The overdue task of the story: a secretary reports it done, discipline opens its chain."""
    return world.overdue_secretary_task(in_chain=True)


def _page(browser: Any, base: str, staff_no: str) -> Any:
    return signed_in(browser, base, staff_no, viewport={"width": 1360, "height": 900})


def test_a_secretary_sees_the_overdue_warning_and_reports_done_with_a_file(
    browser: Any, server: str, world: World, task: dict[str, Any], tmp_path: Path
) -> None:
    page = _page(browser, server, world.staff_no(UUID(task["owner_id"])))
    row = page.locator("table.warnings tr", has_text=task["title"]).first
    assert row.locator(".badge").inner_text() in ("已逾期", "严重逾期")

    page.click(f"a[href='/tasks/{task['id']}']")
    evidence = tmp_path / "主题党日签到表.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% sign-in sheet of the theme day\n%%EOF\n")
    before = world.events()
    page.fill("#done-form textarea[name=note]", "已完成，附签到表")
    page.set_input_files("#evidence-files", str(evidence))
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


def test_discipline_inspection_opens_that_tasks_chain(browser: Any, server: str, world: World, task: dict[str, Any]) -> None:
    page = _page(browser, server, world.staff_no(world.demo.people.discipline))
    page.goto(f"/tasks/{task['id']}")
    assert page.locator("#report form:not([action$='/urge'])").count() == 0, "discipline inspection reads tasks and may only urge them"
    assert page.locator("#report form[action$='/urge']").count() == 1
    page.click("a.chain-link")
    page.wait_for_url("**/chains/**")
    assert "整改链全过程" in page.inner_text("h1")
    events = page.locator("ol.timeline li").all_inner_texts()
    assert any("约谈" in e for e in events)
    assert page.locator(".steps li.done").count() >= 2
    page.goto("/board")
    assert page.locator("table.board tbody tr").count() == len(world.demo.branches)
    assert page.locator("td.cnt-bad").count() > 0


def test_a_forbidden_action_is_refused_and_records_nothing(
    browser: Any, server: str, world: World, task: dict[str, Any]
) -> None:
    page = _page(browser, server, world.staff_no(world.demo.people.discipline))
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

