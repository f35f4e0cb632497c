"""A real company set up from one .xlsx roster through the CLI, on SQLite and PostgreSQL, then
brought up to date by a changed roster: exactly the differences are recorded."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from openpyxl import load_workbook

from bench.roster import BRANCHES, company_roster, fill


def test_a_43_branch_roster_is_imported_in_one_command_and_a_changed_one_syncs_the_differences(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    assert cli("init", "--admin-name", "管理员", "--admin-staff-no", "A1").exit_code == 0
    template = tmp_path / "模板.xlsx"
    made = cli("roster", "template", "--out", str(template))
    assert made.exit_code == 0, made.output
    headers = {page.title: [c.value for c in next(page.iter_rows(max_row=1))] for page in load_workbook(template).worksheets}
    assert headers["组织"] == ["组织名称", "上级组织", "类型", "原名称"]
    assert headers["人员"] == ["工号", "姓名", "所属组织", "邮箱", "电话"]
    assert headers["角色"] == ["工号", "角色", "组织", "一岗双责", "责任田"]

    orgs, people, roles = company_roster()
    first = tmp_path / "花名册.xlsx"
    fill(template, first, orgs, people, roles)
    started = time.perf_counter()
    imported = cli("--as", "A1", "roster", "import", str(first))
    seconds = time.perf_counter() - started
    assert imported.exit_code == 0, imported.output
    assert "已记录 436 项变更" in imported.output  # 43 organisations, 304 people, 89 roles
    print(f"roster import: {BRANCHES} branches, {len(people)} people, {seconds:.2f} s")
    assert seconds < 30, "one write for the whole roster, not seconds per person"
    listed = json.loads(cli("--json", "person", "list").output)
    assert len(listed) == len(people) + 1
    secretary = next(p for p in listed if p["staff_no"] == "0701")
    assert secretary["org_name"] == "第7党支部" and secretary["roles"] == ["branch_secretary"] and secretary["phone"] == "13800070001"

    # 换届 and turnover: branch 5 renamed, 0302 moves to branch 4, 1207 left, a new member of 9,
    # branch 20's secretary and worker swap roles, 0101 renamed.
    orgs, people, roles = company_roster(renamed_branch=5)
    people = [p for p in people if p[0] != "1207"]
    people.append(["0908", "新员工9-8", "第9党支部", "", ""])
    moved = next(p for p in people if p[0] == "0302")
    moved[2] = "第4党支部"
    next(p for p in people if p[0] == "0101")[1] = "员工1-1（更名）"
    roles = [r for r in roles if not (r[0] in ("2001", "2002"))]
    roles += [["2002", "支部书记", "第20党支部", "", ""], ["2001", "党务工作者", "第20党支部", "", ""]]
    second = tmp_path / "花名册-2.xlsx"
    fill(template, second, orgs, people, roles)

    preview = cli("--as", "A1", "--json", "roster", "import", str(second), "--dry-run")
    assert preview.exit_code == 0, preview.output
    planned = json.loads(preview.output)
    assert not planned["recorded"] and not planned["problems"]
    expected = sorted([
        ("OrganisationRenamed", "第5党支部（新）"),
        ("PersonMoved", "员工3-2（0302）"),
        ("PersonLeft", "员工12-7（1207）"),
        ("PersonRegistered", "新员工9-8（0908）"),
        ("PersonRenamed", "员工1-1（更名）（0101）"),
        ("RoleRevoked", "员工20-1（2001）"), ("RoleAssigned", "员工20-1（2001）"),
        ("RoleRevoked", "员工20-2（2002）"), ("RoleAssigned", "员工20-2（2002）"),
    ])
    assert sorted((c["event"], c["subject"]) for c in planned["changes"]) == expected
    position = json.loads(cli("--json", "status").output)[0]["position"]

    synced = cli("--as", "A1", "roster", "import", str(second))
    assert synced.exit_code == 0, synced.output
    assert "人员调离" in synced.output and "已记录 9 项变更" in synced.output
    assert json.loads(cli("--json", "status").output)[0]["position"] == position + 9
    listed = {p["staff_no"]: p for p in json.loads(cli("--json", "person", "list").output)}
    assert listed["0302"]["org_name"] == "第4党支部" and listed["1207"]["left_on"]
    assert listed["0501"]["org_name"] == "第5党支部（新）"
    assert listed["2002"]["roles"] == ["branch_secretary"]
    again = cli("--as", "A1", "roster", "import", str(second))
    assert "已记录 0 项变更" in again.output


def test_a_roster_with_errors_names_every_row_and_records_nothing_unless_asked(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    assert cli("init", "--admin-name", "管理员", "--admin-staff-no", "A1").exit_code == 0
    orgs = tmp_path / "组织.csv"
    orgs.write_text("组织名称,上级组织,类型\n一支部,公司党委,党支部\n二支部,三支部,党支部\n", encoding="utf-8")
    staff = tmp_path / "人员.csv"
    staff.write_text("工号,姓名,所属组织,邮箱,电话\nS1,王芳,一支部,,\nS2,,一支部,,\n", encoding="utf-8")
    position = json.loads(cli("--json", "status").output)[0]["position"]
    refused = cli("--as", "A1", "roster", "import", str(orgs), str(staff))
    assert refused.exit_code == 2
    assert "“组织”表第 3 行“上级组织”：找不到组织“三支部”" in refused.output
    assert "“人员”表第 3 行“姓名”：" in refused.output
    assert "名册有 2 处错误，未记录任何内容" in refused.stderr
    assert json.loads(cli("--json", "status").output)[0]["position"] == position
    applied = cli("--as", "A1", "roster", "import", str(orgs), str(staff), "--apply-valid")
    assert applied.exit_code == 0 and "已记录 2 项变更" in applied.output
    unreadable = tmp_path / "坏.xlsx"
    unreadable.write_text("not a workbook", encoding="utf-8")
    broken = cli("--as", "A1", "roster", "import", str(unreadable))
    assert broken.exit_code == 2 and "无法读取名册文件 坏.xlsx：不是有效的 .xlsx 文件" in broken.stderr
