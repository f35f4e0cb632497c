"""Deadlines in working days against the real calendar, a missing year, loads and corrections.

Everything runs on a real SQLite file: the event store, the views, and as-of replays of them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from calendar_support import Org
from domain.commands.task_lists import TaskSpec
from domain.calendar import WorkingCalendar
from domain.errors import CalendarYearMissing, NotPermitted
from domain.task import Deadline
from domain.vocabulary import InspectionKind
from dutyloop.calendar_files import read_schedule
from projections import deadline_queries, task_queries

SHANGHAI = ZoneInfo("Asia/Shanghai")


def issued_event(org: Org, task_id: UUID) -> Any:
    """The TaskIssued event as stored: the deadline lives in the record, not in a computation."""
    [first, *_] = org.system.app.repository.event_store.get(task_id)
    assert type(first).__qualname__.endswith("TaskIssued")
    return first


def view_deadline(org: Org, task_id: UUID) -> str:
    org.system.catch_up()
    with org.system.engine.connect() as conn:
        return str(task_queries.task_detail(conn, task_id.hex)["deadline"])


def count_with_package(start: date, days: int) -> date:
    """The same count done independently with chinese_calendar's own is_workday."""
    day = start
    while days:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            days -= 1
    return day


# -- the built-in calendar ------------------------------------------------------------------------


def test_qingming_2025_ten_working_days(org: Org) -> None:
    # Fri 28 Mar + 10 working days: 31 Mar–3 Apr (4), Qingming 4–6 Apr off, 7–11 Apr (9), Mon 14 Apr.
    task = org.issue(date(2025, 3, 28), 10)
    assert org.deadline(task) == date(2025, 4, 14)
    assert issued_event(org, task).deadline == date(2025, 4, 14)
    assert issued_event(org, task).deadline_rule == "10 working days"
    assert view_deadline(org, task) == "2025-04-14"


def test_tiaoxiu_sunday_counts_as_a_working_day(org: Org) -> None:
    # Thu 24 Apr + 5: Fri 25 (1), Sun 27 Apr is a 调休 working day (2), 28 (3), 29 (4), Wed 30 Apr (5).
    task = org.issue(date(2025, 4, 24), 5)
    assert org.deadline(task) == date(2025, 4, 30)
    assert view_deadline(org, task) == "2025-04-30"


def test_national_day_2026_from_the_official_schedule(org: Org) -> None:
    # Official 2026 schedule (chinese_calendar 1.11.0): 1–7 Oct off, Sat 10 Oct is a working day.
    # Mon 28 Sep + 5: Tue 29 (1), Wed 30 (2), [1–7 Oct off], Thu 8 (3), Fri 9 (4), Sat 10 Oct (5).
    assert chinese_calendar.is_workday(date(2026, 10, 10)) and chinese_calendar.is_holiday(date(2026, 10, 7))
    expected = date(2026, 10, 10)
    assert count_with_package(date(2026, 9, 28), 5) == expected
    task = org.issue(date(2026, 9, 28), 5)
    assert org.deadline(task) == expected
    assert view_deadline(org, task) == "2026-10-10"


# -- a year nobody has loaded ---------------------------------------------------------------------


def test_deadline_needing_a_missing_year_is_refused_and_nothing_is_recorded(org: Org) -> None:
    before = org.head()
    with pytest.raises(CalendarYearMissing) as refused:
        org.issue(date(2026, 12, 10), 20)
    assert refused.value.year == 2027
    assert "2027" in refused.value.message() and "dutyloop calendar load 2027" in refused.value.message()
    assert "2027" in refused.value.message("en")
    assert org.head() == before
    org.system.catch_up()
    with org.system.engine.connect() as conn:
        assert task_queries.task_list(conn, org_id=org.branch.hex) == []


def test_only_an_admin_loads_a_schedule(org: Org, schedule_file: Path) -> None:
    before = org.head()
    with pytest.raises(NotPermitted) as refused:
        org.system.app.load_holiday_schedule(org.secretary, read_schedule(schedule_file, 2027), "测试")
    assert "管理员" in refused.value.message()
    assert org.head() == before
    assert not org.system.app.calendar().knows(2027)


# -- loading 2027, correcting it, and what each moment knew ---------------------------------------


def test_load_then_issue_then_correct(org: Org, schedule_file: Path, corrected_file: Path) -> None:
    app, clock = org.system.app, org.clock
    with pytest.raises(CalendarYearMissing):
        org.issue(date(2026, 12, 10), 20, hour=8)

    clock.set_day(date(2026, 12, 10), 9)
    app.load_holiday_schedule(org.admin, read_schedule(schedule_file, 2027), "测试用虚构安排 v1")
    first = org.issue(date(2026, 12, 10), 20, "第一项任务", hour=10)
    # 11 Dec (1), 14–18 (6), 21–25 (11), 28–31 (15); 1–4 Jan off; 5–8 Jan (19); Sat 9 Jan 调休 (20).
    assert org.deadline(first) == date(2027, 1, 9)

    first_rect = _open_rectification(org, "第一项整改", hour=10, minute=30)
    assert app.rectification(first_rect).deadline == date(2027, 1, 9)

    clock.set_day(date(2026, 12, 10), 11)
    app.load_holiday_schedule(org.admin, read_schedule(corrected_file, 2027), "测试用虚构安排 v2（更正）")
    second = org.issue(date(2026, 12, 10), 20, "第二项任务", hour=12)
    # The correction makes Tue 5 Jan a holiday: 6–8 Jan (18), Sat 9 Jan (19), Mon 11 Jan (20).
    assert org.deadline(second) == date(2027, 1, 11)

    # Issued deadlines never move: not in the aggregate, not in the stored event, not in the views.
    assert org.deadline(first) == date(2027, 1, 9)
    assert issued_event(org, first).deadline == date(2027, 1, 9)
    assert view_deadline(org, first) == "2027-01-09"
    assert view_deadline(org, second) == "2027-01-11"
    assert app.rectification(first_rect).deadline == date(2027, 1, 9)

    # Later loads do not move issued deadlines even after the views are rebuilt from the log.
    org.system.views.rebuild()
    assert view_deadline(org, first) == "2027-01-09"


def _open_rectification(org: Org, description: str, hour: int, minute: int = 0) -> UUID:
    app = org.system.app
    org.clock.set_day(date(2026, 12, 10), hour, minute)
    _, [finding] = app.conduct_inspection(org.dept, InspectionKind.RANDOM, org.branch, "随机检查", [description])
    return app.open_rectification(org.dept, finding, org.secretary, "限期整改", Deadline(working_days=20))


def test_views_use_the_calendar_known_at_each_moment(org: Org, schedule_file: Path, corrected_file: Path) -> None:
    app, clock, views = org.system.app, org.clock, org.system.views
    clock.set_day(date(2026, 12, 10), 9)
    app.load_holiday_schedule(org.admin, read_schedule(schedule_file, 2027), "v1")
    task = org.issue(date(2026, 12, 10), 20, hour=10)
    clock.set_day(date(2026, 12, 10), 11)
    app.load_holiday_schedule(org.admin, read_schedule(corrected_file, 2027), "v2")
    org.system.catch_up()

    before_any = views.as_of(datetime(2026, 12, 10, 8, 30, tzinfo=SHANGHAI))
    between = views.as_of(datetime(2026, 12, 10, 10, 30, tzinfo=SHANGHAI))
    with before_any.connect() as conn:
        assert not deadline_queries.calendar_known(conn).knows(2027)
    with between.connect() as conn:
        known = deadline_queries.calendar_known(conn)
        assert date(2027, 1, 4) in known.schedule(2027).holidays  # type: ignore[union-attr]
        assert known.is_working_day(date(2027, 1, 5))
        # On Mon 4 Jan, as known then: 5, 6, 7, 8 and Sat 9 Jan are left — 5 working days.
        [warned] = deadline_queries.warnings(conn, date(2027, 1, 4), deadline_queries.Thresholds(due_soon=5))
        assert warned["id"] == task.hex and warned["working_days_left"] == 5
    with org.system.engine.connect() as conn:
        known = deadline_queries.calendar_known(conn)
        assert not known.is_working_day(date(2027, 1, 5))
        # Live, the correction made 5 Jan a holiday: 4 working days left, same stored deadline.
        [warned] = deadline_queries.warnings(conn, date(2027, 1, 4), deadline_queries.Thresholds(due_soon=5))
        assert warned["working_days_left"] == 4 and warned["deadline"] == "2027-01-09"
        # And the default thresholds (3 days) do not warn yet on the 4th but do on the 6th.
        assert deadline_queries.warnings(conn, date(2027, 1, 4)) == []
        [soon] = deadline_queries.warnings(conn, date(2027, 1, 6))
        assert soon["level"] == "due_soon" and soon["working_days_left"] == 3


def test_the_application_and_the_views_agree_on_the_calendar(org: Org, schedule_file: Path) -> None:
    org.clock.set_day(date(2026, 12, 10), 9)
    org.system.app.load_holiday_schedule(org.admin, read_schedule(schedule_file, 2027), "v1")
    org.system.catch_up()
    with org.system.engine.connect() as conn:
        seen = deadline_queries.calendar_known(conn)
    live = org.system.app.calendar()
    assert seen.years == live.years
    assert seen.schedule(2027) is not None and live.schedule(2027) is not None
    assert seen.schedule(2027).holidays == live.schedule(2027).holidays  # type: ignore[union-attr]
    assert seen.add_working_days(date(2026, 12, 10), 20) == live.add_working_days(date(2026, 12, 10), 20)
    # A correction of a built-in year keeps the other built-in years as they were.
    assert live.add_working_days(date(2025, 3, 28), 10) == WorkingCalendar.builtin().add_working_days(date(2025, 3, 28), 10)


def test_a_task_list_is_all_or_nothing_when_one_deadline_needs_a_missing_year(org: Org) -> None:
    org.clock.set_day(date(2026, 12, 10), 10)
    before = org.head()
    with pytest.raises(CalendarYearMissing):
        org.system.app.issue_task_list(org.dept, org.meeting, [
            TaskSpec("年内完成", org.branch, org.secretary, Deadline(working_days=5)),
            TaskSpec("跨年完成", org.branch, org.secretary, Deadline(working_days=20)),
        ])
    assert org.head() == before
