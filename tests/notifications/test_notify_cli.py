"""The notification commands as people run them: ``notify``, ``inbox``, ``deliveries``,
``notify-route`` (who may set what) and ``notify-test`` against real servers on loopback."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from click.testing import Result
from notify_support import MailServer, RobotServer, build_org, issue_task

from domain.clock import ManualClock
from dutyloop.wiring import System
from notifications.config import NotifyConfig
from notifications.service import Notifier

Cli = Callable[..., Result]


def test_notify_then_read_the_inbox(
    system: System, clock: ManualClock, mail: MailServer, cli_for: Callable[[System], Cli], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = cli_for(system)
    for name, value in mail.env().items():
        monkeypatch.setenv(name, value)
    Notifier(system, NotifyConfig())
    org = build_org(system.app)
    clock.set_day(date(2025, 5, 6))
    issue_task(system.app, clock, org, date(2025, 5, 20))

    ran = cli("notify")
    assert ran.exit_code == 0, ran.output
    assert "发送 1 条，失败待重试 0 条，放弃 0 条" in ran.output
    assert [m["Subject"] for _, _, m in mail.received] == ["【任务下达】完成支部标准化建设自查（2025年5月20日前完成）"]
    assert "发送 0 条" in cli("notify").output

    listed = cli("--as", "W001", "inbox")
    assert "收件箱（未读 1）" in listed.output and "【任务下达】完成支部标准化建设自查" in listed.output
    data = json.loads(cli("--as", "W001", "--json", "inbox", "--unread").output)
    assert data["unread"] == 1
    ref = data["messages"][0]["message_id"][:8]
    shown = cli("--as", "W001", "inbox", "--read", ref)
    assert shown.exit_code == 0 and "李强向您（变电运维室党支部）下达了一项任务" in shown.output
    assert json.loads(cli("--as", "W001", "--json", "inbox", "--unread").output) == {"unread": 0, "messages": []}
    assert json.loads(cli("--as", "S001", "--json", "inbox").output)["messages"] == []
    missing = cli("--as", "W001", "inbox", "--read", "ffffffff")
    assert missing.exit_code == 2 and "收件箱中没有消息" in missing.output

    sent = cli("deliveries")
    assert sent.exit_code == 0 and "w001@example.cn" in sent.output
    assert sent.output.rstrip().endswith("sent: 2")  # the inbox entry and the email


def test_who_may_set_which_route(system: System, cli_for: Callable[[System], Cli], robot: RobotServer) -> None:
    cli = cli_for(system)
    org = build_org(system.app)
    url = robot.url("/wecom/b?key=0123456789abcdef0123456789abcdef0123")
    assert cli("--as", "A001", "notify-route", "set", "--org", "变电运维室党支部", "--channel", "wecom", "--address", url).exit_code == 0
    assert cli("--as", "W001", "notify-route", "set", "--person", "W001", "--channel", "email",
               "--address", "chen@example.cn").exit_code == 0
    refused = cli("--as", "W001", "notify-route", "set", "--person", "S001", "--channel", "email", "--address", "x@example.cn")
    assert refused.exit_code == 2 and "只能设置本人的通知渠道" in refused.output
    refused = cli("--as", "W001", "notify-route", "set", "--org", "变电运维室党支部", "--channel", "wecom", "--address", url)
    assert refused.exit_code == 2
    bad = cli("--as", "W001", "notify-route", "set", "--person", "W001", "--channel", "email", "--address", "not-an-address")
    assert bad.exit_code == 2 and "邮箱地址无效" in bad.output
    bad = cli("--as", "A001", "--locale", "en", "notify-route", "set", "--org", "变电运维室党支部", "--channel", "wecom",
              "--address", "ftp://x", "--secret", "s")
    assert bad.exit_code == 2 and "must be an http(s):// URL" in bad.output

    routes = json.loads(cli("--json", "notify-route", "list").output)
    assert {(r["scope_kind"], r["scope_id"], r["channel"], r["set_by"]) for r in routes} == {
        ("org", str(org.branch), "wecom", str(org.admin)), ("person", str(org.worker), "email", str(org.worker))}
    table = cli("notify-route", "list").output
    assert "变电运维室党支部" in table and "陈干事" in table and "管理员" in table
    assert "0123456789abcdef0123456789abcdef0123" not in table  # a robot's key is not shown whole
    assert cli("--as", "W001", "notify-route", "remove", "--person", "W001", "--channel", "email").exit_code == 0
    assert len(json.loads(cli("--json", "notify-route", "list").output)) == 1
    changes = json.loads(cli("--json", "notify-route", "list", "--history").output)
    assert [(c["channel"], c["action"], c["by_name"]) for c in changes] == [
        ("wecom", "set", "管理员"), ("email", "set", "陈干事"), ("email", "removed", "陈干事")]


def test_notify_test_reaches_real_servers(
    system: System, mail: MailServer, robot: RobotServer, cli_for: Callable[[System], Cli], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = cli_for(system)
    no_smtp = cli("notify-test", "--email", "w001@example.cn")
    assert no_smtp.exit_code == 2 and "未配置 SMTP" in no_smtp.output
    for name, value in mail.env().items():
        monkeypatch.setenv(name, value)
    ok = cli("notify-test", "--email", "w001@example.cn")
    assert ok.exit_code == 0, ok.output
    ((sender, rcpts, message),) = mail.received
    assert rcpts == ["w001@example.cn"] and sender == "dutyloop@example.cn"
    assert message["Subject"] == "【测试】DutyLoop 通知渠道测试" and "用于确认email渠道配置正确" in message.get_content()

    robot.secrets = {"/dingtalk/t": "SECabc"}
    ok = cli("notify-test", "--webhook", robot.url("/dingtalk/t?access_token=T"), "--kind", "dingtalk", "--secret", "SECabc")
    assert ok.exit_code == 0, ok.output
    wrong = cli("notify-test", "--webhook", robot.url("/dingtalk/t?access_token=T"), "--kind", "dingtalk", "--secret", "nope")
    assert wrong.exit_code == 2 and "sign not match" in wrong.output
    ok = cli("notify-test", "--webhook", robot.url("/feishu/t"), "--kind", "feishu")
    assert ok.exit_code == 0 and robot.at("/feishu/t")[0].payload["content"]["post"]["zh_cn"]["title"] == "【测试】DutyLoop 通知渠道测试"
    down = cli("notify-test", "--webhook", "http://127.0.0.1:9/robot", "--kind", "wecom")
    assert down.exit_code == 2 and "wecom webhook" in down.output
