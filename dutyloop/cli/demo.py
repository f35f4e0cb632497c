"""``dutyloop demo``: a realistic year of data to look at, built with the domain's own commands."""

from __future__ import annotations

import time
from datetime import date

import click
from sqlalchemy import select

from domain.clock import ManualClock, today
from dutyloop.cli.base import CliState, command, emit, main
from dutyloop.demo import DEMO_PASSWORD, build_demo
from dutyloop.wiring import open_system
from projections import chain_queries, deadline_queries, task_queries
from projections.tables import people, role_assignments


@command(main, "demo")
@click.option("--fresh", is_flag=True, help="Delete the SQLite data and build the demo again.")
@click.option("--branches", default=43, show_default=True, help="How many branches (the seed has 43).")
@click.option("--end", "end_text", help="Last day of the simulated year (default: today).")
def demo(state: CliState, fresh: bool, branches: int, end_text: str | None) -> None:
    """Build a year of realistic data (43 branches, meetings, tasks, findings, interviews, rectifications) and show it."""
    settings = state.settings
    end = date.fromisoformat(end_text) if end_text else today(state.clock)
    if fresh and not settings.is_postgres:
        for suffix in ("", "-wal", "-shm"):
            settings.sqlite_path.with_name(settings.sqlite_path.name + suffix).unlink(missing_ok=True)
    clock = ManualClock(state.clock.now(), settings.timezone)
    system = open_system(settings, clock)
    state.system = system
    if system.views.head() > 0:
        click.echo(state.zh(
            f"数据目录中已有数据（{settings.sqlite_path if not settings.is_postgres else settings.database_url}），直接展示；用 --fresh 重新生成。",
            f"Data already present ({settings.sqlite_path if not settings.is_postgres else settings.database_url}); showing it. Use --fresh to rebuild.",
        ))
        _overview(state, end, None)
        return
    click.echo(state.zh("正在生成演示数据（模拟一年的党建责任闭环）……", "Building the demo year of Party-building responsibility work…"))
    began = time.perf_counter()
    summary = build_demo(system.app, clock, end, branches=branches)
    built = time.perf_counter() - began
    events = system.views.head()
    began = time.perf_counter()
    system.catch_up()
    projected = time.perf_counter() - began
    click.echo(state.zh(
        f"已生成：{len(summary.branches)} 个支部，{summary.tasks} 项任务，{summary.findings} 个问题，{summary.interviews} 次约谈，"
        f"{summary.rectifications} 项整改；共 {events} 个事件（{events / built:,.0f} 事件/秒），视图投影 {events / projected:,.0f} 事件/秒。",
        f"Built {len(summary.branches)} branches, {summary.tasks} tasks, {summary.findings} findings, {summary.interviews} interviews, "
        f"{summary.rectifications} rectifications: {events} events ({events / built:,.0f} events/s); projected at {events / projected:,.0f} events/s.",
    ))
    _overview(state, end, summary)


def _overview(state: CliState, day: date, summary: object | None) -> None:
    system = state.open()
    with system.engine.connect() as conn:
        board = task_queries.branch_summary(conn, day)
        warned = deadline_queries.warnings(conn, day)
        chains = chain_queries.open_chains(conn, day)
        secretary = None
        if summary is None:
            laggard = max(board, key=lambda r: r["tasks_overdue"], default=None)
            if laggard:
                rows = conn.execute(
                    select(people.c.staff_no)
                    .join(role_assignments, role_assignments.c.person_id == people.c.person_id)
                    .where(role_assignments.c.org_id == laggard["org_id"], role_assignments.c.role == "branch_secretary")
                ).first()
                secretary = rows[0] if rows else None
        else:
            secretary = summary.sample_secretary  # type: ignore[attr-defined]
    behind = sorted(board, key=lambda r: (-r["tasks_overdue"], -r["rectifications_open"]))[:8]
    emit(state, behind, [("name", "支部", "Branch"), ("tasks_open", "在办", "Open"), ("tasks_overdue", "逾期", "Overdue"),
                         ("done_on_time", "按时完成", "On time"), ("done_late", "逾期完成", "Late"),
                         ("rectifications_open", "整改未销号", "Rect. open"), ("last_meeting", "最近会议", "Last meeting")],
         title=state.zh(f"最需要关注的支部（{day}）", f"Branches most behind ({day})"))
    levels: dict[str, int] = {}
    for w in warned:
        levels[w["level"]] = levels.get(w["level"], 0) + 1
    click.echo(state.zh(
        f"时限预警：严重逾期 {levels.get('seriously_overdue', 0)}，逾期 {levels.get('overdue', 0)}，今日到期 {levels.get('due_today', 0)}，"
        f"即将到期 {levels.get('due_soon', 0)}；未销号整改 {len(chains)} 项。",
        f"Deadline warnings: {levels.get('seriously_overdue', 0)} seriously overdue, {levels.get('overdue', 0)} overdue, "
        f"{levels.get('due_today', 0)} due today, {levels.get('due_soon', 0)} due soon; {len(chains)} rectifications not closed.",
    ))
    chain_hint = chains[0]["rectification_id"][:8] if chains else "<id>"
    click.echo(state.zh("接下来可以试试：", "Try next:"))
    last_quarter = (day.year, (day.month - 1) // 3) if day.month > 3 else (day.year - 1, 4)
    for command_line, zh, en in (
        (f"dutyloop --as {secretary or 'S0001'} mywork", "支部书记的待办和预警", "a secretary’s work and warnings"),
        ("dutyloop board", "支部看板", "the branch board"),
        (f"dutyloop chain {chain_hint}", "一条整改链的全过程", "a rectification chain end to end"),
        (f"dutyloop board --as-of {day.replace(month=6, day=30) if day.month > 6 else day}", "历史某日的看板", "the board as of a past date"),
        (f"dutyloop ranking --quarter {last_quarter[0]}Q{last_quarter[1]}", "季度亮比", "the quarter’s ranking"),
        ("dutyloop verify", "核验记录未被篡改", "prove the record unaltered"),
        ("dutyloop --as A0001 serve --demo-accounts", f"网页端 http://127.0.0.1:8000 ，以 {secretary or 'S0001'} / {DEMO_PASSWORD} 登录",
         f"the web at http://127.0.0.1:8000, log in as {secretary or 'S0001'} / {DEMO_PASSWORD}"),
    ):
        click.echo(f"  {command_line:<48} # {state.zh(zh, en)}")
