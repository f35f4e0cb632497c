"""履责 commands on a task: sign for it, report, accept or return, extend, cancel, follow."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from domain.errors import term
from dutyloop.cli.base import (
    CliState,
    act_on,
    back_entry_option,
    command,
    done,
    emit,
    main,
    parse_date,
)
from dutyloop.cli.evidence import evidence_kept
from dutyloop.cli.meetings import issue_tasks, with_task_options
from dutyloop.cli.queries import TIMELINE_COLUMNS, timeline_rows
from projections import lookup, task_queries


@main.group("task")
def task_group() -> None:
    """任务 (tasks): 签收、报送、验收、退回、延期、撤销、关注."""


def _run(state: CliState, task: str, call, zh: str, en: str) -> None:  # type: ignore[no-untyped-def]
    act_on(state, "task", task, call, zh, en)


@command(task_group, "sign")
@back_entry_option
@click.argument("task")
def task_sign(state: CliState, task: str, on: date | None) -> None:
    """签收: the responsible branch acknowledges the task."""
    _run(state, task, lambda app, who, tid: app.sign_for_task(who, tid, on=on), "已签收", "Signed for")


@command(task_group, "progress")
@back_entry_option
@click.argument("task")
@click.argument("note")
def task_progress(state: CliState, task: str, note: str, on: date | None) -> None:
    """报送进展: report progress on a task."""
    _run(state, task, lambda app, who, tid: app.report_task_progress(who, tid, note, on=on), "已报送进展", "Progress reported")


@command(task_group, "done")
@back_entry_option
@click.argument("task")
@click.option("--text", "texts", multiple=True, help="Evidence as text (repeat).")
@click.option("--link", "links", multiple=True, help="Evidence as an http(s) link (repeat).")
@click.option("--file", "files", multiple=True, type=click.Path(path_type=Path), help="Evidence file (repeat).")
@click.option("--note", default="")
def task_done(state: CliState, task: str, texts: tuple[str, ...], links: tuple[str, ...], files: tuple[Path, ...], note: str, on: date | None) -> None:
    """报送完成 with 佐证材料 (evidence)."""
    with evidence_kept(state, texts, links, files) as evidence:
        _run(state, task, lambda app, who, tid: app.report_task_done(who, tid, evidence, note, on=on), "已报送完成", "Reported done")


@command(task_group, "accept")
@back_entry_option
@click.argument("task")
@click.option("--comment", default="")
def task_accept(state: CliState, task: str, comment: str, on: date | None) -> None:
    """验收: accept a task reported done."""
    _run(state, task, lambda app, who, tid: app.accept_task(who, tid, comment, on=on), "已验收通过", "Accepted")


@command(task_group, "return")
@back_entry_option
@click.argument("task")
@click.option("--reason", required=True)
def task_return(state: CliState, task: str, reason: str, on: date | None) -> None:
    """退回: return a task reported done, with the reason."""
    _run(state, task, lambda app, who, tid: app.return_task(who, tid, reason, on=on), "已退回", "Returned")


@command(task_group, "extend")
@back_entry_option
@click.argument("task")
@click.option("--to", "to_date", required=True, help="Requested new deadline, YYYY-MM-DD.")
@click.option("--reason", required=True)
def task_extend(state: CliState, task: str, to_date: str, reason: str, on: date | None) -> None:
    """申请延期: ask for a later deadline (the original is kept)."""
    new = parse_date(to_date, "to")
    _run(state, task, lambda app, who, tid: app.request_extension(who, tid, new, reason, on=on), "已申请延期", "Extension requested")


@command(task_group, "approve-extension")
@back_entry_option
@click.argument("task")
def task_approve(state: CliState, task: str, on: date | None) -> None:
    """Approve the extension asked for: the new deadline applies."""
    _run(state, task, lambda app, who, tid: app.approve_extension(who, tid, on=on), "已批准延期", "Extension approved")


@command(task_group, "refuse-extension")
@back_entry_option
@click.argument("task")
@click.option("--reason", required=True)
def task_refuse(state: CliState, task: str, reason: str, on: date | None) -> None:
    """Refuse the extension asked for, with the reason; the deadline stays."""
    _run(state, task, lambda app, who, tid: app.refuse_extension(who, tid, reason, on=on), "已拒绝延期", "Extension refused")


@command(task_group, "cancel")
@back_entry_option
@click.argument("task")
@click.option("--reason", required=True)
def task_cancel(state: CliState, task: str, reason: str, on: date | None) -> None:
    """撤销: cancel a task, with the reason."""
    _run(state, task, lambda app, who, tid: app.cancel_task(who, tid, reason, on=on), "已撤销任务", "Task cancelled")


@command(task_group, "follow")
@click.argument("task")
def task_follow(state: CliState, task: str) -> None:
    """关注: follow a task you are not responsible for."""
    _run(state, task, lambda app, who, tid: app.follow_task(who, tid), "已关注", "Following")


@command(task_group, "unfollow")
@click.argument("task")
def task_unfollow(state: CliState, task: str) -> None:
    """Stop following a task."""
    _run(state, task, lambda app, who, tid: app.unfollow_task(who, tid), "已取消关注", "No longer following")


@command(task_group, "break-down")
@click.argument("task")
@with_task_options
def task_break_down(
    state: CliState, task: str, task_texts: tuple[str, ...], task_file: Path | None, item: str | None, cycle: str,
    followers: tuple[str, ...],
) -> None:
    """分解: break a task down into tasks for the organisations below."""
    ids = issue_tasks(state, "task", task, task_texts, task_file, item, cycle, followers,
                      lambda app, who, task_id, specs: app.break_down_task(who, task_id, specs))
    done(state, "已分解为 {count} 项任务", "Broken down into {count} tasks", count=len(ids), ids=ids)


@command(task_group, "show")
@click.argument("task")
def task_show(state: CliState, task: str) -> None:
    """Details, deadline lineage and the timeline of everything that happened to the task."""
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        detail = task_queries.task_detail(conn, lookup.resolve_entity(conn, "task", task))
    if state.as_json:
        emit(state, detail)
        return
    fields = [
        ("title", "任务", "Task"), ("requirements", "要求", "Requirements"), ("status", "状态", "Status"),
        ("org_name", "责任组织", "Organisation"), ("owner_name", "责任人", "Owner"), ("issued_on", "下达日期", "Issued"),
        ("deadline", "当前时限", "Deadline"), ("original_deadline", "原定时限", "Original deadline"),
        ("deadline_rule", "时限规则", "Deadline rule"), ("pending_extension", "待批延期至", "Extension asked"),
        ("meeting_title", "来源会议", "Meeting"), ("list_item", "清单事项", "List item"),
        ("reported_done_on", "报送完成", "Reported done"), ("accepted_on", "验收日期", "Accepted"),
        ("return_count", "退回次数", "Returned"), ("task_id", "编号", "Id"),
    ]
    detail["status"] = term(detail["status"], state.locale)
    shown = {state.zh(zh, en): detail.get(key) for key, zh, en in fields if detail.get(key) not in (None, "")}
    emit(state, shown, title=detail["title"])
    emit(state, timeline_rows(state, detail["timeline"]), TIMELINE_COLUMNS, title=state.zh("全过程", "Timeline"))
