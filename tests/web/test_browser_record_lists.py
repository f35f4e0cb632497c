"""In headless Chromium: a leader pages through more than 1,000 findings to the last page, each
page disjoint from the others and all of them the list's total; opens a board count and lands on
the list it counts; saves the list's filter and opens it again from the saved link."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from browser_support import signed_in
from domain.vocabulary import InspectionKind
from web_support import World

FINDINGS = 1_000
PER_INSPECTION = 100


@pytest.fixture(scope="module")
def many(world: World) -> int:
    """A thousand findings more, raised by ten inspections of one branch: ten commands, each
    saving its hundred findings at once (the quick way to a big list, still through the domain)."""
    branch = world.demo.branches[5]
    began = time.perf_counter()
    for number in range(FINDINGS // PER_INSPECTION):
        world.system.app.conduct_inspection(
            world.demo.people.discipline, InspectionKind.RANDOM, branch, f"第{number + 1}轮随机检查",
            [f"第{number + 1}轮检查发现问题{n + 1}：台账记录不全" for n in range(PER_INSPECTION)], world.today,
        )
    world.system.catch_up()
    assert time.perf_counter() - began < 120
    return FINDINGS


def _total(page: Any) -> int:
    return int(re.search(r"(\d+)", page.inner_text("#total")).group(1))


def test_a_leader_pages_through_a_thousand_findings(browser: Any, server: str, world: World, many: int) -> None:
    leader = signed_in(browser, server, world.staff_no(world.demo.people.committee_secretary))
    leader.click("nav.mainnav a[href='/lists/findings']")
    leader.wait_for_url("**/lists/findings")
    total = _total(leader)
    assert total > many
    leader.select_option("#list-filters select[name=per_page]", "200")
    leader.click("#list-filters button")
    leader.wait_for_url("**/lists/findings?*per_page=200*")
    seen: list[str] = []
    pages = 0
    while True:
        pages += 1
        seen += leader.eval_on_selector_all("#record-list tbody tr[data-id]", "rows => rows.map(r => r.dataset.id)")
        following = leader.locator(".pager a[rel=next]")
        if not following.count():
            break
        following.click()
        leader.wait_for_url(f"**page={pages + 1}*")
    assert pages == -(-total // 200) and len(seen) == len(set(seen)) == total
    assert f"第 {pages} / {pages} 页" in leader.inner_text(".pager")
    leader.context.close()


def test_a_board_count_opens_the_list_it_counts_and_a_filter_is_saved(browser: Any, server: str, world: World) -> None:
    leader = signed_in(browser, server, world.staff_no(world.demo.people.committee_secretary))
    leader.goto("/board")
    links = leader.locator("table.board a[data-count=rectifications_open]")
    link = next(links.nth(i) for i in range(links.count()) if links.nth(i).inner_text() != "0")
    counted = int(link.inner_text())
    link.click()
    leader.wait_for_url("**/lists/rectifications?*")
    assert _total(leader) == counted
    rows = leader.locator("#record-list tbody tr[data-id]")
    assert rows.count() == counted > 0 and rows.first.locator("td.source .kind").inner_text() in ("问题", "约谈")
    leader.goto("/board")
    tile = leader.locator(".summary a[data-count=rectifications_closed]")
    closed = int(tile.inner_text())
    tile.click()
    leader.wait_for_url("**/lists/rectifications?*status=closed*")
    assert _total(leader) == closed

    leader.fill("#save-filter input[name=filter_name]", "已销号整改")
    leader.click("#save-filter button")
    leader.wait_for_selector(".notice-ok")
    leader.goto("/lists/rectifications")
    leader.click("#saved-filters a:has-text('已销号整改')")
    leader.wait_for_url("**/lists/rectifications?*status=closed*")
    assert _total(leader) == closed
    leader.set_viewport_size({"width": 390, "height": 844})
    assert leader.evaluate("document.documentElement.scrollWidth") <= 390
    leader.context.close()
