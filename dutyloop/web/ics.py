"""A person's calendar feed (iCalendar, RFC 5545): the deadlines of the tasks and rectifications
they are responsible for or follow, and the meetings of their organisations.

Deadlines and meetings are all-day events on their business day (Asia/Shanghai), since the record
knows days, not hours. Each event's UID is derived from the thing it shows (``task-<id>@…``), and
its SEQUENCE is that thing's version, so a calendar app that polls the feed updates an event when
a deadline is extended, and drops it when the task is accepted or cancelled, rather than adding
duplicates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from icalendar import Alarm, Calendar, Event
from sqlalchemy import Connection, or_, select

from dutyloop.web.i18n import Words
from projections import task_queries
from projections.tables import meetings, organisations, rectifications, role_assignments

UID_DOMAIN = "dutyloop"
TASK_STATES = ("issued", "signed", "in_progress", "returned", "reported_done")


def _day(value: str) -> date:
    return date.fromisoformat(value)


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _all_day(uid: str, day: date, summary: str, description: str, url: str, sequence: int, stamp: datetime,
             categories: str, modified: datetime | None = None) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("sequence", sequence)
    event.add("categories", [categories])
    event.add("transp", "TRANSPARENT")
    if modified is not None:
        event.add("last-modified", modified)
    return event


def _reminder(words: Words, summary: str) -> Alarm:
    """09:00 the day before (an all-day event starts at midnight, local time)."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", words("明天到期：", "Due tomorrow: ") + summary)
    alarm.add("trigger", timedelta(hours=-15))
    return alarm


def person_orgs(conn: Connection, person_hex: str, home_org: str) -> set[str]:
    roles = conn.execute(select(role_assignments.c.org_id).where(role_assignments.c.person_id == person_hex))
    return {home_org, *(r[0] for r in roles)}


def feed(conn: Connection, person: Any, base_url: str, words: Words, now: datetime) -> bytes:
    """The feed of one person (the domain's ``Person``), as iCalendar bytes."""
    person_hex = UUID(str(person.id)).hex
    cal = Calendar()
    cal.add("prodid", "-//DutyLoop//党建责任闭环//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", words(f"党建责任闭环 · {person.name}", f"DutyLoop · {person.name}"))
    cal.add("x-wr-timezone", "Asia/Shanghai")
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    base = base_url.rstrip("/")
    for task in task_queries.task_list(conn, owner_id=person_hex, status=TASK_STATES, limit=5000):
        mine = task["owner_id"] == person_hex
        summary = words(f"【任务到期】{task['title']}", f"[Task due] {task['title']}")
        description = "\n".join(filter(None, (
            words(f"责任组织：{task['org_name']}", f"Organisation: {task['org_name']}"),
            words(f"责任人：{task['owner_name']}", f"Responsible: {task['owner_name']}") + ("" if mine else words("（我关注）", " (followed)")),
            words(f"状态：{words.term(task['status'])}", f"Status: {words.term(task['status'])}"),
            words(f"原定时限：{task['original_deadline']}", f"Original deadline: {task['original_deadline']}")
            if task["original_deadline"] != task["deadline"] else "",
            task["requirements"],
        )))
        event = _all_day(f"task-{task['task_id']}", _day(task["deadline"]), summary, description,
                         f"{base}/tasks/{task['task_id']}", task["version"], now, words("任务", "Task"), _moment(task["updated_at"]))
        event.add_component(_reminder(words, task["title"]))
        cal.add_component(event)
    rect_rows = conn.execute(
        select(rectifications, organisations.c.name.label("org_name"))
        .join(organisations, organisations.c.org_id == rectifications.c.org_id)
        .where(rectifications.c.status != "closed",
               or_(rectifications.c.owner_id == person_hex, rectifications.c.checker_id == person_hex))
    ).mappings()
    for rect in rect_rows:
        mine = rect["owner_id"] == person_hex
        summary = words(f"【整改到期】{rect['requirement']}", f"[Rectification due] {rect['requirement']}")
        description = "\n".join((
            words(f"组织：{rect['org_name']}", f"Organisation: {rect['org_name']}"),
            words("我负责整改", "I am responsible") if mine else words("我提出的问题，待我验收", "Raised by me; I verify it"),
            words(f"状态：{words.term(rect['status'])}", f"Status: {words.term(rect['status'])}"),
        ))
        event = _all_day(f"rectification-{rect['rectification_id']}", _day(rect["deadline"]), summary, description,
                         f"{base}/chains/{rect['rectification_id']}", rect["version"], now, words("整改", "Rectification"))
        if mine:
            event.add_component(_reminder(words, rect["requirement"]))
        cal.add_component(event)
    orgs = person_orgs(conn, person_hex, UUID(str(person.org_id)).hex)
    meeting_rows = conn.execute(
        select(meetings, organisations.c.name.label("org_name"))
        .join(organisations, organisations.c.org_id == meetings.c.org_id)
        .where(meetings.c.org_id.in_(sorted(orgs)))
    ).mappings()
    for meeting in meeting_rows:
        held = meeting["held_on"]
        day = _day(held or meeting["planned_on"])
        summary = words(f"【会议】{meeting['title']}", f"[Meeting] {meeting['title']}")
        description = "\n".join((
            words(f"组织：{meeting['org_name']}", f"Organisation: {meeting['org_name']}"),
            words(f"类型：{words.label(meeting['kind'])}", f"Kind: {words.label(meeting['kind'])}"),
            words(f"已召开（{held}）", f"Held on {held}") if held else words(f"计划于 {meeting['planned_on']}", f"Planned for {meeting['planned_on']}"),
        ))
        cal.add_component(_all_day(f"meeting-{meeting['meeting_id']}", day, summary, description,
                                   f"{base}/meetings/{meeting['meeting_id']}", 1 if held is None else 2, now, words("会议", "Meeting")))
    return cal.to_ical()
