"""A task's life under a clock moved one day at a time, with the deadline check run every day
(twice): exactly one reminder per level and per escalation step, to the right person, on the
right day, shown in the trail; none once the work is done."""

from __future__ import annotations

from datetime import date, timedelta

from scheduler_support import build_org, finish, issue, reminder_rows

from domain.clock import ManualClock
from dutyloop.wiring import System
from projections import chain_queries
from scheduler.deadlines import check_deadlines

DEADLINE = date(2025, 5, 20)


def test_one_reminder_per_level_and_step_then_none_once_done(system: System, clock: ManualClock) -> None:
    app = system.app
    org = build_org(app)
    clock.set_day(date(2025, 5, 6))
    (task,) = issue(app, clock, org, DEADLINE)
    calendar = app.calendar()

    day = date(2025, 5, 6)
    recorded_on: dict[date, int] = {}
    while day <= date(2025, 6, 20):
        clock.set_day(day)
        first = check_deadlines(app, system.views, day)
        again = check_deadlines(app, system.views, day)
        assert again == [], f"a second check on {day} recorded {again}"
        if first:
            recorded_on[day] = len(first)
        day += timedelta(days=1)

    rows = reminder_rows(system, task)
    w, s, lead, disc = org.worker.hex, org.secretary.hex, org.leader.hex, org.discipline.hex
    deadline = DEADLINE.isoformat()
    serious = calendar.add_working_days(DEADLINE, 5)
    step1 = calendar.add_working_days(DEADLINE, 5 + 2)
    step2 = calendar.add_working_days(DEADLINE, 5 + 2 + 3)
    step3 = calendar.add_working_days(DEADLINE, 5 + 2 + 3 + 5)
    assert rows == [
        ("2025-05-15", "due_soon", 0, w, deadline),
        ("2025-05-20", "due_today", 0, w, deadline),
        ("2025-05-21", "overdue", 0, w, deadline),
        (serious.isoformat(), "seriously_overdue", 0, w, deadline),
        (step1.isoformat(), "escalated", 1, s, deadline),
        (step2.isoformat(), "escalated", 2, lead, deadline),
        (step3.isoformat(), "escalated", 3, disc, deadline),
    ]
    assert sum(recorded_on.values()) == 7

    finish(app, org, task)
    clock.set_day(date(2025, 6, 23))
    assert check_deadlines(app, system.views, date(2025, 6, 23)) == []

    system.catch_up()
    with system.engine.connect() as conn:
        trail = [r for r in chain_queries.trail_rows(conn, actor_id="system:scheduler") if r["event_type"] == "ReminderRecorded"]
    assert len(trail) == 7
    assert {r["business_date"] for r in trail} == {row[0] for row in rows}
