"""What arrives where: a task list issued and a reminder recorded reach the inbox, the owner's
mailbox (a real SMTP server) and the IM robots (a real HTTP server) — once, in Chinese, with the
formats and signatures the robots expect — on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

from notify_support import MailServer, RobotServer, build_org, issue_task
from sqlalchemy import select

from domain.clock import ManualClock
from dutyloop.wiring import System
from notifications import inbox
from notifications.config import NotifyConfig
from notifications.routing import set_route
from notifications.service import Notifier
from notifications.tables import deliveries

WHEN = datetime(2025, 5, 6, 1, 0)


def test_task_list_and_reminder_reach_inbox_email_and_robots_once(
    system: System, clock: ManualClock, mail: MailServer, robot: RobotServer
) -> None:
    app = system.app
    notifier = Notifier(system, NotifyConfig.from_env(mail.env()))
    org = build_org(app)
    system.catch_up()
    robot.secrets = {"/dingtalk/w": "SEC-d1ng", "/feishu/b": "fs-secret"}
    set_route(system.engine, "org", org.branch.hex, "wecom", robot.url("/wecom/b?key=K1"), "", org.admin.hex, WHEN)
    set_route(system.engine, "org", org.branch.hex, "feishu", robot.url("/feishu/b"), "fs-secret", org.admin.hex, WHEN)
    set_route(system.engine, "person", org.worker.hex, "dingtalk", robot.url("/dingtalk/w?access_token=T"), "SEC-d1ng",
              org.worker.hex, WHEN)
    clock.set_day(date(2025, 5, 6))
    task = issue_task(app, clock, org, date(2025, 5, 20), followers=(org.secretary,))

    first = notifier.run_once()
    assert first.tally.sent == 2 + 3  # two emails (owner, follower), three robots
    assert first.tally.failed == first.tally.given_up == 0

    (owner_mail,) = mail.to("w001@example.cn")
    assert owner_mail["Subject"] == "【任务下达】完成支部标准化建设自查（2025年5月20日前完成）"
    assert "陈干事" in owner_mail["To"]
    body = owner_mail.get_content()
    assert "李强向您（变电运维室党支部）下达了一项任务" in body
    assert "完成时限：2025年5月20日星期二" in body
    assert "要求：对照标准逐项自查，形成问题清单" in body
    assert owner_mail["Message-ID"].endswith("@dutyloop.notify>")
    (follower_mail,) = mail.to("s001@example.cn")
    assert "您关注的任务已下达给变电运维室党支部 陈干事" in follower_mail.get_content()

    (wecom,) = robot.at("/wecom/b")
    assert wecom.query == {"key": ["K1"]}
    assert wecom.payload["msgtype"] == "markdown"
    assert wecom.payload["markdown"]["content"].startswith("### 【任务下达】完成支部标准化建设自查")
    (feishu,) = robot.at("/feishu/b")
    post = feishu.payload["content"]["post"]["zh_cn"]
    assert post["title"] == "【任务下达】完成支部标准化建设自查（2025年5月20日前完成）"
    assert feishu.payload["sign"]
    (ding,) = robot.at("/dingtalk/w")
    assert ding.payload["markdown"]["title"].startswith("【任务下达】")
    assert ding.query["access_token"] == ["T"] and ding.query["sign"]
    assert wecom.headers["Idempotency-Key"] != ding.headers["Idempotency-Key"]

    with system.engine.connect() as conn:
        assert inbox.unread_count(conn, org.worker.hex) == 1
        assert inbox.unread_count(conn, org.secretary.hex) == 1
        assert inbox.unread_count(conn, org.dept.hex) == 0
        (item,) = inbox.inbox(conn, org.worker.hex)
    assert item["subject"] == owner_mail["Subject"] and item["target_id"] == task.hex
    inbox.mark_read(system.engine, org.worker.hex, item["message_id"][:8], WHEN)
    with system.engine.connect() as conn:
        assert inbox.unread_count(conn, org.worker.hex) == 0

    clock.set_day(date(2025, 5, 15))
    app.record_reminder("system:scheduler", "task", task, "due_soon", date(2025, 5, 20), org.worker, org.branch)
    second = notifier.run_once()
    assert second.tally.sent == 1 + 3  # the worker's email, the branch's two robots, the worker's DingTalk
    (reminder_mail,) = [m for m in mail.to("w001@example.cn") if "即将到期" in m["Subject"]]
    assert reminder_mail["Subject"] == "【即将到期】任务“完成支部标准化建设自查”将于2025年5月20日到期"
    assert "将于 2025年5月20日星期二 到期，请抓紧办理" in reminder_mail.get_content()

    assert notifier.run_once().tally.sent == 0
    assert len(mail.received) == 3 and len(robot.hits) == 6
    with system.engine.connect() as conn:
        rows = conn.execute(select(deliveries.c.channel, deliveries.c.status, deliveries.c.attempts)).all()
    assert sorted(rows) == sorted(
        [("inbox", "sent", 1)] * 3 + [("email", "sent", 1)] * 3 + [("wecom", "sent", 1)] * 2
        + [("feishu", "sent", 1)] * 2 + [("dingtalk", "sent", 1)] * 2
    )


def test_a_robot_refusal_is_a_failure_with_its_reason(system: System, clock: ManualClock, robot: RobotServer) -> None:
    app = system.app
    notifier = Notifier(system, NotifyConfig())
    org = build_org(app)
    system.catch_up()
    robot.secrets = {"/dingtalk/b": "right-secret"}
    set_route(system.engine, "org", org.branch.hex, "dingtalk", robot.url("/dingtalk/b"), "wrong-secret", org.admin.hex, WHEN)
    clock.set_day(date(2025, 5, 6))
    issue_task(app, clock, org, date(2025, 5, 20))
    result = notifier.run_once()
    assert (result.tally.sent, result.tally.failed) == (0, 1)
    with system.engine.connect() as conn:
        (row,) = conn.execute(select(deliveries).where(deliveries.c.channel == "dingtalk")).mappings()
    assert row["status"] == "failed" and "sign not match" in row["last_error"]


def test_switched_on_late_it_starts_at_the_end_of_the_log(system: System, clock: ManualClock, mail: MailServer) -> None:
    app = system.app
    org = build_org(app)
    clock.set_day(date(2025, 5, 6))
    issue_task(app, clock, org, date(2025, 5, 20))
    notifier = Notifier(system, NotifyConfig.from_env(mail.env()))
    assert notifier.run_once().tally.sent == 0
    issue_task(app, clock, org, date(2025, 5, 21), title="开展主题党日活动")
    assert notifier.run_once().tally.sent == 1
    assert [m["Subject"] for _, _, m in mail.received] == ["【任务下达】开展主题党日活动（2025年5月21日前完成）"]
