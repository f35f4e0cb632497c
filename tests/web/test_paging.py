"""Every list that grows is paged: the findings and interviews of /inspections, the people and
organisations of /admin, the reviews of a year, the inbox and the trail of the API — each page
disjoint from the next, all of them together the whole list."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from web_support import Browserless, World

from dutyloop.cli.notify import notifier_for
from dutyloop.web.routes import admin, assessment, chains, inspections
from projections.assessment_queries import review_list
from projections.tables import findings, organisations, people, rectifications

NEXT = re.compile(r'<a class="button small" rel="next" href="\?([^"]+)"')


def _count(world: World, table: Any) -> int:
    with world.system.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _pages(client: Browserless, path: str, row: re.Pattern[str], section: str = "page") -> list[list[str]]:
    """Follow the next links of a list (those of ``section``'s pager: its parameter comes last), from
    its first page to its last."""
    pages, query = [], ""
    while True:
        page = client.get(f"{path.split('?')[0]}?{query}" if query else path).text
        pages.append(row.findall(page))
        found = [m for m in NEXT.finditer(page) if re.search(rf"(^|&(amp;)?){section}=\d+$", m.group(1))]
        if not found:
            return pages
        query = found[0].group(1).replace("&amp;", "&")
        assert len(pages) < 100


def _whole(pages: list[list[str]]) -> list[str]:
    every = [item for page in pages for item in page]
    assert len(every) == len(set(every)), "pages overlap"
    return every


@pytest.fixture
def leader(world: World, login_as: Callable[[str], Browserless]) -> Browserless:
    return login_as(world.staff_no(world.demo.people.committee_secretary))


def test_inspections_page_their_findings(world: World, leader: Browserless, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inspections, "PER_PAGE", 10)
    pages = _pages(leader, "/inspections", re.compile(r'<tr data-finding="([0-9a-f]{32})"'), "fpage")
    assert len(pages) > 1 and all(len(p) == 10 for p in pages[:-1])
    assert len(_whole(pages)) == _count(world, findings)


def test_the_open_chains_are_paged(world: World, leader: Browserless, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chains, "PER_PAGE", 3)
    pages = _pages(leader, "/chains", re.compile(r'<td><a href="/chains/([0-9a-f]{32})">'))
    with world.system.engine.connect() as conn:
        still_open = conn.execute(select(func.count()).select_from(rectifications).where(rectifications.c.status != "closed")).scalar_one()
    assert len(pages) > 1 and all(len(p) == 3 for p in pages[:-1]) and len(_whole(pages)) == still_open


def test_admin_pages_people_and_organisations(world: World, login_as: Callable[[str], Browserless],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(admin, "PER_PAGE", 5)
    person = re.compile(r'action="/admin/people/([0-9a-f]{32})/password"')
    administrator = login_as(world.staff_no(world.demo.people.admin))
    first = administrator.get("/admin").text
    assert len(person.findall(first)) == 5 and len(first.encode()) < 150_000
    assert len(_whole(_pages(administrator, "/admin", person, "ppage"))) == _count(world, people)
    org = re.compile(r"<tr><td>([^<]+)</td><td>(?:党支部|临时党支部|公司党委)</td>")
    assert len(_whole(_pages(administrator, "/admin", org, "opage"))) == _count(world, organisations)
    secretary = world.system.app.person(world.demo.people.secretaries[world.demo.branches[0]])
    found = administrator.get(f"/admin?q={secretary.name}").text
    assert secretary.id.hex in person.findall(found) and int(re.search(r'id="people-total">(\d+)<', found).group(1)) < 5


def test_a_role_is_assigned_in_an_organisation_named_as_the_picker_offers_it(world: World, login_as: Callable[[str], Browserless]) -> None:
    administrator = login_as(world.staff_no(world.demo.people.admin))
    branch = world.system.app.organisation(world.demo.branches[2])
    member = world.demo.people.secretaries[world.demo.branches[3]]
    done = administrator.post(f"/admin/people/{member.hex}/roles", {"role": "party_worker", "org_id": branch.name}, page="/admin")
    assert done.status_code == 200 and "已分配角色" in done.text
    assert any(a.org_id == branch.id for a in world.system.app.person(member).assignments)


def test_reviews_are_paged(world: World, leader: Browserless, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assessment, "REVIEWS_PER_PAGE", 2)
    year = world.today.year
    with world.system.engine.connect() as conn:
        filed = len(review_list(conn, year))
    pages = _pages(leader, f"/reviews?year={year}", re.compile(r'<tr><td>([^<]+)</td><td>'))
    everything = _whole(pages)
    assert filed > 2 and len(pages) == -(-filed // 2) and len(everything) == filed


def test_the_inbox_is_paged(world: World, login_as: Callable[[str], Browserless]) -> None:
    notifier = notifier_for(world.system)
    app, people = world.system.app, world.demo.people
    branch = world.demo.branches[4]
    owner = people.secretaries[branch]
    tasks = world.issue_tasks(branch, [f"报送第{n}项材料" for n in range(60)])
    outcomes = app.act_on_each(people.party_dept[0], "urge", tasks, "请按时报送")
    assert all(o.refusal is None for o in outcomes)
    notifier.run_once()
    secretary = login_as(world.staff_no(owner))
    message = re.compile(r'action="/inbox/([0-9a-f]+)/read"')
    pages = _pages(secretary, "/inbox", message)
    assert len(pages) > 1 and all(len(p) == 50 for p in pages[:-1]) and len(_whole(pages)) > 60


def test_the_trail_api_pages_by_position(leader: Browserless) -> None:
    first = leader.get("/api/v1/trail?limit=30").json()
    after = leader.get(f"/api/v1/trail?limit=30&before={first[-1]['notification_id']}").json()
    both = [t["notification_id"] for t in first + after]
    assert len(first) == len(after) == 30 and both == sorted(both, reverse=True) and len(set(both)) == 60
