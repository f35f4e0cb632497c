"""A task's whole life under a moving clock — issued, due soon, due today, overdue, seriously
overdue, escalated step by step, done — with the scheduler's deadline check and a notifier pass
every day: exactly one reminder per level (and escalation step), each in the trail, each
delivered exactly once per channel (inbox, email, the branch's WeCom robot), nothing after done."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from notify_support import MailServer, RobotServer, build_org, issue_task
from sqlalchemy import select

from domain.clock import ManualClock
from dutyloop.wiring import System
from notifications.config import NotifyConfig
from notifications.routing import set_route
from notifications.service import Notifier
from notifications.tables import deliveries, messages
from projections import chain_queries
from scheduler.deadlines import check_deadlines

DEADLINE = date(2025, 5, 20)
EVIDENCE = [{"kind": "text", "value": "已完成，附台账"}]


def test_one_reminder_per_level_delivered_once_per_channel(
    system: System, clock: ManualClock, mail: MailServer, robot: RobotServer
) -> None:
    app = system.app
    notifier = Notifier(system, NotifyConfig.from_env(mail.env()))
    org = build_org(app)
    system.catch_up()
    set_route(system.engine, "org", org.branch.hex, "wecom", robot.url("/wecom/branch"), "", org.admin.hex,
              datetime(2025, 5, 1, 1, 0))
    clock.set_day(date(2025, 5, 6))
    task = issue_task(app, clock, org, DEADLINE)

    day = date(2025, 5, 6)
    while day <= date(2025, 6, 20):
        clock.set_day(day)
        check_deadlines(app, system.views, day)
        notifier.run_once()
        check_deadlines(app, system.views, day)
        notifier.run_once()
        day += timedelta(days=1)

    with system.engine.connect() as conn:
        rows = conn.execute(
            select(messages.c.recipient_kind, messages.c.recipient_id, messages.c.subject, messages.c.business_date,
                   messages.c.message_id)
            .where(messages.c.kind == "reminder", messages.c.target_id == task.hex)
            .order_by(messages.c.notification_id, messages.c.recipient_kind.desc())
        ).all()
        sent = Counter(conn.execute(
            select(deliveries.c.channel, deliveries.c.status)
            .join(messages, messages.c.message_id == deliveries.c.message_id)
            .where(messages.c.kind == "reminder")
        ).all())
        trail = [r for r in chain_queries.trail_rows(conn, actor_id="system:scheduler") if r["event_type"] == "ReminderRecorded"]

    people = [(r.recipient_id, r.subject) for r in rows if r.recipient_kind == "person"]
    w, s, lead, disc = org.worker.hex, org.secretary.hex, org.leader.hex, org.discipline.hex
    assert [who for who, _ in people] == [w, w, w, w, s, lead, disc]
    subjects = [subject for _, subject in people]
    assert subjects[0] == "【即将到期】任务“完成支部标准化建设自查”将于2025年5月20日到期"
    assert subjects[1] == "【今日到期】任务“完成支部标准化建设自查”今日到期"
    assert subjects[2] == "【已逾期】任务“完成支部标准化建设自查”已逾期1个工作日"
    assert subjects[3].startswith("【严重逾期】")
    assert [s[:12] for s in subjects[4:]] == ["【逾期升级督办·第1级】", "【逾期升级督办·第2级】", "【逾期升级督办·第3级】"]
    assert len([r for r in rows if r.recipient_kind == "org"]) == 7
    assert len(trail) == 7 and {r["business_date"] for r in trail} == {r.business_date for r in rows}

    assert sent == {("inbox", "sent"): 7, ("email", "sent"): 7, ("wecom", "sent"): 7}
    reminder_mail = [(rcpts, m["Subject"], m["Message-ID"]) for _, rcpts, m in mail.received if "任务下达" not in m["Subject"]]
    assert len(reminder_mail) == 7 and len({mid for _, _, mid in reminder_mail}) == 7
    assert [rcpts for rcpts, _, _ in reminder_mail] == [["w001@example.cn"]] * 4 + [["s001@example.cn"], ["l001@example.cn"], ["j001@example.cn"]]
    assert sorted(subject for _, subject, _ in reminder_mail) == sorted(subjects)
    escalated = next(m for _, rcpts, m in mail.received if rcpts == ["l001@example.cn"])
    assert "（责任人：陈干事）已逾期" in escalated.get_content() and "升级提醒（第 2 级）" in escalated.get_content()
    wecom = [h.payload["markdown"]["content"] for h in robot.at("/wecom/branch")]
    assert len(wecom) == 8 and len(set(wecom)) == 8  # the task issued, then seven reminders

    app.sign_for_task(org.worker, task)
    app.report_task_done(org.worker, task, EVIDENCE)
    app.accept_task(org.dept, task)
    before = len(mail.received), len(robot.hits)
    for later in (date(2025, 6, 23), date(2025, 6, 24)):
        clock.set_day(later)
        assert check_deadlines(app, system.views, later) == []
        assert notifier.run_once().tally.sent == 0
    assert (len(mail.received), len(robot.hits)) == before
