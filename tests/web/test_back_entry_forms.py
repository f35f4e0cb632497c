"""补录 on the web: the task's and the rectification's action forms carry a 业务日期 field. A paper
record entered later is recorded as of its business day by the same command; a day the rules
refuse is told in Chinese, naming that field (the page shows it beside the field), with nothing
recorded."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from browser_support import axe_source, signed_in
from sqlalchemy import select
from web_support import Browserless, World

from projections import lookup
from projections.tables import rectifications


def _refused_day(page: str) -> str:
    """The refusal's message, from an answer that names the 业务日期 field (``on``) as at fault."""
    found = re.search(r'<section class="card refused" data-code="[a-z_]+" data-field="on">.*?'
                      r'<p class="error" role="alert">([^<]+)</p>', page, re.DOTALL)
    assert found, "the refusal does not name the 业务日期 field"
    return found.group(1)


def _back_entry_limit(world: World, days: int) -> None:
    """The thresholds' 补录 limit, as an administrator sets it (the demo's tasks began months ago)."""
    with world.system.engine.connect() as conn:
        admin = UUID(lookup.resolve_person(conn, "A0001"))
    world.system.app.set_back_entry_limit(admin, days)
    world.system.catch_up()


def test_a_done_report_from_paper_is_entered_with_its_business_day(world: World, login_as: Callable[[str], Browserless]) -> None:
    task = world.overdue_secretary_task(status="signed")
    issued_on = world.system.app.task(UUID(task["id"])).issued_on
    secretary = login_as(world.staff_no(UUID(task["owner_id"])))
    page = secretary.get(f"/tasks/{task['id']}").text
    assert 'name="on"' in page and "业务日期（补录纸质记录时填写，留空为今天）" in page
    assert f'max="{world.today.isoformat()}"' in page

    def report(on: str) -> object:
        version = world.system.app.task(UUID(task["id"])).version
        return secretary.post(f"/tasks/{task['id']}/done", {"text": "纸质台账已归档", "on": on, "expected_version": str(version)},
                              page=f"/tasks/{task['id']}")

    _back_entry_limit(world, 10)
    before = world.events()
    too_old = report("2026-06-01")
    assert too_old.status_code == 422
    assert _refused_day(too_old.text) == "补录日期 2026-06-01 距今超过 10 个工作日，须由系统管理员补录"
    future = report("2026-07-01")
    assert future.status_code == 422 and _refused_day(future.text) == "业务日期 2026-07-01 晚于今天 2026-06-30"
    assert "业务日期的值无效：6月1日" in _refused_day(report("6月1日").text)
    assert world.events() == before, "a refused day records nothing"
    _back_entry_limit(world, 250)
    before = world.events()
    early = report((issued_on - timedelta(days=1)).isoformat())
    assert early.status_code == 422
    assert _refused_day(early.text) == (
        f"补录日期 {issued_on - timedelta(days=1)} 早于该任务的开始日期 {issued_on}")
    assert world.events() == before, "a refused day records nothing"

    day = max(issued_on, date(2026, 6, 24))
    entered = report(day.isoformat())
    assert entered.status_code == 200 and "已报送完成" in entered.text
    recorded = world.system.app.task(UUID(task["id"]))
    assert recorded.status == "reported_done" and recorded.reported_done_on == day
    assert '<span class="tag back-entry">补录</span>' in secretary.get(f"/tasks/{task['id']}").text

    supervisor = login_as(world.staff_no(UUID(recorded.reviewer)))
    version = recorded.version
    refused = supervisor.post(f"/tasks/{task['id']}/accept", {"on": "2026-07-02", "expected_version": str(version)},
                              page=f"/tasks/{task['id']}")
    assert refused.status_code == 422 and "晚于今天" in _refused_day(refused.text)
    accepted = supervisor.post(f"/tasks/{task['id']}/accept", {"on": day.isoformat(), "expected_version": str(version)},
                               page=f"/tasks/{task['id']}")
    assert accepted.status_code == 200 and "已验收通过" in accepted.text
    assert world.system.app.task(UUID(task["id"])).accepted_on == day


def test_a_rectification_step_from_paper_is_refused_beside_its_field_then_entered(
    world: World, login_as: Callable[[str], Browserless]
) -> None:
    with world.system.engine.connect() as conn:
        rect = conn.execute(select(rectifications).where(rectifications.c.status == "opened")
                            .order_by(rectifications.c.opened_on.desc())).mappings().first()
    assert rect is not None, "the demo has an open rectification"
    _back_entry_limit(world, 250)
    opened_on = date.fromisoformat(rect["opened_on"])
    owner = login_as(world.staff_no(UUID(rect["owner_id"])))
    path = f"/chains/{rect['rectification_id']}"
    version = world.system.app.rectification(UUID(rect["rectification_id"])).version
    before = world.events()
    early = owner.post(f"/rectifications/{rect['rectification_id']}/progress",
                       {"note": "按纸质记录补录", "on": (opened_on - timedelta(days=1)).isoformat(), "expected_version": str(version)},
                       page=path)
    assert early.status_code == 422
    assert _refused_day(early.text) == f"补录日期 {opened_on - timedelta(days=1)} 早于该整改的开始日期 {opened_on}"
    assert world.events() == before

    day = max(opened_on, date(2026, 6, 24))
    entered = owner.post(f"/rectifications/{rect['rectification_id']}/progress",
                         {"note": "按纸质记录补录", "on": day.isoformat(), "expected_version": str(version)}, page=path)
    assert entered.status_code == 200 and "已记录整改进展" in entered.text
    assert world.events() == before + 1


def test_in_the_browser_a_refused_day_is_told_beside_the_field_and_a_good_one_recorded(
    browser: Any, server: str, world: World
) -> None:
    """On a phone: the done form is sent in the background; the refusal of its 业务日期 appears
    beside that field (accessible), and the corrected day is recorded and tagged 补录."""
    _back_entry_limit(world, 10)
    task = world.overdue_secretary_task(status="signed")
    page = signed_in(browser, server, world.staff_no(UUID(task["owner_id"])), f"/tasks/{task['id']}",
                     viewport={"width": 390, "height": 844})
    before = world.events()
    page.fill("#done-form input[name=text]", "纸质签到表已归档")
    page.fill("#done-form input[name=on]", "2026-06-01")
    page.click("#report-done")
    said = page.wait_for_selector("#done-form label.back-entry + p.form-error[role=alert]")
    assert said.inner_text() == "补录日期 2026-06-01 距今超过 10 个工作日，须由系统管理员补录"
    assert page.get_attribute("#done-form input[name=on]", "aria-invalid") == "true"
    assert page.get_attribute("#done-form input[name=on]", "aria-describedby") == said.get_attribute("id")
    assert page.input_value("#done-form input[name=text]") == "纸质签到表已归档", "what was typed is kept"
    assert world.events() == before
    page.evaluate(axe_source())
    violations = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("critical", "serious")] == []

    page.fill("#done-form input[name=on]", "2026-06-26")
    page.click("#report-done")
    page.wait_for_selector(".notice-ok")
    assert "已报送完成" in page.inner_text(".notice-ok")
    done = page.locator("ol.timeline li[data-event=TaskReportedDone]")
    assert "补录" in done.inner_text() and "2026-06-26" in done.inner_text()
    assert world.system.app.task(UUID(task["id"])).reported_done_on == date(2026, 6, 26)
