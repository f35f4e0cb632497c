"""Which events people must hear about, who hears, and what their message says.

One event becomes drafts: a message per person (their inbox, and their own channels) and, where
the matter belongs to an organisation, one per organisation (its group robot). Names and titles
come from the read models, which the notifier brings at least as far as the event before reading
them, so a name is the one in force when the message is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from projections.tables import (
    meetings,
    organisations,
    people,
    rectifications,
    role_assignments,
    tasks,
)
from projections.view import hx

SYSTEM_NAMES = {"system:scheduler": ("系统自动提醒", "automatic reminder"), "system:demo": ("演示数据", "demo"),
                "system:init": ("系统初始化", "set-up")}


@dataclass(frozen=True)
class Draft:
    kind: str
    recipient_kind: str
    """``person`` (inbox and the person's channels) or ``org`` (the organisation's channels)."""
    recipient_id: str
    recipient_name: str
    target_kind: str
    target_id: str
    context: dict[str, Any] = field(default_factory=dict)


class Directory:
    """Names, titles and branch secretaries, read from the read models in the notifier's transaction."""

    def __init__(self, conn: Connection, locale: str) -> None:
        """One per batch of events: people and organisations are remembered for the batch."""
        self.conn = conn
        self.english = locale.lower().startswith("en")
        self._people: dict[str, dict[str, Any]] = {}
        self._orgs: dict[str, str] = {}

    def person(self, person_id: str | None) -> dict[str, Any]:
        if person_id is None:
            return {}
        key = hx(person_id) or ""
        if key not in self._people:
            row = self.conn.execute(select(people).where(people.c.person_id == key)).mappings().first()
            self._people[key] = dict(row) if row else {}
        return self._people[key]

    def name(self, actor: str | None) -> str:
        if actor is None:
            return ""
        if actor.startswith("system:"):
            zh, en = SYSTEM_NAMES.get(actor, (actor, actor))
            return en if self.english else zh
        return str(self.person(actor).get("name") or actor[:8])

    def org_name(self, org_id: str | None) -> str:
        if org_id is None:
            return ""
        if org_id not in self._orgs:
            found = self.conn.execute(select(organisations.c.name).where(organisations.c.org_id == org_id)).scalar()
            self._orgs[org_id] = str(found or org_id[:8])
        return self._orgs[org_id]

    def task(self, task_id: str) -> dict[str, Any]:
        row = self.conn.execute(select(tasks).where(tasks.c.task_id == task_id)).mappings().first()
        return dict(row) if row else {}

    def rectification(self, rectification_id: str) -> dict[str, Any]:
        row = self.conn.execute(
            select(rectifications).where(rectifications.c.rectification_id == rectification_id)
        ).mappings().first()
        return dict(row) if row else {}

    def meeting_title(self, meeting_id: str) -> str:
        return str(self.conn.execute(select(meetings.c.title).where(meetings.c.meeting_id == meeting_id)).scalar() or "")

    def branch_secretaries(self) -> list[tuple[str, str]]:
        """(person, branch) for every branch secretary, in a stable order."""
        rows = self.conn.execute(
            select(role_assignments.c.person_id, role_assignments.c.org_id)
            .where(role_assignments.c.role == "branch_secretary")
            .order_by(role_assignments.c.org_id, role_assignments.c.person_id)
        )
        return [(r.person_id, r.org_id) for r in rows]


def drafts_for(fact: Any, directory: Directory) -> list[Draft]:
    make = _MAKERS.get(fact.event_type)
    return make(fact, directory) if make else []


def _common(fact: Any, d: Directory, org_id: str | None) -> dict[str, Any]:
    return {"actor": d.name(fact.actor), "on": fact.on, "recorded_at": fact.timestamp, "org": d.org_name(org_id),
            "ref": fact.originator_id[:8]}


def _to_people(kind: str, person_ids: list[str], target: tuple[str, str], context: dict[str, Any],
               d: Directory) -> list[Draft]:
    seen: list[str] = []
    for pid in person_ids:
        if pid and pid not in seen:
            seen.append(pid)
    return [Draft(kind, "person", pid, d.name(pid), *target, {**context, "recipient": d.name(pid), "audience": "person"}) for pid in seen]


def _to_org(kind: str, org_id: str | None, target: tuple[str, str], context: dict[str, Any], d: Directory) -> list[Draft]:
    if not org_id:
        return []
    name = d.org_name(org_id)
    return [Draft(kind, "org", org_id, name, *target, {**context, "recipient": name, "audience": "org"})]


def _task_issued(f: Any, d: Directory) -> list[Draft]:
    context = {**_common(f, d, f.org_id), "title": f.title, "requirements": f.requirements, "deadline": f.deadline,
               "deadline_rule": f.deadline_rule, "owner": d.name(f.owner_id)}
    target = ("task", f.originator_id)
    owner = _to_people("task_issued", [f.owner_id], target, {**context, "following": False}, d)
    followers = [p for p in f.follower_ids if p != f.owner_id]
    return owner + _to_people("task_issued", followers, target, {**context, "following": True}, d) + \
        _to_org("task_issued", f.org_id, target, {**context, "following": False}, d)


def _reminder(f: Any, d: Directory) -> list[Draft]:
    if f.target_kind == "task":
        row = d.task(f.target_id)
        title, owner = row.get("title", ""), row.get("owner_id")
    elif f.target_kind == "rectification":
        row = d.rectification(f.target_id)
        title, owner = row.get("requirement", ""), row.get("owner_id")
    else:
        title, owner = d.meeting_title(f.target_id), None
    context = {**_common(f, d, f.org_id), "level": f.level, "step": f.step, "target_kind": f.target_kind,
               "title": title, "deadline": f.deadline, "overdue_working_days": f.overdue_working_days,
               "owner": d.name(owner) if owner else "", "target_ref": f.target_id[:8]}
    target = (f.target_kind, f.target_id)
    return _to_people("reminder", [f.recipient_id], target, context, d) + _to_org("reminder", f.org_id, target, context, d)


def _task_returned(f: Any, d: Directory) -> list[Draft]:
    task = d.task(f.originator_id)
    context = {**_common(f, d, task.get("org_id")), "title": task.get("title", ""), "reason": f.reason,
               "deadline": task.get("deadline", f.on)}
    target = ("task", f.originator_id)
    return _to_people("task_returned", [task.get("owner_id", "")], target, context, d)


def _interview_scheduled(f: Any, d: Directory) -> list[Draft]:
    context = {**_common(f, d, f.org_id), "interviewer": d.name(f.interviewer_id), "reason": f.reason,
               "planned_on": f.planned_on}
    return _to_people("interview_scheduled", [f.interviewee_id], ("interview", f.originator_id), context, d)


def _rectification(kind: str, extra: Callable[[Any, Directory], dict[str, Any]]) -> Callable[[Any, Directory], list[Draft]]:
    def make(f: Any, d: Directory) -> list[Draft]:
        row = d.rectification(f.originator_id)
        owner = getattr(f, "owner_id", None) or row.get("owner_id", "")
        org_id = getattr(f, "org_id", None) or row.get("org_id")
        context = {**_common(f, d, org_id), "requirement": getattr(f, "requirement", None) or row.get("requirement", ""),
                   "deadline": getattr(f, "deadline", None) or row.get("deadline", f.on), **extra(f, d)}
        target = ("rectification", f.originator_id)
        return _to_people(kind, [owner], target, context, d) + _to_org(kind, org_id, target, context, d)

    return make


def _subject(f: Any, d: Directory) -> tuple[str, dict[str, Any]]:
    """The task or rectification an urge or comment is about, as a row of the views."""
    if f.aggregate_type == "Task":
        return "task", d.task(f.originator_id)
    return "rectification", d.rectification(f.originator_id)


def _urged(f: Any, d: Directory) -> list[Draft]:
    kind, row = _subject(f, d)
    context = {**_common(f, d, row.get("org_id")), "target_kind": kind, "note": f.note,
               "title": row.get("title") or row.get("requirement", ""), "deadline": row.get("deadline", f.on)}
    return _to_people("urged", [f.owner_id], (kind, f.originator_id), context, d)


def _commented(f: Any, d: Directory) -> list[Draft]:
    kind, row = _subject(f, d)
    context = {**_common(f, d, row.get("org_id")), "target_kind": kind, "text": f.text,
               "title": row.get("title") or row.get("requirement", "")}
    mentioned = [p for p in f.mentioned_ids if p != hx(f.actor)]
    return _to_people("mentioned", mentioned, (kind, f.originator_id), context, d)


def _task_reassigned(f: Any, d: Directory) -> list[Draft]:
    task = d.task(f.originator_id)
    context = {**_common(f, d, f.org_id), "title": task.get("title", ""), "requirements": task.get("requirements", ""),
               "reason": f.reason, "handover": f.handover, "deadline": task.get("deadline", f.on)}
    target = ("task", f.originator_id)
    return _to_people("task_reassigned", [f.owner_id], target, {**context, "handed_over": False}, d) + \
        _to_people("task_reassigned", [f.previous_owner_id], target, {**context, "handed_over": True}, d)


def _monthly_bulletin(f: Any, d: Directory) -> list[Draft]:
    lines = list(f.lines)
    context = {**_common(f, d, None), "month": f.month, "summary": f.summary, "lines": lines}
    target = ("bulletin", f.originator_id)
    drafts = []
    for person_id, org_id in d.branch_secretaries():
        own = next((line for line in lines if line.get("org_id") == org_id), None)
        drafts += _to_people("monthly_bulletin", [person_id], target,
                             {**context, "org": d.org_name(org_id), "own": own}, d)
    for org_id in dict.fromkeys(line.get("org_id") for line in lines if line.get("org_id")):
        own = next(line for line in lines if line.get("org_id") == org_id)
        drafts += _to_org("monthly_bulletin", org_id, target, {**context, "org": d.org_name(org_id), "own": own}, d)
    return drafts


_MAKERS: dict[str, Callable[[Any, Directory], list[Draft]]] = {
    "TaskIssued": _task_issued,
    "ReminderRecorded": _reminder,
    "TaskReturned": _task_returned,
    "InterviewScheduled": _interview_scheduled,
    "RectificationOpened": _rectification("rectification_opened", lambda f, d: {"raised_by": d.name(f.raised_by)}),
    "RectificationReturned": _rectification("rectification_returned", lambda f, d: {"reason": f.reason}),
    "RectificationVerified": _rectification("rectification_verified", lambda f, d: {"opinion": f.opinion}),
    "RectificationClosed": _rectification("rectification_closed", lambda f, d: {}),
    "MonthlyBulletinIssued": _monthly_bulletin,
    "TaskUrged": _urged,
    "RectificationUrged": _urged,
    "TaskCommented": _commented,
    "RectificationCommented": _commented,
    "TaskReassigned": _task_reassigned,
}
EVENTS = frozenset(_MAKERS)
"""The event types that produce messages."""
