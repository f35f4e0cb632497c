"""``dutyloop remind`` and ``dutyloop reminders`` as an administrator runs them."""

from __future__ import annotations

import json
from datetime import date

import pytest
from scheduler_support import Cli, build_org, issue, reminder_rows
from sqlalchemy import select

from domain.clock import ManualClock
from domain.errors import DomainError
from dutyloop.wiring import System
from projections.tables import trail


def test_remind_records_once_and_reminders_lists_them(system: System, clock: ManualClock, cli: Cli) -> None:
    org = build_org(system.app)
    clock.set_day(date(2025, 5, 6))
    (task,) = issue(system.app, clock, org, date(2025, 5, 20))

    result = cli("--as", "A001", "remind", "--today", "2025-05-20")
    assert result.exit_code == 0, result.output
    assert "今日到期" in result.output and "完成支部标准化建设自查" in result.output and "陈干事" in result.output
    assert "共记录 1 条提醒" in result.output

    again = cli("--as", "A001", "--locale", "en", "--json", "remind", "--today", "2025-05-20")
    assert json.loads(again.output)["reminders"] == []

    listed = json.loads(cli("--json", "reminders", "--person", "W001").output)
    assert [(r["level"], r["target_id"], r["deadline"]) for r in listed] == [("due_today", str(task), "2025-05-20")]
    table = cli("--locale", "en", "reminders", "--target", task.hex[:8], "--level", "今日到期")
    assert "due today" in table.output and "2025-05-20" in table.output


def test_remind_is_refused_to_anyone_but_an_administrator(system: System, clock: ManualClock, cli: Cli) -> None:
    org = build_org(system.app)
    clock.set_day(date(2025, 5, 6))
    issue(system.app, clock, org, date(2025, 5, 7))
    refused = cli("--as", "W001", "remind", "--today", "2025-05-08")
    assert refused.exit_code == 2
    assert "陈干事" in refused.output and "仅系统管理员可以操作" in refused.output
    english = cli("--as", "W001", "--locale", "en", "remind")
    assert english.exit_code == 2 and "administrator" in english.output.lower()
    assert json.loads(cli("--json", "reminders").output) == []


def test_serve_scheduler_refuses_a_heartbeat_longer_than_the_lease(system: System, cli: Cli) -> None:
    refused = cli("serve-scheduler", "--heartbeat", "5", "--lease-seconds", "2")
    assert refused.exit_code == 2 and "须短于 --lease-seconds" in refused.output


def test_remind_on_an_earlier_day_back_enters_that_days_reminders(system: System, clock: ManualClock, cli: Cli) -> None:
    """补录: reminders given by phone on 8 May are entered on the 12th with ``--on``: judged as of
    the 8th, dated the 8th, recorded now by the administrator; work issued later is not in them."""
    org = build_org(system.app)
    clock.set_day(date(2025, 5, 6))
    (early,) = issue(system.app, clock, org, date(2025, 5, 8), titles=("整理支部档案",))
    clock.set_day(date(2025, 5, 12))
    (later,) = issue(system.app, clock, org, date(2025, 5, 12), titles=("报送学习记录",))

    entered = cli("--as", "A001", "--json", "remind", "--on", "2025-05-08")
    assert entered.exit_code == 0, entered.output
    shown = json.loads(entered.output)
    assert shown["today"] == "2025-05-08"
    assert [(r["level"], r["target_id"], r["recorded_on"]) for r in shown["reminders"]] == [("due_today", str(early), "2025-05-08")]
    assert reminder_rows(system, later) == []
    with system.engine.connect() as conn:
        [row] = conn.execute(select(trail.c.business_date, trail.c.recorded_at, trail.c.actor)
                             .where(trail.c.event_type == "ReminderRecorded")).all()
    assert str(row.business_date) == "2025-05-08" and str(row.recorded_at).startswith("2025-05-12")
    assert row.actor == org.admin.hex, "the administrator who entered it, not the scheduler"

    future = cli("--as", "A001", "remind", "--on", "2025-05-13")
    assert future.exit_code == 2 and "晚于今天 2025-05-12" in future.output
    both = cli("--as", "A001", "remind", "--on", "2025-05-08", "--today", "2025-05-09")
    assert both.exit_code == 2 and "--on" in both.output


def test_a_back_entered_reminder_is_not_dated_before_what_it_is_about(system: System, clock: ManualClock) -> None:
    org = build_org(system.app)
    clock.set_day(date(2025, 5, 12))
    (task,) = issue(system.app, clock, org, date(2025, 5, 14))
    with pytest.raises(DomainError) as refused:
        system.app.record_reminder(org.admin, "task", task, "due_soon", date(2025, 5, 14), org.worker, org.branch,
                                   on=date(2025, 5, 9))
    assert refused.value.message() == "补录日期 2025-05-09 早于该任务的开始日期 2025-05-12"
    recorded = system.app.record_reminder(org.admin, "task", task, "due_soon", date(2025, 5, 14), org.worker, org.branch,
                                          on=date(2025, 5, 12))
    assert recorded is not None
