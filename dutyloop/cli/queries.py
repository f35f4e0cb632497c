"""What people look at: my work, the board, deadline warnings, branches, the trail, the chains.

Every query can answer ``--as-of`` a past moment: from a private replay of the events recorded
up to then, with the calendar known then, leaving the live views untouched."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import click
from sqlalchemy import Connection

from domain.clock import today as clock_today
from domain.errors import DomainError, term
from domain.ranges import DUE_SOON, SERIOUS
from domain.recording import describe_origin
from domain.vocabulary import days_left, label
from dutyloop.cli.base import CliState, command, emit, main, parse_date
from dutyloop.moments import local_minutes
from projections import (
    chain_queries,
    chain_story,
    deadline_queries,
    directory_queries,
    lookup,
    task_queries,
)
from projections.sentences import Names, actor_text, reminder_level, row_sentence

LEVEL_STYLE = {"seriously_overdue": "bold red", "overdue": "red", "due_today": "yellow", "due_soon": "cyan"}


def parse_moment(value: str, tz: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise DomainError("invalid_value", field="as-of", value=value, allowed=["YYYY-MM-DD", "YYYY-MM-DDTHH:MM"]) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(tz))
    if len(value) == 10:
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    return moment


def as_of_option(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--today", "today_text", help="Judge deadlines as of this day (default: today, or the --as-of day).")(func)
    return click.option("--as-of", "as_of", help="Answer from what was recorded up to this moment (YYYY-MM-DD[THH:MM]).")(func)


@contextmanager
def reading(state: CliState, as_of: str | None, today_text: str | None) -> Iterator[tuple[Connection, date]]:
    system = state.open()
    if as_of:
        moment = parse_moment(as_of, state.settings.timezone)
        engine = system.views.as_of(moment)
        day = parse_date(today_text, "today") if today_text else moment.astimezone(system.clock.tz).date()
    else:
        system.catch_up()
        engine = system.engine
        day = parse_date(today_text, "today") if today_text else clock_today(system.clock)
    with engine.connect() as conn:
        yield conn, day


def local_time(state: CliState, recorded_at: str) -> str:
    """Recorded times are kept in UTC; people read them in the business time zone, to the minute."""
    return local_minutes(recorded_at, state.settings.timezone)


def timeline_rows(state: CliState, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows to show: the recorded time in the business time zone beside the business date, and
    补录 where the business date is before the day it was recorded."""
    for row in rows:
        row["when"] = local_time(state, row["recorded_at"])
        row["back_entry"] = state.zh("补录", "back-entry") if row["business_date"] and row["business_date"] < row["when"][:10] else ""
        row["actor_name"] = label(row["actor_name"], state.locale)
        row["what"] = label(row["event_type"], state.locale)
        if row["event_type"] == "ReminderRecorded":
            details = row["details"]
            row["what"] += "：" + reminder_level(details["level"], int(details["step"]), state.locale)
        row["roles"] = [label(r, state.locale) for r in row["actor_roles"]]
        row["actor_text"] = actor_text(row, state.locale)
        row["short_entity"] = row["entity_id"][:8]
        row["via_label"] = describe_origin(row.get("via", ""), state.locale)
    return rows


def with_sentences(conn: Connection, state: CliState, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row's 详情 in words, where the query did not already give it."""
    names = Names(conn)
    for row in rows:
        if "sentence" not in row:
            row["sentence"] = row_sentence(row, names, state.locale)
    return rows


TIMELINE_COLUMNS = [("when", "记录时间", "Recorded"), ("business_date", "业务日期", "Date"),
                    ("back_entry", "补录", "Back-entry"), ("actor_text", "操作人", "Actor"), ("what", "事项", "Event"),
                    ("short_entity", "对象编号", "Id"), ("via_label", "经由", "Via"), ("sentence", "详情", "Details")]


def _labels(state: CliState, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        if row.get("status"):
            row["status_label"] = term(row["status"], state.locale)
        if "level" in row:
            row["level_label"] = label(row["level"], state.locale)
        if "kind" in row:
            row["kind_label"] = term(row["kind"], state.locale)
        if "working_days_left" in row:
            row["days_left"] = days_left(row["working_days_left"], state.locale)
        for key in ("task_id", "rectification_id", "id", "meeting_id", "finding_id", "interview_id"):
            if row.get(key):
                row["short_id"] = row[key][:8]
                break
    return rows


TASK_STATUSES = ("issued", "signed", "in_progress", "reported_done", "returned", "accepted", "cancelled")


def task_status(given: str) -> str:
    """A task status as typed: the stored word or the Chinese one shown in the lists."""
    for status in TASK_STATUSES:
        if given.strip() in (status, term(status, "zh-CN")):
            return status
    raise DomainError("invalid_value", field="task_status", value=given, allowed=list(TASK_STATUSES))


TASK_COLUMNS = [("short_id", "编号", "Id"), ("title", "任务", "Task"), ("org_name", "责任组织", "Organisation"),
                ("owner_name", "责任人", "Owner"), ("deadline", "完成时限", "Deadline"),
                ("original_deadline", "原时限", "Original"), ("status_label", "状态", "Status")]


@command(main, "mywork")
@click.option("--person", help="Whose work (default: the --as person).")
@as_of_option
def mywork(state: CliState, person: str | None, as_of: str | None, today_text: str | None) -> None:
    """A secretary's home: my deadline warnings and my open tasks and rectifications."""
    who = person or state.settings.user
    if not who:
        raise click.UsageError(state.zh("请用 --as 或 --person 指明是谁", "Say whose work with --as or --person"))
    with reading(state, as_of, today_text) as (conn, day):
        person_id = lookup.resolve_person(conn, who)
        org_ids = [r["org_id"] for r in directory_queries.person_roles(conn, person_id) if r["role"] in ("branch_secretary", "party_worker")]
        warned = deadline_queries.warnings(conn, day, owner_id=person_id)
        for org_id in org_ids:
            warned += [w for w in deadline_queries.warnings(conn, day, org_id=org_id) if w not in warned]
        open_tasks = task_queries.task_list(conn, owner_id=person_id, status=task_queries.OPEN_TASK + ("reported_done",))
        for org_id in org_ids:
            open_tasks += [t for t in task_queries.task_list(conn, org_id=org_id, status=task_queries.OPEN_TASK + ("reported_done",)) if t not in open_tasks]
    if state.as_json:
        emit(state, {"today": day, "warnings": warned, "tasks": open_tasks})
        return
    emit(state, _labels(state, warned), [("level_label", "预警", "Warning"), ("kind_label", "类别", "Kind"), ("title", "事项", "Item"),
                                          ("deadline", "时限", "Deadline"), ("days_left", "剩余时间", "Time left"),
                                          ("org_name", "组织", "Organisation")],
         title=state.zh(f"{day} 时限预警", f"Deadline warnings on {day}"))
    emit(state, _labels(state, open_tasks), TASK_COLUMNS, title=state.zh("我的任务", "My tasks"))


@command(main, "tasks")
@click.option("--org")
@click.option("--person")
@click.option("--meeting")
@click.option("--status", "statuses", multiple=True,
              help="已下达 / 已签收 / 办理中 / 已报完成 / 已退回 / 已验收 / 已撤销 (or issued / signed / in_progress / …)")
@click.option("--limit", default=200, show_default=True)
@as_of_option
def tasks_command(
    state: CliState, org: str | None, person: str | None, meeting: str | None, statuses: tuple[str, ...], limit: int,
    as_of: str | None, today_text: str | None,
) -> None:
    """The task status board, filtered by organisation, person, meeting or status."""
    with reading(state, as_of, today_text) as (conn, _):
        rows = task_queries.task_list(
            conn,
            org_id=lookup.resolve_org(conn, org) if org else None,
            owner_id=lookup.resolve_person(conn, person) if person else None,
            meeting_id=lookup.resolve_entity(conn, "meeting", meeting) if meeting else None,
            status=tuple(task_status(s) for s in statuses),
            limit=limit,
        )
    emit(state, _labels(state, rows), TASK_COLUMNS)


@command(main, "counts")
@click.argument("by", type=click.Choice(["org", "person", "meeting", "status"]))
@as_of_option
def counts(state: CliState, by: str, as_of: str | None, today_text: str | None) -> None:
    """Task counts per organisation, person, meeting or status."""
    with reading(state, as_of, today_text) as (conn, _):
        rows = task_queries.task_counts(conn, by)
    if by == "status":
        for row in rows:
            row["name"] = term(row["name"], state.locale)
        emit(state, rows, [("name", "状态", "Status"), ("total", "数量", "Count")])
        return
    emit(state, rows, [("name", "名称", "Name"), ("total", "合计", "Total"), ("issued", "已下达", "Issued"),
                       ("signed", "已签收", "Signed"), ("in_progress", "办理中", "In progress"),
                       ("reported_done", "已报完成", "Reported"), ("returned", "已退回", "Returned"),
                       ("accepted", "已验收", "Accepted"), ("cancelled", "已撤销", "Cancelled")])


@command(main, "warnings")
@click.option("--org")
@click.option("--person")
@click.option("--due-soon", type=click.IntRange(DUE_SOON.low, DUE_SOON.high),
              help="Working days ahead that count as due soon (default: the thresholds in force).")
@click.option("--serious", type=click.IntRange(SERIOUS.low, SERIOUS.high),
              help="Working days overdue that count as seriously overdue (default: in force).")
@as_of_option
def warnings_command(
    state: CliState, org: str | None, person: str | None, due_soon: int | None, serious: int | None, as_of: str | None,
    today_text: str | None,
) -> None:
    """Deadline warnings: due soon, due today, overdue, seriously overdue — in working days."""
    with reading(state, as_of, today_text) as (conn, day):
        in_force = deadline_queries.thresholds_in_force(conn)
        limits = deadline_queries.Thresholds(due_soon or in_force.due_soon, serious or in_force.serious, in_force.escalation_grace)
        rows = deadline_queries.warnings(
            conn, day, limits,
            org_id=lookup.resolve_org(conn, org) if org else None,
            owner_id=lookup.resolve_person(conn, person) if person else None,
        )
    emit(state, _labels(state, rows), [("level_label", "预警", "Warning"), ("kind_label", "类别", "Kind"), ("short_id", "编号", "Id"),
                                       ("title", "事项", "Item"), ("org_name", "组织", "Organisation"),
                                       ("owner_name", "责任人", "Owner"), ("deadline", "时限", "Deadline"),
                                       ("days_left", "剩余时间", "Time left")],
         title=state.zh(f"{day} 时限预警", f"Deadline warnings on {day}"))


@command(main, "board")
@as_of_option
def board(state: CliState, as_of: str | None, today_text: str | None) -> None:
    """Per branch: tasks open, overdue, done on time or late; rectifications; last meeting."""
    with reading(state, as_of, today_text) as (conn, day):
        rows = task_queries.branch_summary(conn, day)
    emit(state, rows, [("name", "支部", "Branch"), ("tasks_open", "在办", "Open"), ("tasks_overdue", "逾期", "Overdue"),
                       ("done_on_time", "按时完成", "On time"), ("done_late", "逾期完成", "Late"),
                       ("awaiting_acceptance", "待验收", "Awaiting"), ("rectifications_open", "整改未销号", "Rect. open"),
                       ("rectifications_overdue", "整改逾期", "Rect. overdue"), ("rectifications_closed", "已销号", "Closed"),
                       ("last_meeting", "最近会议", "Last meeting")],
         title=state.zh(f"支部看板（{day}）", f"Branch board ({day})"))


@command(main, "trail")
@click.option("--person")
@click.option("--org")
@click.option("--entity", help="A task, meeting, finding, interview or rectification id.")
@click.option("--since")
@click.option("--until")
@click.option("--limit", default=100, show_default=True)
@click.option("--before", type=click.IntRange(min=1), help="The next page: entries before this position (that of the last entry shown, in --json).")
@as_of_option
def trail(
    state: CliState, person: str | None, org: str | None, entity: str | None, since: str | None, until: str | None,
    limit: int, before: int | None, as_of: str | None, today_text: str | None,
) -> None:
    """Who did what: every action with actor, role, organisation, business date and recorded time."""
    tz = state.settings.timezone
    entity_id = _live_entity(state, entity)[0] if entity else None
    with reading(state, as_of, today_text) as (conn, _):
        rows = chain_queries.trail_rows(
            conn,
            actor_id=lookup.resolve_person(conn, person) if person else None,
            org_id=lookup.resolve_org(conn, org) if org else None,
            entity_id=entity_id,
            since=parse_moment(since, tz).replace(hour=0, minute=0, second=0) if since and len(since) == 10 else (parse_moment(since, tz) if since else None),
            until=parse_moment(until, tz) if until else None,
            limit=limit, before=before,
        )
        with_sentences(conn, state, rows)
    if state.as_json:
        emit(state, rows)
        return
    emit(state, timeline_rows(state, rows), TIMELINE_COLUMNS)


def _live_entity(state: CliState, text: str) -> tuple[str, str]:
    """An id as the user gives it, resolved among everything recorded so far: as of a past
    moment the entity may not exist yet, which the answer then says instead of "not found"."""
    system = state.open()
    system.catch_up()
    with system.engine.connect() as conn:
        return chain_story.resolve(conn, text)


def chain_story_of(state: CliState, entity: str, as_of: str | None, today_text: str | None) -> dict[str, Any]:
    """The chain of any task, finding, interview, rectification or reminder id, live or as of."""
    key, _ = _live_entity(state, entity)
    with reading(state, as_of, today_text) as (conn, day):
        return chain_story.story(conn, key, state.locale, day=day.isoformat())


@command(main, "chain")
@click.argument("entity")
@as_of_option
def chain(state: CliState, entity: str, as_of: str | None, today_text: str | None) -> None:
    """A rectification chain end to end: finding → interview → rectification → verification → close-out.

    ENTITY is any task, finding, interview, rectification or reminder id of the chain (6+ digits)."""
    story = chain_story_of(state, entity, as_of, today_text)
    if state.as_json:
        emit(state, story)
        return
    if story["findings"]:
        for finding in story["findings"]:
            finding["kind_label"] = label(finding["inspection_kind"], state.locale)
        emit(state, story["findings"], [("raised_on", "日期", "Date"), ("kind_label", "检查", "Inspection"),
                                         ("subject", "检查内容", "Subject"), ("description", "问题", "Finding")],
             title=state.zh("问题", "Findings"))
    if story["reminders"]:
        emit(state, story["reminders"], [("recorded_on", "提醒日期", "Date"), ("level_label", "级别", "Level"),
                                          ("recipient", "提醒对象", "To"), ("target", "事项", "About"),
                                          ("deadline", "时限", "Deadline")],
             title=state.zh("提醒", "Reminders"))
    if story["interviews"]:
        emit(state, story["interviews"], [("planned_on", "计划日期", "Planned"), ("held_on", "约谈日期", "Held"),
                                           ("reason", "事由", "Reason"), ("rectification_deadline", "整改时限", "Rectify by")],
             title=state.zh("约谈", "Interviews"))
    for rect in story["rectifications"]:
        rect["status_label"] = term(rect["status"], state.locale)
    emit(state, story["rectifications"], [("requirement", "整改要求", "Requirement"), ("org_name", "组织", "Organisation"),
                                           ("owner_name", "责任人", "Owner"), ("deadline", "时限", "Deadline"),
                                           ("status_label", "状态", "Status"), ("closed_on", "销号日期", "Closed")],
         title=state.zh("整改", "Rectifications"))
    emit(state, timeline_rows(state, story["timeline"]), TIMELINE_COLUMNS, title=state.zh("全过程", "Timeline"))


@command(main, "chains")
@as_of_option
def chains(state: CliState, as_of: str | None, today_text: str | None) -> None:
    """Open rectification chains with their age."""
    with reading(state, as_of, today_text) as (conn, day):
        rows = chain_queries.open_chains(conn, day)
    emit(state, _labels(state, rows), [("short_id", "编号", "Id"), ("requirement", "整改要求", "Requirement"),
                                       ("org_name", "组织", "Organisation"), ("owner_name", "责任人", "Owner"),
                                       ("opened_on", "启动", "Opened"), ("deadline", "时限", "Deadline"),
                                       ("age_days", "已历天数", "Age (days)"), ("status_label", "状态", "Status")])


@command(main, "findings")
@click.option("--org")
@as_of_option
def findings_command(state: CliState, org: str | None, as_of: str | None, today_text: str | None) -> None:
    """Findings raised by inspections, with the inspection's kind and their rectification's status."""
    with reading(state, as_of, today_text) as (conn, _):
        rows = chain_queries.finding_list(conn, lookup.resolve_org(conn, org) if org else None)
    for row in rows:
        row["kind_label"] = label(row["inspection_kind"], state.locale)
        row["rect_label"] = term(row["rectification_status"], state.locale) if row["rectification_status"] else ""
        row["short_id"] = row["finding_id"][:8]
    emit(state, rows, [("short_id", "编号", "Id"), ("raised_on", "日期", "Date"), ("kind_label", "检查", "Inspection"),
                       ("org_name", "支部", "Branch"), ("description", "问题", "Finding"), ("rect_label", "整改", "Rectification")])


@command(main, "interviews")
@as_of_option
def interviews_command(state: CliState, as_of: str | None, today_text: str | None) -> None:
    """约谈 (interviews), planned and held: who, with whom, why, and the rectification deadline."""
    with reading(state, as_of, today_text) as (conn, _):
        rows = chain_queries.interview_list(conn)
    emit(state, _labels(state, rows), [("short_id", "编号", "Id"), ("planned_on", "计划", "Planned"), ("held_on", "约谈日期", "Held"),
                                       ("interviewer_name", "约谈人", "Interviewer"), ("interviewee_name", "被约谈人", "Interviewee"),
                                       ("reason", "事由", "Reason"), ("rectification_deadline", "整改时限", "Rectify by")])
