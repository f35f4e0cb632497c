"""``python -m bench.roster [--postgres URL] [--sample N]``: a company set up from one roster
file, beside the same people set up one CLI call each (the way it was done before a roster).

Both run the real CLI in this process on a fresh database. The baseline times ``--sample``
people added one ``person add --role`` call each, on top of the imported company (so its views
are the same size), and scales that to the roster's people; the ratio says how many times faster
the roster is. Not a test: it prints, it asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from domain.clock import ManualClock
from dutyloop.cli import main as cli_main

BRANCHES = 43
PEOPLE_PER_BRANCH = 7
Sheet = list[list[str]]


def company_roster(renamed_branch: int | None = None) -> tuple[Sheet, Sheet, Sheet]:
    """43 branches of 7 people each (a secretary and a party-affairs worker in every branch) and a
    party-building department of 3 at the committee: 304 people, 89 roles."""
    orgs = [["公司党委", "", "公司党委", ""]]
    people = [[f"D{n:03d}", f"党建部{n}号", "公司党委", f"d{n}@example.cn", ""] for n in range(1, 4)]
    roles = [[f"D{n:03d}", "党建部", "公司党委", "", ""] for n in range(1, 4)]
    for b in range(1, BRANCHES + 1):
        name = f"第{b}党支部"
        orgs.append([f"第{b}党支部（新）" if b == renamed_branch else name, "公司党委", "党支部",
                     name if b == renamed_branch else ""])
        for p in range(1, PEOPLE_PER_BRANCH + 1):
            people.append([f"{b:02d}{p:02d}", f"员工{b}-{p}", orgs[-1][0], "", f"138{b:04d}{p:04d}"])
        roles.append([f"{b:02d}01", "支部书记", orgs[-1][0], "", ""])
        roles.append([f"{b:02d}02", "党务工作者", orgs[-1][0], "", ""])
    return orgs, people, roles


def fill(template: Path, out: Path, orgs: Sheet, people: Sheet, roles: Sheet) -> None:
    book = load_workbook(template)
    for title, rows in (("组织", orgs), ("人员", people), ("角色", roles)):
        for row in rows:
            book[title].append(row)
    book.save(out)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.roster")
    parser.add_argument("--postgres", help="PostgreSQL URL; default SQLite in a temporary directory")
    parser.add_argument("--sample", type=int, default=20, help="people added one CLI call each for the baseline")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        where = (["--database-url", args.postgres] if args.postgres else ["--data-dir", str(tmp / "data")])
        env = {"DUTYLOOP_POSTGRES_SCHEMA": f"bench_roster_{uuid.uuid4().hex[:8]}"} if args.postgres else {}
        runner = CliRunner(env=env)
        clock = ManualClock(datetime(2026, 11, 20, 9, 0))

        def run(*argv: str) -> None:
            result = runner.invoke(cli_main, [*where, *argv], obj=clock, catch_exceptions=False)
            if result.exit_code != 0:
                raise SystemExit(result.output)

        run("init", "--admin-name", "管理员", "--admin-staff-no", "A1")
        run("roster", "template", "--out", str(tmp / "模板.xlsx"))
        orgs, people, roles = company_roster()
        fill(tmp / "模板.xlsx", tmp / "花名册.xlsx", orgs, people, roles)
        began = time.perf_counter()
        run("--as", "A1", "roster", "import", str(tmp / "花名册.xlsx"))
        roster_seconds = time.perf_counter() - began
        began = time.perf_counter()
        for n in range(args.sample):
            run("--as", "A1", "person", "add", f"单独登记{n}", "--staff-no", f"X{n:04d}", "--org", "第1党支部", "--role", "党务工作者")
        per_person = (time.perf_counter() - began) / args.sample
    baseline = per_person * len(people)
    print(f"database: {'PostgreSQL' if args.postgres else 'SQLite'}")
    print(f"roster import, {BRANCHES} branches, {len(people)} people, {len(roles)} roles: {roster_seconds:.2f} s")
    print(f"baseline, one `person add --role` call per person: {per_person:.3f} s each, {baseline:.1f} s for {len(people)}")
    print(f"ratio (baseline ÷ roster): {baseline / roster_seconds:.1f}×")


if __name__ == "__main__":
    main()
