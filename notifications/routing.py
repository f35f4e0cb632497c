"""Which channels reach whom, as an administrator set them.

A person is always reached in the inbox, and by email at the address in the directory (from
PersonRegistered / ContactUpdated) when SMTP is configured. Routes add to that: a person's own
email address (instead of the directory's) or IM robot, and an organisation's group robot or
mailbox, which then hears about its organisation's tasks, reminders, rectifications and
bulletins. Routes hold webhook secrets, so they live in a table, not in the event log; each
change is kept with who made it and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, select

from notifications.channels import CHANNELS, WEBHOOK_KINDS
from notifications.tables import route_changes, routes
from projections.transactions import writing
from projections.view import moment

SCOPES = ("person", "org")


class RouteError(ValueError):
    """A route that cannot work; the message says what is wrong in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en

    def message(self, locale: str) -> str:
        return self.en if locale.lower().startswith("en") else self.zh


@dataclass(frozen=True)
class Route:
    channel: str
    address: str
    secret: str = ""


def validate(channel: str, address: str, secret: str) -> None:
    if channel not in CHANNELS:
        raise RouteError(f"渠道必须是 {'、'.join(CHANNELS)} 之一，而不是 {channel!r}",
                         f"channel must be one of {', '.join(CHANNELS)}, not {channel!r}")
    if channel == "email":
        local, at, domain = address.partition("@")
        if not (local and at and "." in domain) or " " in address:
            raise RouteError(f"邮箱地址无效：{address!r}", f"not an email address: {address!r}")
        if secret:
            raise RouteError("邮件渠道没有签名密钥", "an email route has no signing secret")
    elif not address.startswith(("https://", "http://")):
        raise RouteError(f"{channel} 机器人地址必须是 http(s):// 网址：{address!r}",
                         f"a {channel} robot address must be an http(s):// URL: {address!r}")
    if channel == "wecom" and secret:
        raise RouteError("企业微信群机器人不支持签名密钥", "WeCom group robots have no signing secret")


def set_route(engine: Engine, scope_kind: str, scope_id: str, channel: str, address: str, secret: str,
              set_by: str, at: datetime) -> None:
    address, secret = address.strip(), secret.strip()
    if scope_kind not in SCOPES:
        raise RouteError(f"范围必须是 person 或 org：{scope_kind!r}", f"scope must be person or org: {scope_kind!r}")
    validate(channel, address, secret)
    stamp = moment(at)
    with writing(engine).begin() as conn:
        key = (routes.c.scope_kind == scope_kind, routes.c.scope_id == scope_id, routes.c.channel == channel)
        conn.execute(routes.delete().where(*key))
        conn.execute(routes.insert().values(scope_kind=scope_kind, scope_id=scope_id, channel=channel, address=address,
                                            secret=secret, set_by=set_by, set_at=stamp))
        conn.execute(route_changes.insert().values(scope_kind=scope_kind, scope_id=scope_id, channel=channel,
                                                   action="set", address=address, changed_by=set_by, changed_at=stamp))


def remove_route(engine: Engine, scope_kind: str, scope_id: str, channel: str, removed_by: str, at: datetime) -> bool:
    with writing(engine).begin() as conn:
        gone = conn.execute(routes.delete().where(
            routes.c.scope_kind == scope_kind, routes.c.scope_id == scope_id, routes.c.channel == channel))
        if gone.rowcount:
            conn.execute(route_changes.insert().values(scope_kind=scope_kind, scope_id=scope_id, channel=channel,
                                                       action="removed", address="", changed_by=removed_by,
                                                       changed_at=moment(at)))
        return bool(gone.rowcount)


def routes_of(conn: Connection, scope_kind: str, scope_id: str) -> dict[str, Route]:
    rows = conn.execute(select(routes).where(routes.c.scope_kind == scope_kind, routes.c.scope_id == scope_id))
    return {r.channel: Route(r.channel, r.address, r.secret) for r in rows}


def reach(conn: Connection, scope_kind: str, scope_id: str, directory_email: str, email_enabled: bool) -> list[Route]:
    """The channels (besides the inbox) that reach a person or an organisation now."""
    own = routes_of(conn, scope_kind, scope_id)
    found = []
    email = own.get("email")
    if email_enabled:
        if email is not None:
            found.append(email)
        elif scope_kind == "person" and directory_email:
            found.append(Route("email", directory_email))
    found.extend(own[kind] for kind in WEBHOOK_KINDS if kind in own)
    return found


def route_list(conn: Connection) -> list[dict[str, str]]:
    rows = conn.execute(select(routes).order_by(routes.c.scope_kind, routes.c.scope_id, routes.c.channel)).mappings()
    return [{**dict(r), "secret": "***" if r["secret"] else ""} for r in rows]


def route_history(conn: Connection) -> list[dict[str, str]]:
    rows = conn.execute(select(route_changes).order_by(route_changes.c.change_id)).mappings()
    return [dict(r) for r in rows]
