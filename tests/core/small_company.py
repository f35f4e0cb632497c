"""A small company set up through the CLI as the handover and back-entry tests start from: one
branch under the committee, its people and roles from a roster, and tasks issued at the party
department's meeting of 27 March 2025 (P1 holds 党建部 and issues them)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from click.testing import Result

Cli = Callable[..., Result]


def set_up(cli: Cli, tmp_path: Path, people: Sequence[str], roles: Sequence[str], tasks: Sequence[str]) -> list[str]:
    """``people``: "工号,姓名,所属组织" lines; ``roles``: "工号,角色,组织" lines; ``tasks``: the
    meeting's "标题|责任组织|责任人|时限" lines. Returns the issued tasks' ids."""
    assert cli("init", "--admin-name", "管理员", "--admin-staff-no", "A1").exit_code == 0
    orgs = tmp_path / "组织.csv"
    orgs.write_text("组织名称,上级组织,类型\n一支部,公司党委,党支部\n", encoding="utf-8")
    staff = tmp_path / "人员.csv"
    staff.write_text("\n".join(["工号,姓名,所属组织", *people]) + "\n", encoding="utf-8")
    held = tmp_path / "角色.csv"
    held.write_text("\n".join(["工号,角色,组织", *roles]) + "\n", encoding="utf-8")
    imported = cli("--as", "A1", "roster", "import", str(orgs), str(staff), str(held))
    assert imported.exit_code == 0, imported.output
    meeting = json.loads(cli("--as", "P1", "--json", "meeting", "plan", "--kind", "党组织书记例会", "--org", "公司党委",
                             "--title", "例会", "--date", "2025-03-27").output)["id"][:8]
    assert cli("--as", "P1", "meeting", "minutes", meeting, "--held-on", "2025-03-27", "--attendee", "S1", "--decision", "落实").exit_code == 0
    issued = cli("--as", "P1", "--json", "meeting", "issue", meeting, *[part for task in tasks for part in ("--task", task)])
    assert issued.exit_code == 0, issued.output
    return list(json.loads(issued.output)["ids"])
