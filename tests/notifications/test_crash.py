"""The notifier killed in each gap of claim → send → record, in a real process stopped by
``os._exit`` (no cleanup, as SIGKILL or a power cut), then restarted:

- killed after the claim, before the send (DingTalk): nothing went out; after the lease the row
  is claimed again and sent — exactly one message arrives;
- killed after the send, before the record (email, WeCom): the server has the message but our
  record does not; after the lease it is sent again — the one gap no outside channel can close —
  and both copies carry the same key (SMTP ``Message-ID``, webhook ``Idempotency-Key``), so the
  receiver recognises the second as a resend;
- the inbox is written with the outbox decision in one transaction: exactly one, whatever dies.
Nothing is lost: every delivery ends ``sent``; each attempt is on the record."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

from notify_support import MailServer, RobotServer, build_org, issue_task
from sqlalchemy import select

from domain.clock import ManualClock
from dutyloop.wiring import System
from notifications import inbox
from notifications.config import NotifyConfig
from notifications.deliveries import attempt_list
from notifications.routing import set_route
from notifications.service import Notifier
from notifications.tables import deliveries

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("notifier_process.py")
LEASE = 60.0


def _run(system: System, mail: MailServer, *args: str) -> subprocess.CompletedProcess[str]:
    settings = system.settings
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYLOOP_")}
    env.update(mail.env(), PYTHONPATH=str(ROOT), DUTYLOOP_NOTIFY_LEASE_SECONDS=str(LEASE))
    if settings.is_postgres:
        env.update(DUTYLOOP_DATABASE_URL=str(settings.database_url), DUTYLOOP_POSTGRES_SCHEMA=settings.postgres_schema)
    else:
        env.update(DUTYLOOP_DATA_DIR=str(settings.data_dir))
    return subprocess.run([sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60,
                          check=False)


def test_killed_between_claim_send_and_record_nothing_lost_no_unrecognisable_duplicate(
    system: System, clock: ManualClock, mail: MailServer, robot: RobotServer
) -> None:
    app = system.app
    Notifier(system, NotifyConfig())  # switched on before the work below is recorded
    org = build_org(app)
    system.catch_up()
    at = datetime(2025, 5, 6, 1, 0)
    set_route(system.engine, "org", org.branch.hex, "wecom", robot.url("/wecom/b"), "", org.admin.hex, at)
    set_route(system.engine, "person", org.worker.hex, "dingtalk", robot.url("/dingtalk/w"), "", org.admin.hex, at)
    clock.set_day(date(2025, 5, 6))
    issue_task(app, clock, org, date(2025, 5, 20))

    died = _run(system, mail, "--channels", "dingtalk", "--crash-before-send", "dingtalk")
    assert died.returncode == 9, died.stderr
    assert robot.hits == []
    died = _run(system, mail, "--channels", "email", "--crash-after-send", "email")
    assert died.returncode == 9, died.stderr
    assert len(mail.received) == 1
    died = _run(system, mail, "--channels", "wecom", "--crash-after-send", "wecom")
    assert died.returncode == 9, died.stderr
    assert len(robot.at("/wecom/b")) == 1

    with system.engine.connect() as conn:
        states = dict(conn.execute(select(deliveries.c.channel, deliveries.c.status)).all())
        assert inbox.unread_count(conn, org.worker.hex) == 1
    assert states == {"inbox": "sent", "email": "sending", "wecom": "sending", "dingtalk": "sending"}

    live = _run(system, mail)
    assert live.returncode == 0, live.stderr
    assert json.loads(live.stdout)["sent"] == 0, "a live lease was taken over"

    restarted = _run(system, mail, "--later", str(LEASE + 1))
    assert restarted.returncode == 0, restarted.stderr
    assert json.loads(restarted.stdout)["sent"] == 3
    assert Notifier(system, NotifyConfig.from_env(mail.env())).run_once().tally.sent == 0

    assert len(robot.at("/dingtalk/w")) == 1
    first, second = (m for _, _, m in mail.received)
    assert first["Message-ID"] == second["Message-ID"] and first["Subject"] == second["Subject"]
    assert first.get_content() == second.get_content()
    wecom = robot.at("/wecom/b")
    assert len(wecom) == 2 and wecom[0].headers["Idempotency-Key"] == wecom[1].headers["Idempotency-Key"]
    assert wecom[0].payload == wecom[1].payload
    assert {first["Message-ID"], f"<{wecom[0].headers['Idempotency-Key']}@dutyloop.notify>"} <= {
        f"<{key}@dutyloop.notify>" for key in _ids(system)}

    with system.engine.connect() as conn:
        rows = conn.execute(select(deliveries.c.delivery_id, deliveries.c.channel, deliveries.c.status,
                                   deliveries.c.attempts)).all()
        assert {(r.channel, r.status, r.attempts) for r in rows} == {
            ("inbox", "sent", 1), ("email", "sent", 2), ("wecom", "sent", 2), ("dingtalk", "sent", 2)}
        for row in rows:
            if row.channel != "inbox":
                history = attempt_list(conn, row.delivery_id)
                assert [(a["attempt"], a["outcome"]) for a in history] == [(1, "interrupted"), (2, "sent")]
        assert len(inbox.inbox(conn, org.worker.hex)) == 1


def _ids(system: System) -> set[str]:
    with system.engine.connect() as conn:
        return {r[0] for r in conn.execute(select(deliveries.c.delivery_id))}
