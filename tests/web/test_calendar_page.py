"""The administrators' holidays page (issue 8's web part): the years known, built in or loaded, the
November warning while next year is missing, and loading a schedule file — previewed first, then
confirmed with its source, recorded as the domain command; every refusal records nothing."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from api_world import PASSWORD, ApiWorld, build_api_world
from domain.calendar import HolidaySchedule
from dutyloop.settings import Settings

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="(year|filename|content|known)" value="([^"]*)">')

SCHEDULE_2027 = """# 2027 年部分节假日安排（测试用，非官方）
2027-01-01 休 元旦
2027-02-06 休 春节
2027-02-07 班 春节调休
2027-10-01 休 国庆节
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiWorld]:
    built = build_api_world(Settings(data_dir=tmp_path_factory.mktemp("calendar-page")))
    built.system.clock.set(datetime(2026, 11, 24, 9, 0))
    yield built
    built.client.close()
    built.system.close()


@pytest.fixture(scope="module")
def admin(world: ApiWorld) -> Admin:
    return Admin(world)


class Admin:
    def __init__(self, world: ApiWorld, role: str = "admin") -> None:
        self.client = TestClient(world.client.app)
        token = CSRF.search(self.client.get("/login").text)
        assert token
        staff_no = world.app.person(world.people[role]).staff_no
        self.client.post("/login", data={"staff_no": staff_no, "password": PASSWORD, "next": "/", "csrf_token": token.group(1)})

    def token(self) -> str:
        found = CSRF.search(self.client.get("/").text)
        assert found
        return found.group(1)

    def preview(self, year: int, name: str, content: bytes, source: str = "") -> Any:
        return self.client.post("/calendar/holidays/preview", data={"year": str(year), "source": source, "csrf_token": self.token()},
                                files={"file": (name, content)})

    def confirm(self, preview_page: str, source: str, replace: bool = False) -> Any:
        fields = {name: html.unescape(value) for name, value in HIDDEN.findall(preview_page)}
        assert set(fields) == {"year", "filename", "content", "known"}, preview_page[-1500:]
        data = {**fields, "source": source, "csrf_token": self.token()}
        if replace:
            data["replace_known"] = "1"
        return self.client.post("/calendar/holidays/load", data=data)


def test_the_page_warns_in_november_then_a_preview_and_a_load_fill_the_year(world: ApiWorld, admin: Admin) -> None:
    page = admin.client.get("/calendar/holidays")
    assert page.status_code == 200
    assert 'id="calendar-warning"' in page.text and "尚未导入 2027 年的节假日安排" in page.text
    assert "2004–2026" in page.text

    before = world.head()
    preview = admin.preview(2027, "2027.txt", SCHEDULE_2027.encode(), source="国办发明电〔2026〕1号")
    assert preview.status_code == 200, preview.text[-800:]
    assert "2027 年目前没有节假日安排，将新增" in preview.text
    assert "+ 2027-02-07 周日 春节调休" in preview.text
    assert world.head() == before, "a preview records nothing"

    loaded = admin.confirm(preview.text, "国办发明电〔2026〕1号")
    assert loaded.status_code == 200
    assert "已导入 2027 年节假日安排" in loaded.text
    assert world.head() > before
    known = world.app.calendar().schedule(2027)
    assert known is not None and date(2027, 2, 7) in known.working_weekends
    assert world.app.calendar().add_working_days(date(2027, 2, 5), 1) == date(2027, 2, 7)
    page = admin.client.get("/calendar/holidays")
    assert 'id="calendar-warning"' not in page.text
    assert re.search(r'id="loaded-years">2027<', page.text)
    assert "国办发明电〔2026〕1号" in page.text and "管理员" in page.text


def _xlsx(rows: list[tuple[Any, ...]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_changing_a_known_year_needs_the_tick_and_a_fresh_preview(world: ApiWorld, admin: Admin) -> None:
    xlsx = _xlsx([("date", "kind", "name"), (date(2028, 1, 1), "holiday", "元旦"), ("2028-10-02", "休", "国庆节")])
    first = admin.preview(2028, "2028.xlsx", xlsx)
    assert first.status_code == 200 and "2028-10-02" in first.text
    assert admin.confirm(first.text, "通知一").status_code == 200
    correction = _xlsx([("日期", "类型", "名称"), (date(2028, 1, 1), "holiday", "元旦"), ("2028-10-03", "休", "国庆节")])
    preview = admin.preview(2028, "2028.xlsx", correction)
    assert "- 2028-10-02" in preview.text and "+ 2028-10-03" in preview.text
    before = world.head()
    untouched = admin.confirm(preview.text, "更正通知")
    assert untouched.status_code == 422 and "2028" in untouched.text
    assert world.head() == before
    # Someone else changes 2028 between this preview and its confirmation.
    world.app.load_holiday_schedule(world.people["admin"], HolidaySchedule(2028, frozenset({date(2028, 1, 3)}), frozenset()), "另一位管理员")
    world.system.catch_up()
    before = world.head()
    stale = admin.confirm(preview.text, "更正通知", replace=True)
    assert stale.status_code == 409 and "刚被其他人修改" in stale.text
    assert world.head() == before
    again = admin.preview(2028, "2028.xlsx", correction)
    assert admin.confirm(again.text, "更正通知", replace=True).status_code == 200
    assert world.app.calendar().schedule(2028).holidays == frozenset({date(2028, 1, 1), date(2028, 10, 3)})


def test_a_bad_file_is_refused_naming_its_lines_and_records_nothing(world: ApiWorld, admin: Admin) -> None:
    before = world.head()
    refused = admin.preview(2029, "2029.txt", "2029-01-01 holiday\n2029-01-02 maybe\n2030-01-01 休\n".encode())
    assert refused.status_code == 422
    assert "2029.txt 第 2 行" in refused.text and "未知类型" in refused.text and "第 3 行" in refused.text
    assert admin.preview(2029, "2029.csv", b"\xff\xfe bad").status_code == 422
    assert admin.preview(99999, "x.txt", b"2029-01-01 holiday\n").status_code == 422
    assert world.head() == before


def test_only_administrators_see_the_page_or_load(world: ApiWorld) -> None:
    secretary = Admin(world, "secretary")
    assert secretary.client.get("/calendar/holidays").status_code == 403
    before = world.head()
    refused = secretary.client.post("/calendar/holidays/load", data={
        "year": "2031", "filename": "2031.txt", "content": "MjAzMS0wMS0wMSBob2xpZGF5Cg==", "known": "none",
        "source": "x", "csrf_token": secretary.token()})
    assert refused.status_code == 403
    assert world.head() == before
