"""The meeting cadence check: a reminder that a quarterly or bimonthly 例会 is due and has not
been held in its period.

Which organisations are expected to meet: the company committee, for every cadenced kind; any
other organisation, for the kinds it has planned at least once. The reminder is due from
``MEETING_NOTICE_WORKING_DAYS`` working days before the period's last working day (its
deadline) until the period ends, goes to the organisation's 党建部 staff (who organise the
meetings) or, if it has none, to its secretary, and is recorded once per period. A period that
ended while the scheduler was off is not reminded afterwards: the meeting can no longer be held
in it, and the monthly bulletin shows what was missed.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import Connection, select

from domain.application import DutyLoop
from domain.cadence import (
    MEETING_CADENCE_MONTHS,
    MEETING_NOTICE_WORKING_DAYS,
    period,
    slot_id,
)
from domain.vocabulary import MeetingKind, OrgKind, ReminderLevel
from projections import deadline_queries
from projections.runner import ProjectionRunner
from projections.tables import meetings, organisations
from scheduler.ladder import MEETING_ORGANISER_ROLES, SECRETARY_ROLES, Directory
from scheduler.reminders import SCHEDULED, Due, Entry, record, recorded_keys
from scheduler.workdays import last_working_day, working_days_before


def check_meetings(app: DutyLoop, views: ProjectionRunner, today: date, entry: Entry = SCHEDULED) -> list[UUID]:
    """Record the meeting-due reminders of ``today`` not recorded before; returns their ids."""
    views.catch_up()
    with views.engine.connect() as conn:
        due = meeting_reminders(conn, today)
        known = recorded_keys(conn, (d.target_id for d in due))
    return record(app, due, known, entry)


def expected_meetings(conn: Connection) -> set[tuple[str, MeetingKind]]:
    active = {r.org_id: r.kind for r in conn.execute(
        select(organisations.c.org_id, organisations.c.kind).where(organisations.c.dissolved_on.is_(None)))}
    expected = {(org, kind) for org, org_kind in active.items() if org_kind == OrgKind.COMMITTEE for kind in MEETING_CADENCE_MONTHS}
    cadenced = [kind.value for kind in MEETING_CADENCE_MONTHS]
    for row in conn.execute(select(meetings.c.org_id, meetings.c.kind).where(meetings.c.kind.in_(cadenced)).distinct()):
        if row.org_id in active:
            expected.add((row.org_id, MeetingKind(row.kind)))
    return expected


def meeting_reminders(conn: Connection, today: date) -> list[Due]:
    calendar = deadline_queries.calendar_known(conn)
    directory = Directory.read(conn)
    due: list[Due] = []
    for org_id, kind in sorted(expected_meetings(conn)):
        start, end = period(kind, today)
        deadline = last_working_day(calendar, end)
        if today < working_days_before(calendar, deadline, MEETING_NOTICE_WORKING_DAYS):
            continue
        held = conn.execute(
            select(meetings.c.meeting_id).where(
                meetings.c.org_id == org_id, meetings.c.kind == kind.value,
                meetings.c.held_on >= start.isoformat(), meetings.c.held_on <= end.isoformat(),
            ).limit(1)
        ).first()
        if held is not None:
            continue
        recipients = directory.holding(org_id, MEETING_ORGANISER_ROLES) or directory.holding(org_id, SECRETARY_ROLES)
        target = slot_id(UUID(org_id), kind).hex
        due.extend(
            Due(deadline=deadline, target_kind="meeting", target_id=target, level=ReminderLevel.MEETING_DUE.value,
                step=0, recipient_id=person, org_id=org_id)
            for person in recipients
        )
    return due
