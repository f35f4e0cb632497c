"""``dutyloop remind`` and ``dutyloop reminders`` as an administrator runs them."""

from __future__ import annotations

import json
from datetime import date

from scheduler_support import Cli, build_org, issue

from domain.clock import ManualClock
from dutyloop.wiring import System


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
