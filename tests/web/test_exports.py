"""台账 downloads from the web beyond the board: a chain from its page, the warnings and the task
list from 我的工作 — the same sheets as the CLI's, with title rows naming who exported them, and
only what the viewer may see."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from openpyxl import load_workbook

from web_support import Browserless, World


def _book(response: object) -> object:
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")  # type: ignore[attr-defined]
    return load_workbook(io.BytesIO(response.content))  # type: ignore[attr-defined]


def test_a_secretary_exports_their_warnings_and_tasks_and_a_chain(world: World, login_as: Callable[[str], Browserless]) -> None:
    task = world.overdue_secretary_task(in_chain=True)
    staff_no = world.staff_no(task["owner_id"])
    secretary = login_as(staff_no)
    home = secretary.get("/").text
    assert 'href="/warnings.xlsx"' in home and 'href="/tasks.xlsx"' in home

    warnings = _book(secretary.get("/warnings.xlsx")).worksheets[0]  # type: ignore[attr-defined]
    assert warnings["A1"].value.startswith("时限预警")
    assert f"导出人：" in warnings["A2"].value and f"（{staff_no}）" in warnings["A2"].value
    assert warnings["A3"].value.startswith("记录链头：")
    rows = list(warnings.iter_rows(min_row=5, values_only=True))
    assert task["id"][:8] in [r[2] for r in rows]
    assert all(r[6] is None or hasattr(r[6], "year") for r in rows)  # deadlines are date cells

    tasks = _book(secretary.get("/tasks.xlsx")).worksheets[0]  # type: ignore[attr-defined]
    listed = list(tasks.iter_rows(min_row=5, values_only=True))
    assert task["id"][:8] in [r[0] for r in listed]
    assert {r[3] for r in listed} == {task["org_name"]}, "only the secretary's own branch"

    page = secretary.get(f"/tasks/{task['id']}").text
    chain_id = re.search(r'href="/chains/([0-9a-f]{32})"', page)
    inspector = login_as(world.staff_no(world.holders("discipline")[0]["person_id"]))
    chain_page = inspector.get(f"/chains/{chain_id.group(1) if chain_id else task['id']}").text
    export = re.search(r'href="(/chains/[0-9a-f]{32}/export\.xlsx)"', chain_page)
    assert export, "the chain page offers its export"
    book = _book(inspector.get(export.group(1)))
    assert book.sheetnames == ["全过程", "提醒", "整改", "问题", "约谈"]  # type: ignore[attr-defined]
    details = [r[9] for r in book["全过程"].iter_rows(min_row=5, values_only=True)]  # type: ignore[index]
    assert details and all("{" not in (d or "") for d in details)
