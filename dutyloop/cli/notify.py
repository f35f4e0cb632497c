"""Notifications from the command line: run the notifier (``notify``), read your inbox, see every
delivery (``deliveries``), check a channel for real (``notify-test``) and say which channels
reach a person or an organisation (``notify-route``)."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any
from uuid import UUID

import click
from sqlalchemy import select

from domain.errors import NotPermitted
from dutyloop.cli.base import CliState, actor, command, done, emit, main
from dutyloop.cli.queries import local_time
from dutyloop.wiring import System
from notifications import deliveries as delivery_queries
from notifications import inbox as inbox_queries
from notifications.channels import (
    CHANNELS,
    WEBHOOK_KINDS,
    EmailChannel,
    Outgoing,
    SendFailed,
    WebhookChannel,
)
from notifications.config import NotifyConfig
from notifications.render import Renderer
from notifications.routing import (
    RouteError,
    remove_route,
    route_history,
    route_list,
    set_route,
)
from notifications.service import Notifier, NotifierService
from notifications.tables import ensure_tables
from projections import tables
from projections.lookup import resolve_org, resolve_person


def notify_config(system: System) -> NotifyConfig:
    """The notifier's configuration: SMTP and retries from the environment, language, time zone
    and template directory from the settings."""
    s = system.settings
    return NotifyConfig.from_env(os.environ, locale=s.locale, timezone=s.timezone, template_dir=s.template_dir)


def notifier_for(system: System, from_beginning: bool = False) -> Notifier:
    """A notifier for this system (the web app's ``serve`` starts one the same way)."""
    return Notifier(system, notify_config(system), from_beginning=from_beginning)


def _person(state: CliState, system: System) -> str:
    who = actor(state, system)
    if isinstance(who, str):
        raise click.UsageError(state.zh("系统身份没有收件箱，请用 --as 指明人员", "A system actor has no inbox; name a person with --as"))
    return who.hex


@command(main, "notify")
@click.option("--follow", is_flag=True, help="Keep going until Ctrl-C, a pass every --interval seconds.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between passes with --follow.")
@click.option("--from-beginning", is_flag=True, help="First start only: write messages for every event already recorded.")
def notify(state: CliState, follow: bool, interval: float, from_beginning: bool) -> None:
    """Turn new events into messages and deliver what is due (inbox, email, IM robots)."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    system = state.open()
    notifier = notifier_for(system, from_beginning)
    for problem in notifier.renderer.check():
        click.echo(state.zh(f"模板有误，将使用内置模板：{problem}", f"Template broken, the built-in one is used: {problem}"), err=True)
    if not follow:
        result = notifier.run_once()
        t = result.tally
        done(state, "读取事件 {events} 条；发送 {sent} 条，失败待重试 {failed} 条，放弃 {given_up} 条",
             "Read {events} events; sent {sent}, failed (to retry) {failed}, given up {given_up}",
             events=result.events_read, sent=t.sent, failed=t.failed, given_up=t.given_up)
        return
    service = NotifierService(notifier, interval)
    click.echo(state.zh(f"通知服务已启动，每 {interval:g} 秒一轮；Ctrl-C 停止", f"Notifier running, a pass every {interval:g} s; Ctrl-C stops it"))
    try:
        service.run_forever()
    except KeyboardInterrupt:
        service.stop()


INBOX_COLUMNS = [("short_id", "编号", "Id"), ("state", "状态", "State"), ("when", "时间", "When"), ("subject", "标题", "Subject")]


@command(main, "inbox")
@click.option("--unread", is_flag=True, help="Only unread messages.")
@click.option("--read", "read_ref", metavar="ID", help="Show one message in full and mark it read.")
@click.option("--all-read", is_flag=True, help="Mark every message read.")
@click.option("--limit", default=50, show_default=True)
def inbox(state: CliState, unread: bool, read_ref: str | None, all_read: bool, limit: int) -> None:
    """Your messages (the --as person): task lists, reminders, returns, interviews, rectifications, bulletins."""
    system = state.open()
    person = _person(state, system)
    ensure_tables(system.engine)
    now = system.clock.now()
    if all_read:
        count = inbox_queries.mark_all_read(system.engine, person, now)
        done(state, "已将 {count} 条消息标为已读", "Marked {count} messages read", count=count)
        return
    if read_ref:
        try:
            found = inbox_queries.mark_read(system.engine, person, read_ref, now)
        except inbox_queries.NoSuchMessage as error:
            click.echo(f"{state.zh('错误', 'Error')}: {error.message(state.locale)}", err=True)
            sys.exit(2)
        if state.as_json:
            emit(state, found)
        else:
            click.echo(found["subject"])
            click.echo(local_time(state, found["recorded_at"]))
            click.echo("")
            click.echo(found["body"])
        return
    with system.engine.connect() as conn:
        rows = inbox_queries.inbox(conn, person, unread_only=unread, limit=limit)
        unread_total = inbox_queries.unread_count(conn, person)
    if state.as_json:
        emit(state, {"unread": unread_total, "messages": rows})
        return
    for row in rows:
        row["short_id"] = row["message_id"][:8]
        row["state"] = state.zh("未读", "unread") if row["unread"] else state.zh("已读", "read")
        row["when"] = local_time(state, row["recorded_at"])
    emit(state, rows, INBOX_COLUMNS, title=state.zh(f"收件箱（未读 {unread_total}）", f"Inbox ({unread_total} unread)"))


DELIVERY_COLUMNS = [("short_id", "编号", "Id"), ("channel", "渠道", "Channel"), ("recipient_name", "接收方", "Recipient"),
                    ("address", "地址", "Address"), ("subject", "标题", "Subject"), ("status", "状态", "Status"),
                    ("attempts", "次数", "Attempts"), ("next", "下次尝试", "Next try"), ("last_error", "错误", "Error")]


@command(main, "deliveries")
@click.option("--failed", is_flag=True, help="Only deliveries failing now (to be retried) or given up.")
@click.option("--channel", type=click.Choice(["inbox", *CHANNELS]))
@click.option("--attempts", "attempts_of", metavar="ID", help="Every attempt of one delivery, with its error.")
@click.option("--retry", "retry_of", metavar="ID", help="Queue a given-up delivery again, with a fresh round of attempts.")
@click.option("--limit", default=200, show_default=True)
def deliveries(state: CliState, failed: bool, channel: str | None, attempts_of: str | None, retry_of: str | None,
               limit: int) -> None:
    """Every delivery: queued, sent, failed with the error, retried, given up."""
    system = state.open()
    ensure_tables(system.engine)
    if retry_of:
        who = actor(state, system)
        authority = system.app.authority(who)
        if not authority.is_admin:
            raise NotPermitted(authority.describe(), "retry_delivery", "reason_admin_only")
        with system.engine.connect() as conn:
            delivery_id = _one_delivery(state, conn, retry_of)
        if not notifier_for(system).dispatcher.requeue(delivery_id):
            click.echo(state.zh("错误：只能重新发送已放弃的投递", "Error: only a given-up delivery can be queued again"), err=True)
            sys.exit(2)
        done(state, "已重新排队：{delivery}（下一轮 dutyloop notify 时发送）", "Queued again: {delivery} (sent by the next dutyloop notify)",
             delivery=delivery_id)
        return
    with system.engine.connect() as conn:
        if attempts_of:
            emit(state, delivery_queries.attempt_list(conn, _one_delivery(state, conn, attempts_of)),
                 [("attempt", "次", "Attempt"), ("started_at", "开始", "Started"), ("finished_at", "结束", "Finished"),
                  ("outcome", "结果", "Outcome"), ("error", "错误", "Error")])
            return
        rows = delivery_queries.delivery_list(conn, failed_only=failed, channel=channel, limit=limit)
        counts = delivery_queries.status_counts(conn)
    for row in rows:
        row["short_id"] = row["delivery_id"][:8]
        row["next"] = local_time(state, row["next_attempt_at"]) if row["status"] == "failed" else ""
        row["address"] = _shown_address(row["channel"], row["address"])
    title = state.zh("失败与放弃的投递", "Failed and given-up deliveries") if failed else state.zh("投递记录", "Deliveries")
    emit(state, rows, DELIVERY_COLUMNS, title=title)
    if not state.as_json:
        click.echo("  ".join(f"{status}: {n}" for status, n in sorted(counts.items())))


def _one_delivery(state: CliState, conn: Any, ref: str) -> str:
    found = delivery_queries.find(conn, ref)
    if len(found) != 1:
        raise click.UsageError(state.zh(f"没有唯一的投递 {ref}", f"no single delivery {ref}"))
    return found[0]


def _shown_address(channel: str, address: str) -> str:
    """Robot URLs carry their access key; show only enough to tell them apart."""
    if channel in WEBHOOK_KINDS and len(address) > 48:
        return address[:40] + "…" + address[-6:]
    return address if channel != "inbox" else ""


@command(main, "notify-test")
@click.option("--email", "email_to", metavar="ADDR", help="Send a test email to ADDR with the SMTP settings in force.")
@click.option("--webhook", metavar="URL", help="Send a test message to a robot webhook.")
@click.option("--kind", type=click.Choice(list(WEBHOOK_KINDS)), help="The robot's kind (with --webhook).")
@click.option("--secret", default="", help="The robot's signing secret (DingTalk 加签 / Feishu 签名校验), if it has one.")
def notify_test(state: CliState, email_to: str | None, webhook: str | None, kind: str | None, secret: str) -> None:
    """Send one test message through a channel now and say whether it arrived at the server."""
    if bool(email_to) == bool(webhook):
        raise click.UsageError(state.zh("请给出 --email 或 --webhook 之一", "Give one of --email or --webhook"))
    if webhook and not kind:
        raise click.UsageError(state.zh("--webhook 需要 --kind wecom|dingtalk|feishu", "--webhook needs --kind wecom|dingtalk|feishu"))
    settings = state.settings
    config = NotifyConfig.from_env(os.environ, locale=settings.locale, timezone=settings.timezone,
                                   template_dir=settings.template_dir)
    now = state.clock.now()
    channel_name = "email" if email_to else str(kind)
    rendered = Renderer(config.locale, config.timezone, config.template_dir).render(
        "channel_test", {"channel": channel_name, "recorded_at": now})
    out = Outgoing(key=f"test-{now:%Y%m%d%H%M%S%f}", address=email_to or str(webhook), recipient_name="",
                   subject=rendered.subject, body=rendered.body, markdown=rendered.markdown, secret=secret,
                   locale=config.locale)
    try:
        if email_to:
            if not config.smtp.enabled:
                raise SendFailed(state.zh("未配置 SMTP（DUTYLOOP_SMTP_HOST）", "SMTP is not configured (DUTYLOOP_SMTP_HOST)"))
            EmailChannel(config.smtp).send(out)
        else:
            WebhookChannel(str(kind), config.retry.webhook_timeout).send(out)
    except SendFailed as error:
        click.echo(f"{state.zh('发送失败', 'Not sent')}: {error}", err=True)
        sys.exit(2)
    done(state, "测试消息已由 {channel} 服务器接收：{subject}", "The {channel} server took the test message: {subject}",
         channel=channel_name, subject=rendered.subject, key=out.key)


@main.group("notify-route")
def notify_route() -> None:
    """Which channels reach a person or an organisation (besides the inbox and the directory's email)."""


def _scope(state: CliState, system: System, person: str | None, org: str | None) -> tuple[str, str, str]:
    """(scope kind, id, acting person) — after checking the acting person may change it."""
    if bool(person) == bool(org):
        raise click.UsageError(state.zh("请给出 --person 或 --org 之一", "Give one of --person or --org"))
    who = actor(state, system)
    with system.engine.connect() as conn:
        scope_kind, scope_id = ("person", resolve_person(conn, person)) if person else ("org", resolve_org(conn, str(org)))
    authority = system.app.authority(who)
    own = isinstance(who, UUID) and scope_kind == "person" and who.hex == scope_id
    if not (authority.is_admin or own):
        raise NotPermitted(authority.describe(), "set_notify_route", "reason_own_routes")
    return scope_kind, scope_id, who.hex if isinstance(who, UUID) else str(who)


def _route_errors(state: CliState, call: Any) -> Any:
    try:
        return call()
    except RouteError as error:
        click.echo(f"{state.zh('错误', 'Error')}: {error.message(state.locale)}", err=True)
        sys.exit(2)


@command(notify_route, "set")
@click.option("--person", help="Staff number, name or id of the person.")
@click.option("--org", help="Name or id of the organisation (its group robot or mailbox).")
@click.option("--channel", required=True, type=click.Choice(list(CHANNELS)))
@click.option("--address", required=True, help="Email address, or the robot's webhook URL.")
@click.option("--secret", default="", help="Signing secret of a DingTalk or Feishu robot.")
def route_set(state: CliState, person: str | None, org: str | None, channel: str, address: str, secret: str) -> None:
    """Reach a person or an organisation by a channel (replaces that channel's previous address)."""
    system = state.open()
    scope_kind, scope_id, by = _scope(state, system, person, org)
    ensure_tables(system.engine)
    _route_errors(state, lambda: set_route(system.engine, scope_kind, scope_id, channel, address, secret, by,
                                           system.clock.now()))
    done(state, "已设置：{scope} 的 {channel} 渠道", "Set: {channel} for {scope}", scope=f"{scope_kind}:{scope_id[:8]}", channel=channel)


@command(notify_route, "remove")
@click.option("--person")
@click.option("--org")
@click.option("--channel", required=True, type=click.Choice(list(CHANNELS)))
def route_remove(state: CliState, person: str | None, org: str | None, channel: str) -> None:
    """Stop reaching a person or an organisation by a channel."""
    system = state.open()
    scope_kind, scope_id, by = _scope(state, system, person, org)
    ensure_tables(system.engine)
    gone = remove_route(system.engine, scope_kind, scope_id, channel, by, system.clock.now())
    if not gone:
        click.echo(state.zh("错误：没有这条渠道设置", "Error: no such route"), err=True)
        sys.exit(2)
    done(state, "已移除：{scope} 的 {channel} 渠道", "Removed: {channel} for {scope}", scope=f"{scope_kind}:{scope_id[:8]}", channel=channel)


@command(notify_route, "list")
@click.option("--history", is_flag=True, help="Every change ever made, oldest first, instead of the routes in force.")
def route_show(state: CliState, history: bool) -> None:
    """Every route, with who set it and when (secrets hidden); --history: every change."""
    system = state.open()
    ensure_tables(system.engine)
    system.catch_up()
    with system.engine.connect() as conn:
        rows = route_history(conn) if history else route_list(conn)
        people = dict(conn.execute(select(tables.people.c.person_id, tables.people.c.name)).all())
        orgs = dict(conn.execute(select(tables.organisations.c.org_id, tables.organisations.c.name)).all())
    by, at = ("changed_by", "changed_at") if history else ("set_by", "set_at")
    for row in rows:
        row["name"] = (people if row["scope_kind"] == "person" else orgs).get(row["scope_id"], row["scope_id"][:8])
        row["by_name"] = people.get(row[by], row[by])
        row["shown_address"] = _shown_address(row["channel"], row["address"])
        row["at_local"] = local_time(state, row[at])
    if state.as_json:
        emit(state, rows)
        return
    middle = [("action", "操作", "Change")] if history else [("secret", "密钥", "Secret")]
    emit(state, rows, [("scope_kind", "范围", "Scope"), ("name", "对象", "Who"), ("channel", "渠道", "Channel"),
                       ("shown_address", "地址", "Address"), *middle, ("by_name", "设置人", "By"),
                       ("at_local", "时间", "When")])
