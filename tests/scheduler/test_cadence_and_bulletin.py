"""Meeting cadence (quarterly and bimonthly 例会) and the monthly bulletin (一月一通报)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from scheduler_support import build_org, finish, hold_meeting, issue
from sqlalchemy import select

from domain import ids
from domain.cadence import slot_id, slot_kind
from domain.clock import ManualClock
from domain.vocabulary import MeetingKind
from dutyloop.wiring import System
from projections.tables import reminders
from scheduler.bulletin import check_bulletin, compose_bulletin
from scheduler.meetings import check_meetings


def meeting_reminders(system: System) -> list[tuple[str, str, str]]:
    system.catch_up()
    with system.engine.connect() as conn:
        rows = conn.execute(select(reminders.c.target_id, reminders.c.org_id, reminders.c.deadline, reminders.c.recipient_id)
                            .where(reminders.c.target_kind == "meeting"))
        return sorted((slot_kind(UUID(r.target_id), UUID(r.org_id)).value, r.deadline, r.recipient_id) for r in rows)  # type: ignore[union-attr]


def test_quarterly_and_bimonthly_meetings_not_held_are_reminded_once_per_period(system: System, clock: ManualClock) -> None:
    app = system.app
    org = build_org(app)
    clock.set_day(date(2025, 6, 3))
    hold_meeting(app, org, MeetingKind.WORK_GROUP, date(2025, 4, 15))  # Q2 work-group meeting held
    # June 30 2025 is the last working day of Q2 and of May–June; the notice opens 10 working days before.
    assert check_meetings(app, system.views, date(2025, 6, 13)) == []
    day = date(2025, 6, 16)
    clock.set_day(day)
    assert len(check_meetings(app, system.views, day)) == 2
    assert check_meetings(app, system.views, day) == []
    assert check_meetings(app, system.views, date(2025, 6, 27)) == []
    assert meeting_reminders(system) == sorted([
        ("party_workers", "2025-06-30", org.dept.hex),
        ("secretaries", "2025-06-30", org.dept.hex),
    ])
    clock.set_day(date(2025, 8, 20))
    hold_meeting(app, org, MeetingKind.PARTY_WORKERS, date(2025, 8, 20), "党务工作者例会")
    # Q3 ends 30 September; July–August ends 29 August (the 31st is a Sunday, the 30th a Saturday).
    day = date(2025, 9, 17)
    clock.set_day(day)
    assert len(check_meetings(app, system.views, day)) == 2  # both quarterly kinds; July–August's was held
    assert meeting_reminders(system) == sorted([
        ("party_workers", "2025-06-30", org.dept.hex), ("secretaries", "2025-06-30", org.dept.hex),
        ("secretaries", "2025-09-30", org.dept.hex), ("work_group", "2025-09-30", org.dept.hex),
    ])
    assert slot_kind(slot_id(org.committee, MeetingKind.WORK_GROUP), org.committee) == MeetingKind.WORK_GROUP


def test_bulletin_issued_once_on_the_first_working_day_of_the_month(system: System, clock: ManualClock) -> None:
    app = system.app
    org = build_org(app)
    clock.set_day(date(2025, 9, 1))
    done, _overdue = issue(app, clock, org, date(2025, 9, 12), titles=("按时完成的任务", "逾期的任务"))
    clock.set_day(date(2025, 9, 10))
    finish(app, org, done)
    # 1–8 October 2025 are the National Day holidays: the first working day is the 9th.
    day = date(2025, 10, 1)
    while day < date(2025, 10, 9):
        clock.set_day(day)
        assert check_bulletin(app, system.views, day) is None, day
        day += timedelta(days=1)
    clock.set_day(day)
    issued = check_bulletin(app, system.views, day)
    assert issued == ids.bulletin_id("2025-09")
    for later in (date(2025, 10, 9), date(2025, 10, 10), date(2025, 10, 31)):
        clock.set_day(later)
        assert check_bulletin(app, system.views, later) is None
    bulletin = app.repository.get(issued)
    (line,) = bulletin.lines
    assert line["org_name"] == "变电运维室党支部"
    assert (line["tasks_done"], line["tasks_done_on_time"], line["tasks_overdue"]) == (1, 1, 1)
    assert "2025年9月" in bulletin.summary and "完成任务1项" in bulletin.summary


def test_bulletin_content_counts_per_branch(system: System, clock: ManualClock) -> None:
    app = system.app
    org = build_org(app)
    clock.set_day(date(2025, 3, 3))
    tasks = issue(app, clock, org, date(2025, 3, 7), titles=("一", "二", "三"))
    clock.set_day(date(2025, 3, 12))
    finish(app, org, tasks[0])  # late: reported after the 7th
    system.catch_up()
    with system.engine.connect() as conn:
        content = compose_bulletin(conn, "2025-03")
    (line,) = content.lines
    assert (line["tasks_done"], line["tasks_done_on_time"], line["tasks_done_late"], line["tasks_overdue"]) == (1, 0, 1, 2)


def test_no_bulletin_before_there_is_a_branch(system: System, clock: ManualClock) -> None:
    system.app.bootstrap("公司党委", "管理员", "A001")
    clock.set_day(date(2025, 6, 3))
    assert check_bulletin(system.app, system.views, date(2025, 6, 3)) is None
    assert ids.bulletin_id("2025-05") not in system.app.repository
