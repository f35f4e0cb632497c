"""花名册: set up or bring up to date the whole organisation from one file."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from domain.errors import DomainError
from domain.roster import RosterOutcome
from domain.vocabulary import label
from dutyloop.cli.base import CliState, actor, command, done, emit, main
from dutyloop.roster_files import read_roster, write_template
from projections.directory import recorded_directory



@main.group("roster")
def roster_group() -> None:
    """花名册：组织、人员、角色一次导入，重新导入即同步 (roster import and sync)."""


@command(roster_group, "template")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Where to write the .xlsx template.")
def roster_template(state: CliState, out: Path) -> None:
    """Write an empty roster (.xlsx) with the Chinese headers, a guide and drop-down lists."""
    write_template(out)
    done(state, "已生成花名册模板 {file}", "Roster template written to {file}", file=str(out))


@command(roster_group, "import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only show the differences and the refused rows; record nothing.")
@click.option("--apply-valid", is_flag=True, help="Record the valid rows even when some rows are refused.")
def roster_import(state: CliState, files: tuple[Path, ...], dry_run: bool, apply_valid: bool) -> None:
    """Import a roster (.xlsx with the sheets 组织/人员/角色, or .csv files of one sheet each).

    Only the differences from what is recorded are recorded: new organisations and people, renames,
    moves (调离), contact changes, people no longer listed (离职) and role changes. The differences
    are shown first; a file with refused rows records nothing unless --apply-valid is given."""
    roster = read_roster(files)
    system = state.open()
    who = actor(state, system)
    system.catch_up()
    with system.engine.connect() as conn:
        recorded = recorded_directory(conn)
    preview = system.app.sync_roster(who, roster, recorded, record=False)
    refused = bool(preview.problems) and not apply_valid
    if dry_run or refused:
        _show(state, preview)
        if refused and not dry_run:
            click.echo(f"{state.zh('错误', 'Error')}: {DomainError('roster_has_errors', count=len(preview.problems)).message(state.locale)}", err=True)
            sys.exit(2)
        return
    if not state.as_json:
        _show(state, preview)
    outcome = system.app.sync_roster(who, roster, recorded, record=True, apply_valid=apply_valid)
    system.catch_up()
    if state.as_json:
        _show(state, outcome)
    else:
        done(state, "已记录 {count} 项变更", "Recorded {count} changes", count=len(outcome.changes) if outcome.recorded else 0)


def _show(state: CliState, outcome: RosterOutcome) -> None:
    """The differences and the refused rows one a line (a first import lists hundreds: plain lines
    print in milliseconds, a drawn table took seconds), then how many of each; with --json, one
    document."""
    rows = [
        {"change": label(c.event, state.locale), "event": c.event, "subject": c.subject,
         "role_label": label(c.role, state.locale) if c.role else "", "role": c.role, "before": c.before, "after": c.after}
        for c in outcome.changes
    ]
    problems = [p.describe(state.locale) for p in outcome.problems]
    if state.as_json:
        emit(state, {"recorded": outcome.recorded, "changes": rows, "problems": problems})
        return
    click.echo(state.zh("名册与已登记内容的差异：", "Differences from what is recorded:"))
    for row in rows:
        role = f"（{row['role_label']}）" if row["role_label"] else ""
        change = " → ".join(v for v in (row["before"], row["after"]) if v)
        click.echo(f"  {row['change']}  {row['subject']}{role}  {change}".rstrip())
    counts = Counter(row["change"] for row in rows)
    summary = "，".join(f"{change} {count}" for change, count in counts.items())
    click.echo(state.zh(f"共 {len(rows)} 项：{summary}" if rows else "没有变化", f"{len(rows)} in all: {summary}" if rows else "No change"))
    if problems:
        click.echo(state.zh(f"未能导入的行（{len(problems)}）：", f"Rows refused ({len(problems)}):"))
        for line in problems:
            click.echo(f"  {line}")
