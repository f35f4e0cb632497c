"""A robot that keeps failing: every attempt recorded with its error, the waits doubling, the
delivery given up after the allowed attempts and shown by ``dutyloop deliveries --failed``, and
queued again by an administrator once the robot is back; a robot that recovers gets the message
exactly once."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from click.testing import Result
from notify_support import RobotServer, build_org, issue_task
from sqlalchemy import select

from domain.clock import ManualClock
from dutyloop.wiring import System
from notifications.config import NotifyConfig, RetryPolicy
from notifications.deliveries import attempt_list
from notifications.routing import set_route
from notifications.service import Notifier
from notifications.tables import deliveries


class Time:
    """The dispatcher's wall clock, moved by the test (the backoff is checked to the second)."""

    def __init__(self) -> None:
        self.at = datetime(2025, 5, 6, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


POLICY = RetryPolicy(max_attempts=4, backoff=timedelta(seconds=10))


def _robot_delivery(system: System) -> dict:  # type: ignore[type-arg]
    with system.engine.connect() as conn:
        return dict(conn.execute(select(deliveries).where(deliveries.c.channel == "wecom")).mappings().one())


def test_backoff_doubles_then_gives_up_and_the_admin_sees_it(
    system: System, clock: ManualClock, robot: RobotServer, cli_for: Callable[[System], Callable[..., Result]]
) -> None:
    robot.fail = 1000
    now = Time()
    notifier = Notifier(system, NotifyConfig(retry=POLICY), now=now)
    org = build_org(system.app)
    system.catch_up()
    set_route(system.engine, "org", org.branch.hex, "wecom", robot.url("/wecom/b"), "", org.admin.hex, now())
    clock.set_day(date(2025, 5, 6))
    issue_task(system.app, clock, org, date(2025, 5, 20))

    notifier.run_once()
    tried_at = [now()]
    assert len(robot.hits) == 1
    for wait in (10, 20, 40):
        now.advance(wait - 0.5)
        notifier.run_once()
        assert len(robot.hits) == len(tried_at), f"tried before its time ({wait} s wait)"
        now.advance(0.5)
        result = notifier.run_once()
        tried_at.append(now())
        assert len(robot.hits) == len(tried_at)
    assert (result.tally.given_up, result.tally.failed) == (1, 0)
    assert [b - a for a, b in pairwise(tried_at)] == [timedelta(seconds=s) for s in (10, 20, 40)]

    row = _robot_delivery(system)
    assert row["status"] == "given_up" and row["attempts"] == 4 and "HTTP 500" in row["last_error"]
    now.advance(3600)
    notifier.run_once()
    assert len(robot.hits) == 4
    with system.engine.connect() as conn:
        history = attempt_list(conn, row["delivery_id"])
    assert [(a["attempt"], a["outcome"]) for a in history] == [(1, "failed"), (2, "failed"), (3, "failed"), (4, "failed")]
    assert all("robot busy" in a["error"] for a in history)

    cli = cli_for(system)
    shown = cli("--json", "deliveries", "--failed")
    assert shown.exit_code == 0, shown.output
    (failed,) = json.loads(shown.output)
    assert (failed["channel"], failed["status"], failed["attempts"]) == ("wecom", "given_up", 4)
    assert failed["subject"].startswith("【任务下达】")
    table = cli("deliveries", "--failed")
    assert "given_up" in table.output and "HTTP 500" in table.output

    refused = cli("--as", "W001", "deliveries", "--retry", row["delivery_id"][:8])
    assert refused.exit_code == 2 and "仅系统管理员可以操作" in refused.output
    requeued = cli("--as", "A001", "deliveries", "--retry", row["delivery_id"][:8])
    assert requeued.exit_code == 0, requeued.output
    assert cli("--as", "A001", "deliveries", "--retry", row["delivery_id"][:8]).exit_code == 2  # not given up now
    robot.fail = 0
    now.at = datetime.now(UTC) + timedelta(seconds=1)
    assert notifier.run_once().tally.sent == 1
    row = _robot_delivery(system)
    assert (row["status"], row["attempts"]) == ("sent", 5)
    with system.engine.connect() as conn:
        assert [a["outcome"] for a in attempt_list(conn, row["delivery_id"])] == ["failed"] * 4 + ["sent"]


def test_a_robot_that_recovers_gets_the_message_once(system: System, clock: ManualClock, robot: RobotServer) -> None:
    robot.fail = 2
    now = Time()
    notifier = Notifier(system, NotifyConfig(retry=POLICY), now=now)
    org = build_org(system.app)
    system.catch_up()
    set_route(system.engine, "org", org.branch.hex, "wecom", robot.url("/wecom/b"), "", org.admin.hex, now())
    clock.set_day(date(2025, 5, 6))
    issue_task(system.app, clock, org, date(2025, 5, 20))
    outcomes = []
    for wait in (0, 10, 20, 40, 80):
        now.advance(wait)
        outcomes.append(notifier.run_once().tally)
    assert [(t.sent, t.failed) for t in outcomes] == [(0, 1), (0, 1), (1, 0), (0, 0), (0, 0)]
    row = _robot_delivery(system)
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 3, None)
    assert len(robot.hits) == 3 and len({h.headers["Idempotency-Key"] for h in robot.hits}) == 1
