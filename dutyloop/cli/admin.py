"""Admin commands: rebuild the views, see where they stand, prove the record unaltered."""

from __future__ import annotations

import sys
import time
from typing import Any

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from domain.vocabulary import label
from dutyloop.cli.base import CliState, admin_actor, command, done, emit, main
from dutyloop.integrity import verify
from dutyloop.moments import local_minutes
from dutyloop.rebuild import Rebuild, RebuildFailed
from projections.runner import VIEW_NAMES


@command(main, "rebuild")
@click.argument("views", nargs=-1, type=click.Choice(VIEW_NAMES))
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes to split the views among (default: one per core, up to 4; one for a small log).")
def rebuild(state: CliState, views: tuple[str, ...], workers: int | None) -> None:
    """Drop the views (all, or those named) and replay every event into them."""
    system = state.open()
    admin_actor(state, system)
    total = system.views.head()
    job = Rebuild(system, workers)
    try:
        if state.as_json:
            count, seconds = job.run(list(views) or None)
        else:
            with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                          TimeElapsedColumn()) as bar:
                task = bar.add_task(state.zh("重建视图", "Rebuilding"), total=total)
                count, seconds = job.run(list(views) or None, progress=lambda n, pos: bar.update(task, completed=pos))
    except RebuildFailed as error:
        click.echo(f"{state.zh('重建未完成', 'Rebuild not finished')}: {error}", err=True)
        sys.exit(1)
    rate = count / seconds if seconds > 0 else 0.0
    report_failures(state, system.views.failures())
    done(state, "已重建 {views}：{count} 个事件，用时 {seconds:.2f} 秒，{rate:,.0f} 事件/秒",
         "Rebuilt {views}: {count} events in {seconds:.2f} s, {rate:,.0f} events/s",
         views=", ".join(views) or "all", count=count, seconds=seconds, rate=rate)


@command(main, "status")
def status(state: CliState) -> None:
    """Each view's position in the event log, its lag and last update."""
    system = state.open()
    rows = [vars(s) for s in system.views.status()]
    if not state.as_json:
        rows = [{**row, "name": label(row["name"], state.locale), "updated_at": local_minutes(row["updated_at"], state.settings.timezone)}
                for row in rows]
    emit(state, rows, [("name", "视图", "View"), ("position", "位置", "Position"), ("lag", "滞后", "Lag"),
                       ("updated_at", "最后更新", "Updated"), ("failed_event", "停在此事件之前", "Stopped before event"),
                       ("failure", "原因", "Why")], title=state.zh("视图状态", "Projection status"))
    report_failures(state, system.views.failures())
    from domain.clock import today
    from dutyloop.calendar_status import missing_next_year_warning

    warning = missing_next_year_warning(today(system.clock), system.app.calendar(), state.locale)
    if warning:
        click.echo(warning, err=True)


def report_failures(state: CliState, failures: list[dict[str, Any]]) -> None:
    """Each view held before an event it cannot apply, or that passed one by (the notifier's
    outbox), on stderr: the other views went on."""
    for row in failures:
        event = f"{row['failed_event']}（{row['failed_event_type']}）"
        if row["skipped"]:
            click.echo(state.zh(
                f"{row['name']} 跳过了第 {event} 号事件：{row['failure']}。其后的事件照常处理",
                f"{row['name']} passed event {row['failed_event']} ({row['failed_event_type']}) by: {row['failure']}. Later events go on",
            ), err=True)
            continue
        click.echo(state.zh(
            f"视图 {row['name']} 停在第 {row['failed_event']} 号事件（{row['failed_event_type']}）之前：{row['failure']}。"
            f"其余视图照常更新；排除原因后运行 dutyloop rebuild {row['name']}",
            f"The view {row['name']} stopped before event {row['failed_event']} ({row['failed_event_type']}): {row['failure']}. "
            f"The other views go on; once the cause is fixed, run dutyloop rebuild {row['name']}",
        ), err=True)


@command(main, "verify")
def verify_command(state: CliState) -> None:
    """Walk the hash chain over every recorded event and report the first one altered."""
    system = state.open()
    began = time.perf_counter()
    verdict = verify(system.engine)
    seconds = time.perf_counter() - began
    rate = verdict.checked / seconds if seconds > 0 else 0.0
    if verdict.intact:
        done(state, "记录完整：已核验 {checked} 个事件（{rate:,.0f} 个/秒），链头 {head}",
             "The record is intact: {checked} events checked ({rate:,.0f}/s); head {head}",
             checked=verdict.checked, head=verdict.head[:16], rate=rate, intact=True)
        return
    problems = {
        "altered": ("被篡改（内容或其之前的事件被改动或删除）", "altered (its content, or an event before it, was changed or removed)"),
        "deleted": ("被删除", "deleted"),
        "inserted": ("未经系统写入（库外插入）", "inserted out of band"),
    }
    zh, en = problems[verdict.problem or "altered"]
    if state.as_json:
        emit(state, {"intact": False, **vars(verdict)})
    else:
        click.echo(state.zh(
            f"记录不完整：第 {verdict.notification_id} 号事件{zh}（聚合 {verdict.originator_id} 版本 {verdict.originator_version}）；此前 {verdict.checked} 个事件完好",
            f"The record is NOT intact: event {verdict.notification_id} was {en} (aggregate {verdict.originator_id} version {verdict.originator_version}); the {verdict.checked} events before it are intact",
        ), err=True)
    sys.exit(1)


@command(main, "follow")
@click.option("--poll", default=0.5, show_default=True, help="Seconds between polls on SQLite (PostgreSQL wakes on NOTIFY).")
def follow_command(state: CliState, poll: float) -> None:
    """Keep the views current until interrupted (for a long-running deployment)."""
    import threading

    from projections.follow import follow

    system = state.open()
    stop = threading.Event()
    click.echo(state.zh("正在跟随事件日志更新视图，按 Ctrl+C 停止", "Following the event log; Ctrl+C to stop"))
    try:
        follow(system.views, stop, poll, on_batch=lambda n: click.echo(state.zh(f"已投影 {n} 个事件", f"Projected {n} events")))
    except KeyboardInterrupt:
        stop.set()


@command(main, "thresholds")
@click.option("--due-soon", type=int, help="Working days ahead that warn as due soon (1–60).")
@click.option("--serious", type=int, help="Working days overdue that count as seriously overdue (1–250).")
@click.option("--grace", help="Working days each escalation step waits, e.g. 2,3,5 (the last reaches discipline inspection).")
@click.option("--back-entry-days", type=int, help="补录: working days back a non-administrator may enter a paper record (default 10).")
def thresholds_command(state: CliState, due_soon: int | None, serious: int | None, grace: str | None, back_entry_days: int | None) -> None:
    """Show the warning thresholds in force, or (as an admin) change them."""
    from dutyloop.cli.base import actor
    from projections import deadline_queries

    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        current = deadline_queries.thresholds_in_force(conn)
    if due_soon is None and serious is None and grace is None and back_entry_days is None:
        in_force = {"due_soon": current.due_soon, "serious": current.serious, "escalation_grace": list(current.escalation_grace),
                    "back_entry_days": system.app.back_entry_days()}
        if state.as_json:
            emit(state, in_force)
            return
        steps = state.zh("、", ", ").join(str(g) for g in current.escalation_grace)
        emit(state, [
            {"name": state.zh("到期前几个工作日预警“即将到期”", "Working days ahead that warn as due soon"), "value": current.due_soon},
            {"name": state.zh("逾期几个工作日算“严重逾期”", "Working days overdue that count as serious"), "value": current.serious},
            {"name": state.zh("逐级上报前各级等待的工作日", "Working days each escalation step waits"), "value": steps},
            {"name": state.zh("补录最多可追溯的工作日", "Working days a back-entry may reach back"), "value": in_force["back_entry_days"]},
        ], [("name", "阈值", "Threshold"), ("value", "工作日", "Working days")], title=state.zh("预警阈值", "Warning thresholds"))
        return
    if back_entry_days is not None:
        system.app.set_back_entry_limit(actor(state, system), back_entry_days)
    if due_soon is not None or serious is not None or grace is not None:
        steps = [int(g) for g in grace.split(",")] if grace else list(current.escalation_grace)
        system.app.set_warning_thresholds(actor(state, system), due_soon or current.due_soon, serious or current.serious, steps)
    system.catch_up()
    done(state, "已更新预警阈值", "Warning thresholds updated")


@command(main, "events")
def events_command(state: CliState) -> None:
    """Print the event catalogue (Markdown): every kind of fact DutyLoop records."""
    from dutyloop.catalogue import catalogue_markdown

    click.echo(catalogue_markdown(), nl=False)
