"""The who-did-what trail of a task or a chain, made readable: local time, the person and their
roles, the event in the reader's words, and the few details a reader needs (a note, a reason,
the evidence with links to stored files)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.recording import describe_origin
from dutyloop.moments import local_minutes
from dutyloop.web.i18n import Words
from projections.sentences import actor_text

SHOWN = ("title", "description", "requirement", "plan", "handover", "note", "reason", "opinion", "comment", "text",
         "mentioned", "minutes", "summary", "requested", "deadline", "held_on", "planned_on")
DETAIL_LABELS = {
    "title": ("任务", "Task"), "description": ("问题", "Finding"), "requirement": ("要求", "Requirement"),
    "plan": ("方案", "Plan"), "note": ("说明", "Note"), "reason": ("理由", "Reason"), "opinion": ("意见", "Opinion"),
    "comment": ("意见", "Comment"), "minutes": ("纪要", "Minutes"), "summary": ("摘要", "Summary"),
    "requested": ("申请延至", "Asked until"), "deadline": ("时限", "Deadline"), "held_on": ("召开日期", "Held on"),
    "planned_on": ("计划日期", "Planned for"), "handover": ("转办", "Handed over"), "text": ("留言", "Comment"),
    "mentioned": ("提到", "Mentioned"),
}
ENTITY_PATHS = {"Task": "/tasks/", "Rectification": "/chains/", "Finding": "/chains/", "Interview": "/chains/"}


@dataclass
class Entry:
    when: str
    business_date: str
    actor: str
    roles: list[str]
    what: str
    event_type: str
    link: str | None
    details: list[tuple[str, str]] = field(default_factory=list)
    evidence: list[dict[str, str]] = field(default_factory=list)
    via: str = ""
    """Where the command came from (the command line: its OS user and host), for auditors."""

    @property
    def back_entry(self) -> bool:
        """补录: recorded after the business day it states."""
        return bool(self.business_date) and self.business_date < self.when[:10]


def entries(rows: list[dict[str, Any]], words: Words, timezone: str, link_entities: bool = False) -> list[Entry]:
    result = []
    for row in rows:
        details = row["details"]
        shown = [
            (words(*DETAIL_LABELS[key]), str(details[key]))
            for key in SHOWN
            if details.get(key) not in (None, "", [])
        ]
        if row.get("sentence") and row["event_type"] == "ReminderRecorded":
            shown = [(words("详情", "Details"), row["sentence"])]
        path = ENTITY_PATHS.get(row["entity_kind"])
        result.append(Entry(
            when=local_minutes(row["recorded_at"], timezone),
            business_date=row["business_date"],
            actor=actor_text({**row, "actor_roles": []}, words.locale),
            roles=[words.label(r) for r in row["actor_roles"]],
            what=words.event(row["event_type"]),
            event_type=row["event_type"],
            link=f"{path}{row['entity_id']}" if link_entities and path else None,
            details=shown,
            evidence=[_with_download(e, row) for e in details.get("evidence", []) if isinstance(e, dict)],
            via=describe_origin(row.get("via", ""), words.locale),
        ))
    return result


def _with_download(item: dict[str, str], row: dict[str, Any]) -> dict[str, str]:
    """A stored file is downloaded through the task or rectification whose report carries it, so
    only those who may see that may fetch it."""
    if item.get("kind") != "file" or not str(item.get("value", "")).startswith("evidence/"):
        return item
    return {**item, "href": f"/files/{row['entity_kind'].lower()}/{row['entity_id']}/{item['value']}"}
