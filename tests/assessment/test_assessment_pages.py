"""The 述责 · 考责 pages on the demo year: what a secretary sees (their own branch's points, the
published rankings) and what the committee sees (every branch), the review forms, publishing the
631, the .xlsx and the PDFs — through the real app, with login and CSRF as a browser does it."""

from __future__ import annotations

import io
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx2
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from dutyloop.web.threaded import serving

from domain.clock import ManualClock
from dutyloop.demo import build_demo
from dutyloop.settings import Settings
from dutyloop.web.accounts import Accounts
from dutyloop.web.app import create_app
from dutyloop.wiring import System, open_system
from projections import assessment_queries as aq
from projections import directory_queries
from projections.tables import role_assignments

END = date(2026, 11, 24)
PASSWORD = "dutyloop-demo"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    clock = ManualClock(datetime(END.year, END.month, END.day, 9, 0))
    opened = open_system(Settings(data_dir=tmp_path_factory.mktemp("pages")), clock)
    build_demo(opened.app, clock, END, branches=8)
    opened.catch_up()
    accounts = Accounts(opened.engine)
    accounts.create_tables()
    with opened.engine.connect() as conn:
        accounts.give_missing([(p["person_id"], p["staff_no"]) for p in directory_queries.people_list(conn)], PASSWORD)
    yield opened
    opened.close()


def holders(system: System, role: str) -> list[dict[str, Any]]:
    with system.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(role_assignments).where(role_assignments.c.role == role)).mappings()]


class Person:
    def __init__(self, client: TestClient) -> None:
        self.client = client

    def post(self, path: str, data: dict[str, str], page: str) -> Any:
        token = CSRF.search(self.client.get(page).text)
        assert token, f"no form on {page}"
        return self.client.post(path, data={**data, "csrf_token": token.group(1)})


@pytest.fixture(scope="module")
def login(system: System) -> Iterator[Callable[[str], Person]]:
    app = create_app(system)
    clients: list[TestClient] = []

    def as_(role: str) -> Person:
        staff_no = system.app.person(UUID(holders(system, role)[0]["person_id"])).staff_no
        client = TestClient(app)
        clients.append(client)
        page = client.get("/login")
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        response = client.post("/login", data={"staff_no": staff_no, "password": PASSWORD, "next": "/", "csrf_token": token})
        assert response.status_code == 200, response.text[:300]
        return Person(client)

    yield as_
    for client in clients:
        client.close()


def test_a_secretary_sees_their_own_branch_and_the_published_rankings(system: System, login: Callable[[str], Person]) -> None:
    secretary = login("branch_secretary")
    own = holders(system, "branch_secretary")[0]["org_id"]
    page = secretary.client.get("/points")
    assert page.status_code == 200 and page.url.path == f"/points/{own}"
    assert "<svg" in page.text and "中位数" in page.text and 'id="point-rows"' in page.text
    other = next(r["org_id"] for r in holders(system, "branch_secretary") if r["org_id"] != own)
    assert secretary.client.get(f"/points/{other}").status_code == 403
    assert secretary.client.get(f"/assessment/{END.year}/{other}").status_code == 403
    assert secretary.client.get("/ranking?quarter=2026Q3").status_code == 200
    assessment = secretary.client.get(f"/assessment?year={END.year}")
    assert "尚未发布" in assessment.text and 'id="computed"' not in assessment.text
    assert secretary.client.get(f"/assessment/{END.year}.xlsx").status_code == 403


def test_the_committee_sees_every_branch_publishes_the_631_and_exports_it(system: System, login: Callable[[str], Person]) -> None:
    chief, admin = login("committee_secretary"), login("admin")
    board = chief.client.get(f"/points?year={END.year}")
    with system.engine.connect() as conn:
        branches = aq.branches(conn)
        expected = [s.as_record() for s in aq.assessment(conn, END.year)]
    assert all(b["name"] in board.text for b in branches) and "按时完成率" in board.text
    ranking = chief.client.get("/ranking?quarter=2026Q3")
    assert 'id="side-by-side"' in ranking.text and "前列支部" in ranking.text
    computed = chief.client.get(f"/assessment?year={END.year}")
    assert 'id="computed"' in computed.text and expected[0]["name"] in computed.text and 'id="publish"' not in computed.text

    refused = chief.post(f"/assessment/{END.year}/publish", {}, f"/assessment?year={END.year}")
    assert refused.status_code == 403
    with system.engine.connect() as conn:
        assert aq.published_assessment(conn, END.year) is None
    published = admin.post(f"/assessment/{END.year}/publish", {}, f"/assessment?year={END.year}")
    assert published.status_code == 200 and 'id="published"' in published.text
    with system.engine.connect() as conn:
        assert aq.published_assessment(conn, END.year)["results"] == expected
    again = admin.post(f"/assessment/{END.year}/publish", {}, f"/assessment?year={END.year}")
    assert again.status_code == 422 and "已发布" in again.text

    book = load_workbook(io.BytesIO(chief.client.get(f"/assessment/{END.year}.xlsx").content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][1] == expected[0]["name"] and len(rows) == len(expected) + 1
    first = expected[0]["org_id"]
    explained = chief.client.get(f"/assessment/{END.year}/{first}")
    assert explained.status_code == 200 and expected[0]["total"] in explained.text
    assert "党建专业管理能力" in explained.text
    secretary_view = login("branch_secretary").client.get(f"/assessment?year={END.year}")
    assert 'id="published"' in secretary_view.text and expected[-1]["name"] in secretary_view.text


def test_reviews_are_recalled_graded_and_published_from_the_page(system: System, login: Callable[[str], Person]) -> None:
    chief = login("committee_secretary")
    page = f"/reviews?year={END.year}"
    listed = chief.client.get(page)
    assert 'id="reviews"' in listed.text and "已发布" in listed.text
    org = holders(system, "branch_secretary")[0]["org_id"]
    assert chief.post(f"/reviews/{END.year}/{org}/recall", {"reason": "复核"}, page).status_code == 200
    assert chief.post(f"/reviews/{END.year}/{org}/grade", {"grade": "good"}, page).status_code == 200
    assert chief.post(f"/reviews/{END.year}/{org}/publish", {}, page).status_code == 200
    with system.engine.connect() as conn:
        [review] = [r for r in aq.review_list(conn, END.year) if r["org_id"] == org]
    assert review["status"] == "published" and [h["event"] for h in review["history"][-3:]] == [
        "ReviewRecalled", "ReviewGraded", "ReviewPublished"
    ]
    secretary = login("branch_secretary")
    refused = secretary.post(f"/reviews/{END.year}/{org}/publish", {}, page)
    assert refused.status_code == 403


@pytest.mark.skipif(shutil.which("chromium") is None, reason="the PDF is printed by Chromium (.ci/run installs it)")
def test_the_bulletin_and_the_quarter_sheet_download_as_pdf(login: Callable[[str], Person]) -> None:
    secretary = login("branch_secretary")
    bulletin = secretary.client.get("/bulletin/2026-10.pdf")
    assert bulletin.status_code == 200 and bulletin.headers["content-type"] == "application/pdf" and bulletin.content.startswith(b"%PDF")
    sheet = secretary.client.get("/ranking/2026Q3.pdf")
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")


CHROMIUM = os.environ.get("DUTYLOOP_CHROMIUM") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def served(system: System) -> Iterator[str]:
    with serving(create_app(system)) as base:
        yield base


@pytest.mark.skipif(shutil.which("chromium") is None, reason="the browser test needs Chromium (.ci/run installs it)")
def test_a_secretary_sees_the_chart_of_their_branch_in_a_real_browser(system: System, served: str) -> None:
    from playwright.sync_api import sync_playwright

    staff_no = system.app.person(UUID(holders(system, "branch_secretary")[0]["person_id"])).staff_no
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(base_url=served, locale="zh-CN")
            page.goto("/login")
            page.fill("input[name=staff_no]", staff_no)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{served}/")
            page.click("nav.mainnav >> text=积分")
            page.wait_for_selector("svg.chart")
            chart = page.locator("svg.chart").bounding_box()
            assert chart is not None and chart["width"] > 300 and chart["height"] > 150
            assert page.locator("svg.chart polyline").count() == 2  # the branch and the median
            assert page.locator("svg.chart").get_by_text("中位数", exact=True).is_visible()
            page.goto("/ranking?quarter=2026Q3")
            assert page.locator("#side-by-side tbody tr").count() >= 1
        finally:
            browser.close()


def _chromium_prints() -> tuple[int, int]:
    """Chromium processes started by this process (at any depth) now, and how many prints they
    belong to (each print has a profile folder of its own)."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().decode(errors="replace")
        except (OSError, IndexError, ValueError):
            continue
    me = os.getpid()

    def ours(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 0)
            if pid == me:
                return True
        return False

    found = [commands[pid] for pid in parents if "chrom" in commands.get(pid, "") and "dutyloop-pdf-" in commands[pid] and ours(pid)]
    profiles = {part for command in found for part in command.split("\0") if part.startswith("--user-data-dir=")}
    return len(found), len(profiles)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="the PDF is printed by Chromium (.ci/run installs it)")
def test_eight_parallel_pdf_requests_print_one_at_a_time_and_once(system: System, served: str) -> None:
    """Before: every request started its own Chromium (8 at once: 104 processes, about 10 GB)."""
    staff_no = system.app.person(UUID(holders(system, "branch_secretary")[0]["person_id"])).staff_no
    months = ["2026-09", "2026-08"] * 4
    clients = []
    for _ in months:
        client = httpx2.Client(base_url=served, timeout=300, follow_redirects=True)
        token = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
        client.post("/login", data={"staff_no": staff_no, "password": PASSWORD, "next": "/", "csrf_token": token})
        clients.append(client)
    seen: list[tuple[int, int]] = []
    answers: dict[int, Any] = {}
    watching = threading.Event()

    def watch() -> None:
        while not watching.is_set():
            seen.append(_chromium_prints())
            time.sleep(0.05)

    def fetch(index: int) -> None:
        answers[index] = clients[index].get(f"/bulletin/{months[index]}.pdf")

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.monotonic()
    fetchers = [threading.Thread(target=fetch, args=(i,)) for i in range(len(months))]
    for thread in fetchers:
        thread.start()
    for thread in fetchers:
        thread.join()
    first_round = time.monotonic() - started
    watching.set()
    watcher.join()
    try:
        processes, prints = max(seen, key=lambda counted: counted[1])
        assert prints == 1, f"{prints} prints ran at once ({processes} Chromium processes, {first_round:.1f} s)"
        assert max(counted[0] for counted in seen) <= 16, f"{max(counted[0] for counted in seen)} Chromium processes at once"
        assert all(answer.status_code == 200 and answer.content.startswith(b"%PDF") for answer in answers.values())
        for month in set(months):
            served_bytes = {answers[i].content for i in range(len(months)) if months[i] == month}
            assert len(served_bytes) == 1, f"{month} was served as {len(served_bytes)} different files"
        printed = sorted((system.settings.data_dir / "cache" / "pdf").glob("*.pdf"))
        assert len(printed) >= 2
        again = time.monotonic()
        cached = clients[0].get("/bulletin/2026-09.pdf")
        took = time.monotonic() - again
        assert cached.content == answers[0].content
        assert took < 1.0 and took < first_round / 4, f"the cached PDF took {took:.2f} s (the first round {first_round:.2f} s)"
    finally:
        for client in clients:
            client.close()
