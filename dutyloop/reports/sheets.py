"""The 台账 sheets a query answers — the board, the warnings, the task list, the trail, a chain —
with Chinese (or English) headers and every value in words: statuses and kinds as labels, the
actor as a person, the 详情 of a trail row as sentences. The CLI's ``export``, the web's export
links and the audit bundle write the same sheets."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from domain.errors import term
from domain.vocabulary import days_left, label
from projections import chain_queries, chain_story, deadline_queries, directory_queries, task_queries
from projections.export import Column, Sheet
from projections.sentences import Names, actor_text, reminder_level, row_sentence

ALL = 1_000_000_000
"""No limit: a 台账 holds every row."""

BOARD_COLUMNS: list[Column] = [
    ("name", "支部", "Branch"), ("kind_label", "类型", "Kind"), ("tasks_open", "在办", "Open"),
    ("tasks_overdue", "逾期", "Overdue"), ("done_on_time", "按时完成", "On time"), ("done_late", "逾期完成", "Late"),
    ("awaiting_acceptance", "待验收", "Awaiting"), ("rectifications_open", "整改未销号", "Rect. open"),
    ("rectifications_overdue", "整改逾期", "Rect. overdue"), ("rectifications_closed", "已销号", "Closed"),
    ("last_meeting", "最近会议", "Last meeting"),
]
WARNING_COLUMNS: list[Column] = [
    ("level_label", "预警", "Warning"), ("kind_label", "类别", "Kind"), ("id", "编号", "Id"), ("title", "事项", "Item"),
    ("org_name", "组织", "Organisation"), ("owner_name", "责任人", "Owner"), ("deadline", "时限", "Deadline"),
    ("original_deadline", "原时限", "Original deadline"), ("days_left", "剩余时间", "Time left"),
    ("status_label", "状态", "Status"),
]
TASK_COLUMNS: list[Column] = [
    ("task_id", "编号", "Id"), ("title", "任务", "Task"), ("requirements", "要求", "Requirements"),
    ("org_name", "责任组织", "Organisation"), ("owner_name", "责任人", "Owner"), ("issued_on", "下达日期", "Issued"),
    ("deadline", "完成时限", "Deadline"), ("original_deadline", "原时限", "Original deadline"),
    ("status_label", "状态", "Status"), ("reported_done_on", "报完成日期", "Reported done"),
    ("accepted_on", "验收日期", "Accepted"), ("return_count", "退回次数", "Returns"),
    ("pending_extension", "申请延期至", "Extension asked"), ("meeting_title", "来源会议", "Meeting"),
]
TRAIL_COLUMNS: list[Column] = [
    ("notification_id", "序号", "No."), ("when", "记录时间", "Recorded"), ("business_date", "业务日期", "Date"),
    ("back_entry", "补录", "Back-entry"), ("actor_text", "操作人", "Actor"), ("roles", "角色", "Roles"), ("what", "事项", "Event"),
    ("entity_label", "对象类别", "Object"), ("entity_id", "对象编号", "Object id"), ("org_name", "组织", "Organisation"),
    ("sentence", "详情", "Details"),
]
FINDING_COLUMNS: list[Column] = [
    ("finding_id", "编号", "Id"), ("raised_on", "日期", "Date"), ("kind_label", "检查", "Inspection"),
    ("subject", "检查内容", "Subject"), ("description", "问题", "Finding"),
]
INTERVIEW_COLUMNS: list[Column] = [
    ("interview_id", "编号", "Id"), ("planned_on", "计划日期", "Planned"), ("held_on", "约谈日期", "Held"),
    ("reason", "事由", "Reason"), ("status_label", "状态", "Status"), ("rectification_deadline", "整改时限", "Rectify by"),
]
RECTIFICATION_COLUMNS: list[Column] = [
    ("rectification_id", "编号", "Id"), ("requirement", "整改要求", "Requirement"), ("org_name", "组织", "Organisation"),
    ("owner_name", "责任人", "Owner"), ("opened_on", "启动日期", "Opened"), ("deadline", "时限", "Deadline"),
    ("status_label", "状态", "Status"), ("completion_reported_on", "报完成日期", "Completion reported"),
    ("verified_on", "验收日期", "Verified"), ("closed_on", "销号日期", "Closed"), ("return_count", "退回次数", "Returns"),
]


REMINDER_COLUMNS: list[Column] = [
    ("recorded_on", "提醒日期", "Date"), ("level_label", "级别", "Level"), ("recipient", "提醒对象", "To"),
    ("target", "事项", "About"), ("deadline", "时限", "Deadline"), ("overdue_working_days", "逾期工作日", "Working days overdue"),
]


def _zh(locale: str, zh: str, en: str) -> str:
    return en if locale.lower().startswith("en") else zh


def _labelled(rows: list[dict[str, Any]], locale: str) -> list[dict[str, Any]]:
    for row in rows:
        if row.get("status"):
            row["status_label"] = term(row["status"], locale)
        if "level" in row:
            row["level_label"] = label(row["level"], locale)
        if "working_days_left" in row:
            row["days_left"] = days_left(row["working_days_left"], locale)
    return rows


def board(conn: Connection, day: date, org_id: str | None, locale: str) -> tuple[list[Sheet], str]:
    rows = [r for r in task_queries.branch_summary(conn, day) if org_id is None or r["org_id"] == org_id]
    for row in rows:
        row["kind_label"] = label(row["kind"], locale)
    return [Sheet("支部看板", "Branch board", BOARD_COLUMNS, rows)], _zh(locale, "支部看板", "Branch board")


def warnings(conn: Connection, day: date, org_id: str | None, locale: str) -> tuple[list[Sheet], str]:
    rows = _labelled(deadline_queries.warnings(conn, day, org_id=org_id), locale)
    for row in rows:
        row["kind_label"] = term(row["kind"], locale)
    return [Sheet("时限预警", "Deadline warnings", WARNING_COLUMNS, rows)], _zh(locale, "时限预警", "Deadline warnings")


def task_list(conn: Connection, org_id: str | None, limit: int, locale: str, **filters: Any) -> tuple[list[Sheet], str]:
    rows = _labelled(task_queries.task_list(conn, org_id=org_id, limit=limit, **filters), locale)
    return [Sheet("任务清单", "Task list", TASK_COLUMNS, rows)], _zh(locale, "任务清单", "Task list")


def trail(conn: Connection, org_id: str | None, limit: int, locale: str, timezone: str) -> tuple[list[Sheet], str]:
    rows = list(reversed(chain_queries.trail_rows(conn, org_id=org_id, limit=limit)))
    return ([Sheet("履责记录", "Trail", TRAIL_COLUMNS, trail_rows(conn, rows, locale, timezone))],
            _zh(locale, "履责记录（谁做了什么）", "Who did what"))


def chain(conn: Connection, entity_id: str, day: date, locale: str, timezone: str) -> tuple[list[Sheet], str]:
    story = chain_story.story(conn, entity_id, locale, day=day.isoformat())
    for finding in story["findings"]:
        finding["kind_label"] = label(finding["inspection_kind"], locale)
    for item in (*story["interviews"], *story["rectifications"]):
        item["status_label"] = term(item["status"], locale)
    sheets = [
        Sheet("全过程", "Timeline", TRAIL_COLUMNS, trail_rows(conn, story["timeline"], locale, timezone)),
        Sheet("提醒", "Reminders", REMINDER_COLUMNS, story["reminders"]),
        Sheet("整改", "Rectifications", RECTIFICATION_COLUMNS, story["rectifications"]),
        Sheet("问题", "Findings", FINDING_COLUMNS, story["findings"]),
        Sheet("约谈", "Interviews", INTERVIEW_COLUMNS, story["interviews"]),
    ]
    return sheets, _zh(locale, f"整改链条 {entity_id[:8]}", f"Rectification chain {entity_id[:8]}")


def trail_rows(conn: Connection, rows: list[dict[str, Any]], locale: str, timezone: str) -> list[dict[str, Any]]:
    """Trail rows as a sheet shows them: local time (补录 where the business date is before it), the actor as a person, the event and its 详情."""
    orgs = {o["org_id"]: o["name"] for o in directory_queries.organisation_list(conn)}
    names = Names(conn)
    zone = ZoneInfo(timezone)
    for row in rows:
        moment = datetime.fromisoformat(row["recorded_at"].replace("Z", "+00:00")).astimezone(zone)
        row["when"] = moment.strftime("%Y-%m-%d %H:%M:%S")
        row["back_entry"] = _zh(locale, "补录", "back-entry") if row["business_date"] and row["business_date"] < row["when"][:10] else ""
        row["what"] = label(row["event_type"], locale)
        if row["event_type"] == "ReminderRecorded":
            row["what"] += "：" + reminder_level(row["details"]["level"], int(row["details"]["step"]), locale)
        row["actor_text"] = actor_text({**row, "actor_roles": []}, locale)
        row["roles"] = [label(r, locale) for r in row["actor_roles"]]
        row["org_name"] = orgs.get(row["org_id"], "")
        row["entity_label"] = term(_snake(row["entity_kind"]), locale)
        row.setdefault("sentence", row_sentence(row, names, locale))
    return rows


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
