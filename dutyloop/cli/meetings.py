"""履责 commands for meetings: plan, record minutes, issue the task list from the minutes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import click
from sqlalchemy import Connection, select

from domain.commands.task_lists import TaskSpec
from domain.errors import NotFound
from domain.vocabulary import MeetingKind, ReportCycle, label, parse
from dutyloop.cli.base import CliState, actor, command, done, emit, main, parse_date
from dutyloop.cli.parsing import parse_deadline, read_task_lines, split_task
from projections import directory_queries, lookup
from projections.tables import responsibility_items


@main.group("meeting")
def meeting_group() -> None:
    """例会 (meetings): 党建工作小组例会, 党组织书记例会, 党务工作者例会."""


@command(meeting_group, "plan")
@click.option("--kind", required=True, help="work_group / secretaries / party_workers / other, or the Chinese name.")
@click.option("--org", required=True, help="The organisation holding the meeting.")
@click.option("--title", required=True)
@click.option("--date", "planned_on", required=True, help="Planned date, YYYY-MM-DD.")
def meeting_plan(state: CliState, kind: str, org: str, title: str, planned_on: str) -> None:
    """Plan a meeting: its kind, organisation, title and date."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        org_id = UUID(lookup.resolve_org(conn, org))
    meeting_id = system.app.plan_meeting(who, parse(MeetingKind, kind, "kind"), org_id, title, parse_date(planned_on, "date"))
    system.catch_up()
    done(state, "已安排会议 {id}", "Planned meeting {id}", id=meeting_id)


@command(meeting_group, "minutes")
@click.argument("meeting")
@click.option("--held-on", required=True, help="The day the meeting was held, YYYY-MM-DD.")
@click.option("--attendee", "attendees", multiple=True, required=True, help="Staff number or name (repeat).")
@click.option("--decision", "decisions", multiple=True, required=True, help="A decision (repeat).")
@click.option("--summary", default="")
def meeting_minutes(
    state: CliState, meeting: str, held_on: str, attendees: tuple[str, ...], decisions: tuple[str, ...], summary: str
) -> None:
    """会议纪要: record when it was held, who attended, what was decided."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        meeting_id = UUID(lookup.resolve_entity(conn, "meeting", meeting))
        attendee_ids = [UUID(lookup.resolve_person(conn, a)) for a in attendees]
    system.app.record_minutes(who, meeting_id, parse_date(held_on, "held-on"), attendee_ids, list(decisions), summary)
    system.catch_up()
    done(state, "已记录会议纪要", "Minutes recorded")


def task_specs(
    conn: Connection, lines: list[dict[str, str]], item: str | None, cycle: str, followers: tuple[str, ...]
) -> list[TaskSpec]:
    list_item = None
    if item:
        row = conn.execute(
            select(responsibility_items.c.list_id, responsibility_items.c.item_id).where(
                responsibility_items.c.item_id.startswith(lookup.id_prefix(item, "responsibility_list"), autoescape=True)
            )
        ).first()
        if row is None:
            raise NotFound("responsibility_list", item)
        list_item = (UUID(row.list_id), UUID(row.item_id))
    follower_ids = tuple(UUID(lookup.resolve_person(conn, f)) for f in followers)
    return [
        TaskSpec(
            title=line["title"],
            org_id=UUID(lookup.resolve_org(conn, line["org"])),
            owner_id=UUID(lookup.resolve_person(conn, line["owner"])),
            deadline=parse_deadline(line["deadline"]),
            requirements=line.get("requirements", ""),
            list_item=list_item,
            report_cycle=parse(ReportCycle, cycle, "cycle"),
            follower_ids=follower_ids,
        )
        for line in lines
    ]


TASK_OPTIONS = [
    click.option("--task", "task_texts", multiple=True, help="标题|责任组织|责任人|时限[|要求]; 时限 is YYYY-MM-DD or 10wd (repeat)."),
    click.option("--file", "task_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="CSV: 任务,责任组织,责任人,完成时限,要求."),
    click.option("--item", help="The responsibility-list item these tasks serve (id or prefix)."),
    click.option("--cycle", default="none", show_default=True, help="填报周期: none / weekly / monthly."),
    click.option("--follower", "followers", multiple=True, help="关注: someone who follows these tasks (repeat)."),
]


def with_task_options(func):  # type: ignore[no-untyped-def]
    for option in reversed(TASK_OPTIONS):
        func = option(func)
    return func


def collect_lines(task_texts: tuple[str, ...], task_file: Path | None) -> list[dict[str, str]]:
    lines = [split_task(t) for t in task_texts]
    if task_file is not None:
        lines += read_task_lines(task_file)
    return lines


def issue_tasks(
    state: CliState, what: str, ref: str, task_texts: tuple[str, ...], task_file: Path | None, item: str | None,
    cycle: str, followers: tuple[str, ...], issue: Callable[[Any, UUID | str, UUID, list[TaskSpec]], list[UUID]],
) -> list[UUID]:
    """A task list from the command line or a file, issued from a meeting or from a parent task."""
    system = state.open()
    who = actor(state, system)
    with system.engine.connect() as conn:
        source_id = UUID(lookup.resolve_entity(conn, what, ref))
        specs = task_specs(conn, collect_lines(task_texts, task_file), item, cycle, followers)
    ids = issue(system.app, who, source_id, specs)
    system.catch_up()
    return ids


@command(meeting_group, "issue")
@click.argument("meeting")
@with_task_options
def meeting_issue(
    state: CliState, meeting: str, task_texts: tuple[str, ...], task_file: Path | None, item: str | None, cycle: str,
    followers: tuple[str, ...],
) -> None:
    """分级下达: issue the task list decided in the meeting's minutes."""
    ids = issue_tasks(state, "meeting", meeting, task_texts, task_file, item, cycle, followers,
                      lambda app, who, meeting_id, specs: app.issue_task_list(who, meeting_id, specs))
    done(state, "已下达 {count} 项任务", "Issued {count} tasks", count=len(ids), ids=ids)


@command(meeting_group, "list")
@click.option("--org")
def meeting_list(state: CliState, org: str | None) -> None:
    """Meetings, planned and held."""
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        rows = directory_queries.meeting_list(conn, lookup.resolve_org(conn, org) if org else None)
    for row in rows:
        row["kind_label"] = label(row["kind"], state.locale)
        row["short_id"] = row["meeting_id"][:8]
    emit(state, rows, [("short_id", "编号", "Id"), ("kind_label", "类型", "Kind"), ("title", "会议", "Title"),
                       ("org_name", "组织", "Organisation"), ("planned_on", "计划日期", "Planned"),
                       ("held_on", "召开日期", "Held"), ("tasks_issued", "下达任务", "Tasks")])
