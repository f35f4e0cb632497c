"""The task list page: filters, sorting, pages, a total, exports of what is shown, and the board's
and home's counts opening the list they count."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from openpyxl import load_workbook

from web_support import Browserless, World

COUNT_LINK = re.compile(r'<a href="([^"]+)" data-count="([a-z_]+)">(?:<strong>)?(\d+)')
TOTAL = re.compile(r'<span id="total">共 (\d+) 项</span>')
ROW = re.compile(r'<input type="checkbox" name="task" value="([0-9a-f]{32})"')


def total(page: str) -> int:
    found = TOTAL.search(page)
    assert found, page[:2000]
    return int(found.group(1))


def test_every_board_count_opens_the_list_it_counts(world: World, login_as: Callable[[str], Browserless]) -> None:
    leader = login_as(world.staff_no(world.demo.people.committee_secretary))
    board = leader.get("/board").text
    links = [(href.replace("&amp;", "&"), measure, int(n)) for href, measure, n in COUNT_LINK.findall(board)]
    tasks = [link for link in links if link[0].startswith("/tasks")]
    assert {m for _, m, _ in tasks} == {"tasks_open", "tasks_overdue", "done_on_time", "done_late", "awaiting_acceptance"}
    assert any(n > 0 for _, m, n in tasks if m == "tasks_overdue")
    for href, measure, count in tasks[:5] + [t for t in tasks if t[1] == "tasks_overdue" and t[2] > 0][:3]:
        assert total(leader.get(href).text) == count, (measure, href)
    assert {link[0].split("?")[0] for link in links if not link[0].startswith("/tasks")} == {"/lists/rectifications"}


def test_home_counts_open_the_list_they_count(world: World, login_as: Callable[[str], Browserless]) -> None:
    branch = world.demo.branches[0]
    secretary = login_as(world.staff_no(world.demo.people.secretaries[branch]))
    home = secretary.get("/").text
    links = {measure: (href.replace("&amp;", "&"), int(n)) for href, measure, n in COUNT_LINK.findall(home)}
    href, count = links["tasks_open"]
    assert total(secretary.get(href).text) == count
    href, count = links["overdue"]
    listed = secretary.get(href).text
    assert listed.count('<tr class="row-overdue">') == count


def test_filters_sort_pages_and_export_what_is_shown(world: World, login_as: Callable[[str], Browserless]) -> None:
    leader = login_as(world.staff_no(world.demo.people.committee_secretary))
    everything = total(leader.get("/tasks").text)
    branch = world.demo.branches[1].hex
    mine = leader.get(f"/tasks?org={branch}&status=accepted&sort=deadline&order=desc&per_page=20").text
    shown = total(mine)
    assert 0 < shown < everything
    deadlines = re.findall(r"<td class=\"deadline\">(?:<time[^>]*>)?(\d{4}-\d\d-\d\d)", mine)
    assert deadlines and deadlines == sorted(deadlines, reverse=True)

    first, second = leader.get("/tasks?per_page=20").text, leader.get("/tasks?per_page=20&page=2").text
    assert len(ROW.findall(first)) == 20 and ROW.findall(second) and not set(ROW.findall(first)) & set(ROW.findall(second))
    assert "第 1 / " in first and 'rel="next"' in first

    workbook = leader.get(f"/tasks.xlsx?org={branch}&status=accepted&sort=deadline&order=desc")
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(values) if row and row[0] == "编号")
    assert len(values) - header - 1 == shown
    text = leader.get(f"/tasks.csv?org={branch}&status=accepted").content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == shown + 1

    level = leader.get("/tasks?level=seriously_overdue").text
    assert total(level) > 0 and "严重逾期" in level


def test_a_secretary_lists_only_what_they_may_see(world: World, login_as: Callable[[str], Browserless]) -> None:
    branch, other = world.demo.branches[0], world.demo.branches[1]
    secretary = login_as(world.staff_no(world.demo.people.secretaries[branch]))
    assert total(secretary.get(f"/tasks?org={other.hex}").text) == 0
    assert total(secretary.get(f"/tasks?org={branch.hex}").text) > 0


def test_a_wrong_filter_is_named(world: World, login_as: Callable[[str], Browserless]) -> None:
    leader = login_as(world.staff_no(world.demo.people.committee_secretary))
    refused = leader.get("/tasks?status=finished")
    assert refused.status_code == 422 and "finished" in refused.text
    assert leader.get("/tasks?from=2026-13-01").status_code == 422


def test_the_api_answers_the_list_page_s_question(world: World, login_as: Callable[[str], Browserless]) -> None:
    leader = login_as(world.staff_no(world.demo.people.committee_secretary))
    branch = world.demo.branches[1].hex
    page = leader.get(f"/api/v1/task-list?org={branch}&status=accepted&per_page=20").json()
    assert page["total"] == total(leader.get(f"/tasks?org={branch}&status=accepted").text)
    assert len(page["items"]) == min(20, page["total"]) and all(t["status"] == "accepted" for t in page["items"])


def test_search_finds_two_character_words_in_what_the_person_may_see(
    world: World, login_as: Callable[[str], Browserless]
) -> None:
    leader = login_as(world.staff_no(world.demo.people.committee_secretary))
    page = leader.get("/search?q=整改").text
    hits = int(re.search(r'<p class="muted" id="search-total">共 (\d+) 条</p>', page).group(1))
    assert hits > 0 and "<mark>整改</mark>" in page
    branch = world.demo.branches[0]
    secretary = login_as(world.staff_no(world.demo.people.secretaries[branch]))
    theirs = int(re.search(r'id="search-total">共 (\d+) 条', secretary.get("/search?q=整改").text).group(1))
    assert 0 < theirs < hits
    api = leader.get("/api/v1/search?q=整改&per_page=5").json()
    assert api["total"] == hits and api["items"] and all("【整改】" in item["snippet"] for item in api["items"])


def test_pickers_offer_the_few_people_and_organisations_that_match(world: World, login_as: Callable[[str], Browserless]) -> None:
    leader = login_as(world.staff_no(world.demo.people.committee_secretary))
    secretary = world.system.app.person(world.demo.people.secretaries[world.demo.branches[0]])
    offered = leader.get(f"/pick/people?q={secretary.name}").json()
    assert {"value": secretary.staff_no} in [{"value": o["value"]} for o in offered] and len(offered) <= 15
    assert leader.get(f"/pick/people?q={secretary.staff_no}").json()[0]["value"] == secretary.staff_no
    branch = world.system.app.organisation(world.demo.branches[0]).name
    assert branch in [o["value"] for o in leader.get(f"/pick/organisations?q={branch[:3]}").json()]
    assert leader.get("/pick/people?q=").json() == []
