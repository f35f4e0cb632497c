"""The scheduler from the command line: run it (``serve-scheduler``), run its checks once now
(``remind``), and see the reminders it recorded (``reminders``)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any
from uuid import UUID

import click

from domain.cadence import slot_kind
from domain.clock import today as clock_today
from domain.errors import NotFound, NotPermitted
from domain.vocabulary import ReminderLevel, label, parse
from dutyloop.cli.base import (
    CliState,
    actor,
    back_entry_option,
    command,
    emit,
    main,
    parse_date,
)
from dutyloop.cli.queries import local_time
from projections import deadline_queries, lookup
from scheduler.reminders import SCHEDULED, SCHEDULER, Entry
from scheduler.service import Run, SchedulerService
from scheduler.ticks import run_all

REMINDER_COLUMNS = [("recorded_on", "提醒日期", "Reminded on"), ("level_label", "级别", "Level"), ("step", "升级步", "Step"),
                    ("kind_label", "类别", "Kind"), ("short_id", "对象编号", "Id"), ("title", "事项", "About"),
                    ("org_name", "组织", "Organisation"), ("recipient_name", "提醒对象", "Recipient"),
                    ("deadline", "时限", "Deadline")]
JOB_LABELS = {"deadlines": ("时限提醒", "deadlines"), "meetings": ("例会提醒", "meetings"), "bulletin": ("月度通报", "bulletin")}
KIND_LABELS = {"task": ("任务", "task"), "rectification": ("整改", "rectification"), "meeting": ("例会", "meeting")}


def _rows(state: CliState, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["level_label"] = label(row["level"], state.locale)
        row["kind_label"] = state.zh(*KIND_LABELS.get(row["target_kind"], (row["target_kind"],) * 2))
        row["short_id"] = row["target_id"][:8]
        if row["target_kind"] == "meeting":
            kind = slot_kind(UUID(row["target_id"]), UUID(row["org_id"]))
            row["title"] = label(kind.value, state.locale) if kind else row["title"]
    return rows


@command(main, "serve-scheduler")
@click.option("--every", type=click.FloatRange(0.1, 86_400), help="Run each check every N seconds instead of daily at 08:30/08:35/08:40 (demos, tests).")
@click.option("--heartbeat", default=5.0, show_default=True, help="Seconds between tries (or renewals) of the scheduler lock.")
@click.option("--lease-seconds", default=30.0, show_default=True, help="SQLite: how long a lease outlives a silent leader.")
def serve_scheduler(state: CliState, every: float | None, heartbeat: float, lease_seconds: float) -> None:
    """Run the scheduler until Ctrl-C: reminders, meeting cadence, monthly bulletin. Several may run; one acts."""
    if heartbeat >= lease_seconds:
        raise click.UsageError(state.zh(f"--heartbeat（{heartbeat} 秒）须短于 --lease-seconds（{lease_seconds} 秒）",
                                        f"--heartbeat ({heartbeat} s) must be shorter than --lease-seconds ({lease_seconds} s)"))
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    system = state.open()

    def leading(now_leading: bool) -> None:
        if now_leading:
            times = ", ".join(f"{state.zh(*JOB_LABELS[job])} {when:%Y-%m-%d %H:%M}" for job, when in service.job_times().items() if when)
            click.echo(state.zh(f"已取得调度锁（{service.lock.holder}），开始执行定时任务：{times}",
                                f"Scheduler lock taken ({service.lock.holder}); jobs running: {times}"))
        else:
            click.echo(state.zh("定时任务已停止，调度锁已交出", "Jobs stopped; scheduler lock given up"))

    def ran(run: Run) -> None:
        when = local_time(state, run.at.isoformat())
        job = state.zh(*JOB_LABELS[run.check])
        if run.report is None:
            click.echo(state.zh(f"{when} {job}：非工作日，跳过", f"{when} {job}: not a working day, passed over"))
            return
        click.echo(state.zh(f"{when} {job}（{run.report.day}）：记录 {run.report.total} 条",
                            f"{when} {job} ({run.report.day}): recorded {run.report.total}"))

    service = SchedulerService.for_system(system, heartbeat=heartbeat, lease_seconds=lease_seconds, every=every,
                                          on_run=ran, on_leading=leading)
    click.echo(state.zh(f"调度器已启动（时区 {state.settings.timezone}）；按 Ctrl-C 停止", f"Scheduler started (time zone {state.settings.timezone}); Ctrl-C stops it"))
    if not service.lock.try_acquire():
        click.echo(state.zh("另一个调度器正在执行，本进程待命", "Another scheduler is acting; this one stands by"))
    service.run_forever()
    click.echo(state.zh("调度器已停止", "Scheduler stopped"))


@command(main, "remind")
@click.option("--today", "today_text", help="Judge what is due as of this day (YYYY-MM-DD; default today).")
@back_entry_option
def remind(state: CliState, today_text: str | None, on: date | None) -> None:
    """Run the deadline, meeting and bulletin checks once now, as the scheduler (administrators only).

    With --on D (补录: reminders given on paper or by phone that day), what was due on D is judged
    and recorded as of D by the administrator, beside the real time it was entered."""
    system = state.open()
    who = actor(state, system)
    if who != SCHEDULER:
        authority = system.app.authority(who)
        if not authority.is_admin:
            raise NotPermitted(authority.describe(), "record_reminder", "reason_admin_only")
    day = parse_date(today_text, "today") if today_text else on or clock_today(system.clock)
    if on is not None and day != on:
        raise click.UsageError(state.zh("--on 补录的是当天的提醒，不能再用另一个 --today", "--on records that day's reminders; give no other --today"))
    report = run_all(system.app, system.views, day, SCHEDULED if on is None else Entry(who, on))
    reminder_ids = [i.hex for name in ("deadlines", "meetings") for i in report.recorded.get(name, [])]
    with system.engine.connect() as conn:
        rows = _rows(state, deadline_queries.reminder_list(conn, reminder_ids=reminder_ids, limit=max(len(reminder_ids), 1)))
    bulletins = report.recorded.get("bulletin", [])
    if state.as_json:
        emit(state, {"today": day, "reminders": rows, "bulletin": bulletins[0] if bulletins else None})
        return
    emit(state, rows, REMINDER_COLUMNS, title=state.zh(f"{day} 新记录的提醒", f"Reminders recorded as of {day}"))
    click.echo(state.zh(f"共记录 {len(rows)} 条提醒。", f"{len(rows)} reminder(s) recorded."))
    if bulletins:
        click.echo(state.zh("已发布上月月度通报。", "Last month's bulletin issued."))


@command(main, "reminders")
@click.option("--person", help="Reminders sent to this person (staff number, name or id).")
@click.option("--target", help="About this task or rectification (id or its first 6+ digits).")
@click.option("--level", help="due_soon / due_today / overdue / seriously_overdue / escalated / progress_report_late / meeting_due")
@click.option("--since", "since_text", help="Recorded on or after this day (YYYY-MM-DD).")
@click.option("--limit", default=200, show_default=True)
def reminders_command(
    state: CliState, person: str | None, target: str | None, level: str | None, since_text: str | None, limit: int
) -> None:
    """Reminders recorded by the scheduler: who was reminded, about what, at which level."""
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        rows = deadline_queries.reminder_list(
            conn,
            recipient_id=lookup.resolve_person(conn, person) if person else None,
            target_id=_resolve_target(conn, target) if target else None,
            level=parse(ReminderLevel, level, "level").value if level else None,
            since=parse_date(since_text, "since") if since_text else None,
            limit=limit,
        )
    emit(state, _rows(state, rows), REMINDER_COLUMNS)


def _resolve_target(conn: Any, text: str) -> str:
    for what in ("task", "rectification"):
        try:
            return lookup.resolve_entity(conn, what, text)
        except NotFound:
            continue
    raise NotFound("task", text)
