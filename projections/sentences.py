"""What a trail row says, in the reader's words: who did it (a person by name, staff number and
role at the time; the scheduler as the system) and what the event recorded, as sentences —
never an event's field names, its JSON or a 32-digit id. A 纪检 officer hands these rows to a
纪委; they must read as a record, not as a program's output.

Names come from the views in the connection (live, or a private copy as of a past moment), looked
up once per name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, select

from domain.vocabulary import ReminderLevel, label
from projections.tables import findings, organisations, people, tasks

SHORT = 8
"""Ids as users see them everywhere: the first 8 hex digits."""

SYSTEM_ACTORS: dict[str, tuple[str, str]] = {
    "system:scheduler": ("系统（定时提醒）", "system (scheduled reminders)"),
    "system:init": ("系统（初始化）", "system (set-up)"),
    "system:demo": ("系统（演示数据）", "system (demo data)"),
    "system:directory": ("系统（公司目录）", "system (company directory)"),
}


def _english(locale: str) -> bool:
    return locale.lower().startswith("en")


def _say(locale: str, zh: str, en: str) -> str:
    return en if _english(locale) else zh


def short(entity_id: str | None) -> str:
    return (entity_id or "")[:SHORT]


def actor_text(row: dict[str, Any], locale: str) -> str:
    """"王书记（S0042，支部书记）": the name, staff number and roles the actor held when the row
    was recorded; the scheduler as 系统（定时提醒）."""
    actor = str(row.get("actor") or "")
    if actor.startswith("system:"):
        zh, en = SYSTEM_ACTORS.get(actor, ("系统", "system"))
        return _say(locale, zh, en)
    parts = [p for p in (row.get("actor_staff_no"), *(label(r, locale) for r in row.get("actor_roles", []))) if p]
    name = row.get("actor_name") or short(actor)
    if not parts:
        return str(name)
    return f"{name}（{'，'.join(parts)}）" if not _english(locale) else f"{name} ({', '.join(parts)})"


def reminder_level(level: str, step: int, locale: str) -> str:
    """即将到期 / 今日到期 / 已逾期 / 严重逾期 / 逾期升级 第N级."""
    if level == ReminderLevel.ESCALATED:
        return _say(locale, f"逾期升级 第{step}级", f"escalated, step {step}")
    return label(level, locale)


class Names:
    """People, organisations, tasks and findings by id, each read once."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._cache: dict[tuple[str, str], Any] = {}

    def _one(self, kind: str, key: str, read: Callable[[], Any]) -> Any:
        if (kind, key) not in self._cache:
            self._cache[(kind, key)] = read()
        return self._cache[(kind, key)]

    def person(self, person_id: str | None, locale: str) -> str:
        if not person_id:
            return ""
        found = self._one("person", person_id, lambda: self.conn.execute(
            select(people.c.name, people.c.staff_no).where(people.c.person_id == person_id)).first())
        if found is None:
            return short(person_id)
        return f"{found.name}（{found.staff_no}）" if not _english(locale) else f"{found.name} ({found.staff_no})"

    def org(self, org_id: str | None) -> str:
        if not org_id:
            return ""
        found = self._one("org", org_id, lambda: self.conn.execute(
            select(organisations.c.name).where(organisations.c.org_id == org_id)).scalar())
        return str(found or short(org_id))

    def task(self, task_id: str | None) -> str:
        if not task_id:
            return ""
        found = self._one("task", task_id, lambda: self.conn.execute(
            select(tasks.c.title).where(tasks.c.task_id == task_id)).scalar())
        return f"“{found}”" if found else short(task_id)

    def finding(self, finding_id: str | None) -> str:
        if not finding_id:
            return ""
        found = self._one("finding", finding_id, lambda: self.conn.execute(
            select(findings.c.description).where(findings.c.finding_id == finding_id)).scalar())
        return f"“{found}”" if found else short(finding_id)

    def target(self, kind: str, target_id: str, locale: str) -> str:
        if kind == "task":
            return _say(locale, f"任务{self.task(target_id)}", f"task {self.task(target_id)}")
        if kind == "rectification":
            return _say(locale, f"整改 {short(target_id)}", f"rectification {short(target_id)}")
        return _say(locale, f"会议 {short(target_id)}", f"meeting {short(target_id)}")


Field = tuple[str, str, str]
"""(field of the event, zh label, en label)"""

TEXT_FIELDS: tuple[Field, ...] = (
    ("title", "任务", "task"), ("subject", "检查内容", "subject"), ("description", "问题", "finding"),
    ("requirements", "要求", "requirements"), ("requirement", "要求", "requirement"), ("reason", "理由", "reason"),
    ("plan", "方案", "plan"), ("note", "说明", "note"), ("opinion", "验收意见", "opinion"), ("comment", "意见", "comment"),
    ("minutes", "纪要", "minutes"), ("commitments", "承诺", "commitments"), ("summary", "摘要", "summary"),
    ("filter_name", "筛选名称", "filter"),
)
DATE_FIELDS: tuple[Field, ...] = (
    ("planned_on", "计划日期", "planned for"), ("held_on", "召开日期", "held on"),
    ("previous_deadline", "原时限", "previous deadline"), ("deadline", "时限", "deadline"),
    ("requested_deadline", "申请延至", "asked until"), ("rectification_deadline", "整改时限", "rectify by"),
)
PERSON_FIELDS: tuple[Field, ...] = (
    ("owner_id", "责任人", "responsible"), ("interviewer_id", "约谈人", "interviewer"),
    ("interviewee_id", "被约谈人", "interviewee"), ("person_id", "人员", "person"),
)
LABELLED_FIELDS: tuple[Field, ...] = (("inspection_kind", "检查类别", "inspection"), ("kind", "类别", "kind"))


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "、".join(_text(v) for v in value)
    return str(value)


def _evidence(items: Iterable[Any], locale: str) -> str:
    shown = []
    for item in items:
        if not isinstance(item, dict):
            continue
        value = str(item.get("name") or item.get("value") or "")
        if item.get("kind") == "file":
            value = value.rsplit("/", 1)[-1]
            shown.append(_say(locale, f"文件 {value}", f"file {value}"))
        elif item.get("kind") == "link":
            shown.append(_say(locale, f"链接 {value}", f"link {value}"))
        else:
            shown.append(value)
    return "、".join(shown)


def reminder_sentence(reminder: dict[str, Any], names: Names, locale: str) -> str:
    """"2025-05-21 向 陈干事（S0049）发出“已逾期”提醒：任务“…”，时限 2025-05-20，已逾期 2 个工作日。\""""
    level = reminder_level(reminder["level"], reminder["step"], locale)
    who = names.person(reminder["recipient_id"], locale)
    about = names.target(reminder["target_kind"], reminder["target_id"], locale)
    late = int(reminder.get("overdue_working_days") or 0)
    if _english(locale):
        tail = f", {late} working days overdue" if late else ""
        return f"On {reminder['recorded_on']} a “{level}” reminder went to {who} about {about}, deadline {reminder['deadline']}{tail}."
    tail = f"，已逾期 {late} 个工作日" if late else ""
    return f"{reminder['recorded_on']} 向 {who} 发出“{level}”提醒：{about}，时限 {reminder['deadline']}{tail}。"


def row_sentence(row: dict[str, Any], names: Names, locale: str) -> str:
    """A trail row's 详情: the event's own fields a reader needs, labelled in the reader's
    language; ids become names."""
    event_type, details = row["event_type"], row["details"]
    if event_type == "ReminderRecorded":
        return reminder_sentence({
            "level": details.get("level", ""), "step": int(details.get("step") or 0),
            "recipient_id": _hex(details.get("recipient_id")), "target_kind": details.get("target_kind", "task"),
            "target_id": _hex(details.get("target_id")), "deadline": details.get("deadline", ""),
            "recorded_on": row["business_date"], "overdue_working_days": details.get("overdue_working_days", 0),
        }, names, locale)
    parts: list[str] = []
    sep = ": " if _english(locale) else "："

    def add(zh: str, en: str, value: str) -> None:
        if value:
            parts.append(f"{_say(locale, zh, en)}{sep}{value}")

    for key, zh, en in TEXT_FIELDS:
        if details.get(key) not in (None, "", []):
            add(zh, en, _text(details[key]))
    for key, zh, en in LABELLED_FIELDS:
        if details.get(key):
            add(zh, en, label(str(details[key]), locale))
    for key, zh, en in PERSON_FIELDS:
        add(zh, en, names.person(_hex(details.get(key)), locale))
    if details.get("org_id") and event_type not in ("RoleAssigned", "RoleRevoked"):
        add("组织", "organisation", names.org(_hex(details["org_id"])))
    if details.get("role"):
        add("角色", "role", label(str(details["role"]), locale) + (f"（{names.org(_hex(details.get('org_id')))}）" if details.get("org_id") else ""))
    for key, zh, en in DATE_FIELDS:
        if details.get(key):
            add(zh, en, str(details[key]))
    add("涉及任务", "tasks", "、".join(names.task(_hex(t)) for t in details.get("task_ids") or []))
    add("涉及问题", "findings", "、".join(names.finding(_hex(f)) for f in details.get("finding_ids") or []))
    if details.get("source_kind") and details.get("source_id"):
        kind = str(details["source_kind"])
        source = names.finding(_hex(details["source_id"])) if kind == "finding" else short(_hex(details["source_id"]))
        add("来源", "from", f"{label(kind, locale) if kind not in ('finding', 'interview') else _say(locale, *_SOURCE[kind])} {source}")
    add("佐证材料", "evidence", _evidence(details.get("evidence") or [], locale))
    if not parts:
        return ""
    return ("; ".join(parts) + ".") if _english(locale) else ("；".join(parts) + "。")


_SOURCE = {"finding": ("问题", "finding"), "interview": ("约谈", "interview")}


def _hex(value: Any) -> str | None:
    if value in (None, ""):
        return None
    return str(value).replace("-", "").lower()
