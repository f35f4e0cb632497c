"""Bad input on the forms gives a clear message on the page and records nothing: missing fields,
wrong dates, uploads too large or of the wrong type, a stale form after a concurrent edit, and
actions or pages a role may not have."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from web_support import UPLOAD_LIMIT, Browserless, World

PDF = b"%PDF-1.4\n%evidence\n%%EOF\n"


def _evidence_files(world: World) -> set[Path]:
    root = world.system.settings.data_dir / "evidence"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


@pytest.fixture
def secretary_task(world: World, login_as: Callable[[str], Browserless]) -> tuple[Browserless, dict[str, Any]]:
    task = world.overdue_secretary_task()
    return login_as(world.staff_no(UUID(task["owner_id"]))), task


def _version(world: World, task_id: str) -> int:
    return world.system.app.task(UUID(task_id)).version


BAD_REPORTS = [
    ("progress", {"note": ""}, None, 422, "不能为空"),
    ("extend", {"deadline": "2026-13-45", "reason": "等待上级材料"}, None, 422, "YYYY-MM-DD"),
    ("extend", {"deadline": "2026-07-10", "reason": ""}, None, 422, "不能为空"),
    ("extend", {"deadline": "2020-01-01", "reason": "等待上级材料"}, None, 422, "必须晚于当前时限"),
    ("done", {"note": "完成"}, None, 422, "请提供佐证材料"),
    ("done", {"link": "ftp://example.cn/a"}, None, 422, "https://"),
    ("done", {"note": "完成"}, [("files", ("报告.exe", b"MZ\x90\x00", "application/octet-stream"))], 422, "类型不受支持"),
    ("done", {"note": "完成"}, [("files", ("报告.pdf", b"\x89PNG\r\n\x1a\n....", "application/pdf"))], 422, "内容与扩展名 .pdf 不符"),
    ("done", {"note": "完成"}, [("files", ("台账.xlsx", b"PK\x03\x04 not a zip", "application/vnd.ms-excel"))], 422, "不符"),
    ("done", {"note": "完成"}, [("files", ("大文件.pdf", PDF + b"0" * UPLOAD_LIMIT, "application/pdf"))], 422, "超过"),
    ("done", {"note": "完成"}, [("files", ("空.pdf", b"", "application/pdf"))], 422, "是空的"),
]


@pytest.mark.parametrize(("action", "data", "files", "status", "says"), BAD_REPORTS)
def test_bad_input_is_named_and_records_nothing(
    world: World, secretary_task: tuple[Browserless, dict[str, Any]], action: str, data: dict[str, str],
    files: Any, status: int, says: str,
) -> None:
    person, task = secretary_task
    before, stored = world.events(), _evidence_files(world)
    version = _version(world, task["id"])
    response = person.post(f"/tasks/{task['id']}/{action}", {**data, "expected_version": str(version)}, files=files)
    assert response.status_code == status, response.text[:800]
    assert says in response.text
    assert "本次提交没有记录任何内容" in response.text
    assert world.events() == before
    assert _evidence_files(world) == stored, "a refused report keeps no file"


def test_a_stale_form_after_a_concurrent_edit_is_refused(world: World, secretary_task: tuple[Browserless, dict[str, Any]]) -> None:
    person, task = secretary_task
    stale = _version(world, task["id"])
    first = person.post(f"/tasks/{task['id']}/progress", {"note": "第一位同事的进展", "expected_version": str(stale)})
    assert first.status_code == 200 and "已报送进展" in first.text
    before = world.events()
    second = person.post(f"/tasks/{task['id']}/progress", {"note": "第二个窗口的旧表单", "expected_version": str(stale)})
    assert second.status_code == 409
    assert "刚被其他人修改" in second.text and "请刷新后重试" in second.text
    assert world.events() == before


def test_a_good_report_with_office_evidence_is_recorded_once(
    world: World, secretary_task: tuple[Browserless, dict[str, Any]], login_as: Callable[[str], Browserless]
) -> None:
    person, task = secretary_task
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    before = world.events()
    response = person.post(
        f"/tasks/{task['id']}/done",
        {"note": "已完成", "text": "台账已建立", "expected_version": str(_version(world, task["id"]))},
        files=[("files", ("台账.xlsx", workbook.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))],
    )
    assert response.status_code == 200 and "已报送完成" in response.text
    assert world.events() == before + 1
    evidence = world.system.app.task(UUID(task["id"])).evidence
    assert [e["kind"] for e in evidence] == ["text", "file"]
    assert (world.system.settings.data_dir / evidence[1]["value"]).read_bytes() == workbook.getvalue()
    href = f"/files/task/{task['id']}/{evidence[1]['value']}"
    assert f'href="{href}"' in person.get(f"/tasks/{task['id']}").text
    download = person.get(href)
    assert download.status_code == 200 and download.content == workbook.getvalue()
    assert "attachment" in download.headers["content-disposition"]
    assert person.get(f"/files/task/{task['id']}/../dutyloop.db").status_code == 404
    other_task = world.overdue_secretary_task(status="signed")
    assert person.get(f"/files/task/{other_task['id']}/{evidence[1]['value']}").status_code in (403, 404), \
        "a file is served only through the task whose report carries it"
    other_branch = next(org for org in world.demo.branches if org.hex != task["org_id"])
    outsider = login_as(world.staff_no(world.demo.people.secretaries[other_branch]))
    assert outsider.get(href).status_code == 403


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(
    world: World, secretary_task: tuple[Browserless, dict[str, Any]]
) -> None:
    person, task = secretary_task
    before = world.events()
    huge = PDF + b"0" * (4 * UPLOAD_LIMIT + 2 * 1024 * 1024)
    response = person.post(f"/tasks/{task['id']}/done", {"note": "x"}, files=[("files", ("大.pdf", huge, "application/pdf"))])
    assert response.status_code == 413
    assert world.events() == before


def test_a_secretary_cannot_see_or_act_on_another_branch(world: World, login_as: Callable[[str], Browserless]) -> None:
    task = world.overdue_secretary_task()
    other_branch = next(org for org in world.demo.branches if org.hex != task["org_id"])
    person = login_as(world.staff_no(world.demo.people.secretaries[other_branch]))
    page = person.get(f"/tasks/{task['id']}")
    assert page.status_code == 403 and "无权查看此页面" in page.text
    before = world.events()
    refused = person.post(f"/tasks/{task['id']}/progress", {"note": "越权报送"})
    assert refused.status_code == 403 and "无权报送进展" in refused.text
    assert world.events() == before
    assert person.get("/board").status_code == 403
    home = person.get("/").text
    assert 'href="/board"' not in home


def test_only_administrators_see_the_past(world: World, login_as: Callable[[str], Browserless]) -> None:
    discipline = login_as(world.staff_no(world.demo.people.discipline))
    assert discipline.get("/board?as_of=2026-01-31").status_code == 403
    admin = login_as(world.staff_no(world.demo.people.admin))
    past = admin.get("/board?as_of=2026-01-31")
    assert past.status_code == 200 and "2026-01-31" in past.text
    assert admin.get("/board?as_of=2099-01-01").status_code == 422
    assert admin.get("/board?as_of=yesterday").status_code == 422


def test_a_follower_reads_the_task_they_follow(world: World, login_as: Callable[[str], Browserless]) -> None:
    task = world.overdue_secretary_task()
    other_branch = next(org for org in world.demo.branches if org.hex != task["org_id"])
    reader = world.demo.people.secretaries[other_branch]
    person = login_as(world.staff_no(reader))
    assert person.get(f"/tasks/{task['id']}").status_code == 403
    world.system.app.follow_task(world.demo.people.party_dept[0], UUID(task["id"]), reader)
    page = person.get(f"/tasks/{task['id']}")
    assert page.status_code == 200 and task["title"] in page.text
    assert 'action="/tasks/' not in page.text.split('id="report"')[1].split("</section>")[0]
