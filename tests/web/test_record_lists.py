"""The lists of findings, interviews, rectifications and meetings: each filtered, sorted, paged,
counted and exported exactly as shown, limited to what the person may see, reachable from the
navigation, and opened by the board's and home's counts of rectifications."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from web_support import Browserless, World

from projections.tables import findings, interviews, meeting_attendees, meetings, rectifications, saved_filters

TOTAL = re.compile(r'<span id="total">共 (\d+) 项</span>')
ROW = re.compile(r'<tr data-id="([0-9a-f]{32})"')
COUNT_LINK = re.compile(r'<a href="([^"]+)" data-count="([a-z_]+)">(?:<strong>)?(\d+)')
TABLES = {"findings": findings, "interviews": interviews, "rectifications": rectifications, "meetings": meetings}


def total(page: str) -> int:
    found = TOTAL.search(page)
    assert found, page[:3000]
    return int(found.group(1))


def rows_in(world: World, name: str, *conditions: object) -> int:
    with world.system.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(TABLES[name]).where(*conditions)).scalar_one()


@pytest.fixture
def leader(world: World, login_as: Callable[[str], Browserless]) -> Browserless:
    return login_as(world.staff_no(world.demo.people.committee_secretary))


@pytest.mark.parametrize("name", TABLES)
def test_each_list_is_in_the_navigation_and_counts_every_row(world: World, leader: Browserless, name: str) -> None:
    home = leader.get("/").text
    assert f'href="/lists/{name}"' in home
    page = leader.get(f"/lists/{name}").text
    assert total(page) == rows_in(world, name) > 0
    assert len(ROW.findall(page)) == min(50, total(page))


@pytest.mark.parametrize("name", TABLES)
def test_each_list_pages_sorts_and_exports_what_it_shows(leader: Browserless, name: str) -> None:
    everything = total(leader.get(f"/lists/{name}").text)
    first = ROW.findall(leader.get(f"/lists/{name}?per_page=20").text)
    second = leader.get(f"/lists/{name}?per_page=20&page=2").text
    if everything > 20:
        assert len(first) == 20 and ROW.findall(second) and not set(first) & set(ROW.findall(second))
        assert "第 2 / " in second and 'rel="prev"' in second
    workbook = leader.get(f"/lists/{name}.xlsx?sort=org&order=desc")
    assert workbook.status_code == 200
    values = list(load_workbook(io.BytesIO(workbook.content)).worksheets[0].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(values) if row and row[0] == "编号")
    assert len(values) - header - 1 == everything
    text = leader.get(f"/lists/{name}.csv?sort=org&order=desc&per_page=20").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][0] == "编号" and len(lines) == everything + 1
    shown = ROW.findall(leader.get(f"/lists/{name}?sort=org&order=desc&per_page=20").text)
    assert [line[0] for line in lines[1:21]] == [row[:8] for row in shown]


def test_findings_filter_by_organisation_status_inspection_and_date(world: World, leader: Browserless) -> None:
    branch = world.demo.branches[0].hex
    mine = leader.get(f"/lists/findings?org={branch}&scope=self").text
    assert total(mine) == rows_in(world, "findings", findings.c.org_id == branch)
    with world.system.engine.connect() as conn:
        rectified = {r[0] for r in conn.execute(select(rectifications.c.source_id).where(rectifications.c.status == "closed"))}
        days = sorted(r[0] for r in conn.execute(select(findings.c.raised_on)))
    closed = leader.get("/lists/findings?status=closed&per_page=200").text
    assert set(ROW.findall(closed)) == {f for f in rectified if rows_in(world, "findings", findings.c.finding_id == f)}
    unrectified = leader.get("/lists/findings?status=unrectified").text
    assert "未整改" in unrectified and total(unrectified) == rows_in(world, "findings") - len(
        {r for r in _sources(world) if rows_in(world, "findings", findings.c.finding_id == r)}
    )
    middle = days[len(days) // 2]
    since = leader.get(f"/lists/findings?from={middle}").text
    assert total(since) == rows_in(world, "findings", findings.c.raised_on >= middle)
    by_kind = leader.get("/lists/findings?inspection=random").text
    assert total(by_kind) == rows_in(world, "findings", findings.c.inspection_kind == "random")
    ordered = leader.get("/lists/findings?sort=raised_on&order=asc&per_page=200").text
    shown = re.findall(r'<td><time datetime="(\d{4}-\d\d-\d\d)"', ordered)
    assert shown and shown == sorted(shown)


def _sources(world: World) -> set[str]:
    with world.system.engine.connect() as conn:
        return {r[0] for r in conn.execute(select(rectifications.c.source_id))}


def test_a_rectification_row_says_what_it_comes_from(world: World, leader: Browserless) -> None:
    page = leader.get("/lists/rectifications?source=finding&per_page=200").text
    with world.system.engine.connect() as conn:
        descriptions = {r[0] for r in conn.execute(
            select(findings.c.description).join(rectifications, rectifications.c.source_id == findings.c.finding_id))}
    cells = re.findall(r'<td class="source"><span class="kind">([^<]+)</span> ([^<]*)</td>', page)
    assert cells and all(kind == "问题" for kind, _ in cells) and {text for _, text in cells} <= descriptions
    interviews_page = leader.get("/lists/rectifications?source=interview").text
    assert '<span class="kind">约谈</span>' in interviews_page
    assert total(page) + total(interviews_page) == rows_in(world, "rectifications")


def test_interviews_filter_by_person_and_meetings_by_state(world: World, leader: Browserless) -> None:
    with world.system.engine.connect() as conn:
        interviewee = conn.execute(select(interviews.c.interviewee_id).limit(1)).scalar_one()
    staff_no = world.staff_no(interviewee)
    theirs = leader.get(f"/lists/interviews?person={staff_no}").text
    assert total(theirs) == rows_in(world, "interviews", (interviews.c.interviewee_id == interviewee) | (interviews.c.interviewer_id == interviewee))
    with world.system.engine.connect() as conn:
        attendee, attended = conn.execute(select(meeting_attendees.c.person_id, func.count()).group_by(meeting_attendees.c.person_id).limit(1)).one()
    theirs = leader.get(f"/lists/meetings?person={world.staff_no(attendee)}").text
    assert total(theirs) == attended > 0 and total(theirs) < rows_in(world, "meetings")
    held = leader.get("/lists/meetings?status=held").text
    assert total(held) == rows_in(world, "meetings", meetings.c.held_on.is_not(None))
    assert total(leader.get("/lists/meetings?type=work_group").text) == rows_in(world, "meetings", meetings.c.kind == "work_group")


def test_the_board_s_rectification_counts_open_the_list_they_count(leader: Browserless) -> None:
    board = leader.get("/board").text
    links = [(href.replace("&amp;", "&"), m, int(n)) for href, m, n in COUNT_LINK.findall(board) if m.startswith("rectifications")]
    assert {m for _, m, _ in links} == {"rectifications_open", "rectifications_overdue", "rectifications_closed"}
    checked = [link for link in links if link[2] > 0][:6] + [link for link in links if "board=1" in link[0]]
    for href, measure, count in checked:
        assert href.startswith("/lists/rectifications?")
        assert total(leader.get(href).text) == count, (measure, href)


def test_home_s_rectification_count_opens_the_list_it_counts(world: World, login_as: Callable[[str], Browserless]) -> None:
    task = world.overdue_secretary_task(in_chain=True)
    secretary = login_as(world.staff_no(task["owner_id"]))
    links = {m: (href.replace("&amp;", "&"), int(n)) for href, m, n in COUNT_LINK.findall(secretary.get("/").text)}
    href, count = links["rectifications_open"]
    assert count > 0 and total(secretary.get(href).text) == count


def test_a_secretary_lists_only_what_they_may_see(world: World, login_as: Callable[[str], Browserless]) -> None:
    with world.system.engine.connect() as conn:
        found_in = {r[0] for r in conn.execute(select(findings.c.org_id))}
    branch = next(b for b in world.demo.branches if b.hex in found_in)
    other = next(b for b in world.demo.branches if b != branch)
    secretary = login_as(world.staff_no(world.demo.people.secretaries[branch]))
    assert total(secretary.get(f"/lists/findings?org={other.hex}").text) == 0
    assert total(secretary.get("/lists/findings").text) == rows_in(world, "findings", findings.c.org_id == branch.hex) > 0


def test_a_wrong_filter_is_named(leader: Browserless) -> None:
    refused = leader.get("/lists/findings?status=finished")
    assert refused.status_code == 422 and "finished" in refused.text
    assert leader.get("/lists/meetings?sort=owner").status_code == 422
    assert leader.get("/lists/rectifications?from=2026-13-01").status_code == 422
    assert leader.get("/lists/tasks-and-more").status_code == 404
    assert leader.get("/lists/findings.pdf").status_code == 422


def _saved(world: World) -> list[tuple[str, str, str, str]]:
    with world.system.engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(
            saved_filters.c.person_id, saved_filters.c.list_name, saved_filters.c.filter_name, saved_filters.c.query)))


def test_a_person_saves_sees_and_deletes_filters_of_their_own(world: World, login_as: Callable[[str], Browserless]) -> None:
    leader = login_as(world.staff_no(world.demo.people.committee_secretary))
    dept = login_as(world.staff_no(world.demo.people.party_dept[0]))
    page = "/lists/findings?status=closed&inspection=random&page=2"
    saved = leader.post("/saved-filters", {"list_name": "findings", "filter_name": "已销号的随机检查问题",
                                           "query": "status=closed&inspection=random&page=2"}, page=page)
    assert saved.status_code == 200 and saved.url.path == "/lists/findings" and "page=" not in str(saved.url)
    assert "已保存筛选“已销号的随机检查问题”" in saved.text
    leader.post("/saved-filters", {"list_name": "tasks", "filter_name": "严重逾期", "query": "level=seriously_overdue"}, page="/tasks")
    listed = leader.get("/lists/findings").text
    link = re.search(r'<a class="button small" href="([^"]+)">已销号的随机检查问题</a>', listed)
    assert link and total(leader.get(link.group(1).replace("&amp;", "&")).text) == total(
        leader.get("/lists/findings?status=closed&inspection=random").text)
    assert "已销号的随机检查问题" not in dept.get("/lists/findings").text
    assert "严重逾期</a>" in leader.get("/tasks").text and "已销号的随机检查问题" not in leader.get("/tasks").text

    before = _saved(world)
    world.system.views.rebuild(["directory"])
    assert _saved(world) == before and len(before) >= 2

    gone = leader.post("/saved-filters/delete", {"list_name": "findings", "filter_name": "已销号的随机检查问题"}, page="/lists/findings")
    assert gone.status_code == 200 and "已删除筛选" in gone.text and "已销号的随机检查问题</a>" not in gone.text
    assert leader.post("/saved-filters/delete", {"list_name": "findings", "filter_name": "已销号的随机检查问题"},
                       page="/lists/findings").status_code == 422
    assert leader.post("/saved-filters", {"list_name": "inbox", "filter_name": "x", "query": ""}, page="/tasks").status_code == 422


@pytest.mark.parametrize("name", TABLES)
def test_each_list_speaks_english_when_asked(leader: Browserless, name: str) -> None:
    leader.client.cookies.set("dutyloop_locale", "en")
    try:
        page = leader.get(f"/lists/{name}").text
        workbook = leader.get(f"/lists/{name}.csv").content.decode("utf-8-sig")
    finally:
        leader.client.cookies.delete("dutyloop_locale")
    form = page[page.index('id="list-filters"'):page.index("</form>", page.index('id="list-filters"'))]
    labels = re.findall(r"<label>([^<]+)<", form) + [text for value, text in re.findall(r'<option value="([a-z_0-9]+)"[^>]*>([^<]+)</option>', form) if len(value) != 32]
    assert labels and not [text for text in labels if re.search(r"[\u4e00-\u9fff]", text)], labels
    assert re.search(r'<span id="total">\d+ in all</span>', page) and workbook.startswith("Id,")


@pytest.mark.parametrize("name", TABLES)
def test_the_api_answers_each_list_page_s_question(world: World, leader: Browserless, name: str) -> None:
    branch = world.demo.branches[1].hex
    page = leader.get(f"/api/v1/lists/{name}?org={branch}&per_page=20&sort=org").json()
    assert page["total"] == total(leader.get(f"/lists/{name}?org={branch}").text)
    assert len(page["items"]) == min(20, page["total"]) and page["per_page"] == 20
    key = f"{name[:-1]}_id"
    shown = ROW.findall(leader.get(f"/lists/{name}?org={branch}&per_page=20&sort=org").text)
    assert [item[key].replace("-", "") for item in page["items"]] == shown
    assert leader.get(f"/api/v1/lists/{name}?status=finished").status_code == 422
