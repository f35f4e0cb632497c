"""The ways out: email over SMTP and the webhooks of enterprise IM group robots.

Every outgoing message carries its delivery's key — the SMTP ``Message-ID`` and the webhook's
``Idempotency-Key`` header — derived from the event, the recipient and the channel. Neither SMTP
nor the robots can join our database transaction, so a message sent just before a crash is sent
again after it (see docs/notifications.md); the key lets the receiver recognise the resend.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any, Protocol

from notifications.config import SmtpConfig

WEBHOOK_KINDS = ("wecom", "dingtalk", "feishu")
CHANNELS = ("email", *WEBHOOK_KINDS)
WECOM_LIMIT = 4096
"""WeCom refuses markdown content over 4096 bytes."""


class SendFailed(Exception):
    """The channel refused or could not take the message; the text says why, for the record."""


@dataclass(frozen=True)
class Outgoing:
    key: str
    address: str
    recipient_name: str
    subject: str
    body: str
    markdown: str
    secret: str = ""
    locale: str = "zh-CN"


class Channel(Protocol):
    def send(self, out: Outgoing) -> None: ...


def message_id(key: str) -> str:
    return f"<{key}@dutyloop.notify>"


class EmailChannel:
    def __init__(self, smtp: SmtpConfig) -> None:
        self.smtp = smtp
        self._tls: ssl.SSLContext | None = None

    def _context(self) -> ssl.SSLContext:
        """Made once: loading the trusted CAs costs tens of milliseconds, more than a send."""
        if self._tls is None:
            self._tls = ssl.create_default_context(cafile=self.smtp.ca_file or None)
        return self._tls

    def compose(self, out: Outgoing) -> EmailMessage:
        mail = EmailMessage()
        mail["Subject"] = out.subject
        mail["From"] = self.smtp.sender
        mail["To"] = formataddr((out.recipient_name, out.address))
        mail["Date"] = format_datetime(datetime.now(UTC))
        mail["Message-ID"] = message_id(out.key)
        mail["X-DutyLoop-Delivery"] = out.key
        mail.set_content(out.body, charset="utf-8")
        return mail

    def send(self, out: Outgoing) -> None:
        if not self.smtp.enabled:
            raise SendFailed("SMTP is not configured (DUTYLOOP_SMTP_HOST)")
        mail = self.compose(out)
        try:
            with self._connect() as server:
                if self.smtp.user:
                    server.login(self.smtp.user, self.smtp.password)
                refused = server.send_message(mail)
        except (smtplib.SMTPException, OSError) as error:
            raise SendFailed(f"SMTP {self.smtp.host}:{self.smtp.port}: {type(error).__name__}: {error}") from error
        if refused:
            raise SendFailed(f"SMTP refused {', '.join(refused)}")

    def _connect(self) -> smtplib.SMTP:
        if self.smtp.tls == "ssl":
            return smtplib.SMTP_SSL(self.smtp.host, self.smtp.port, timeout=self.smtp.timeout, context=self._context())
        server = smtplib.SMTP(self.smtp.host, self.smtp.port, timeout=self.smtp.timeout)
        if self.smtp.tls == "starttls":
            try:
                server.starttls(context=self._context())
            except BaseException:
                server.close()
                raise
        return server


def wecom_payload(out: Outgoing) -> dict[str, Any]:
    """企业微信群机器人: a markdown message (its limit is 4096 bytes)."""
    content = out.markdown.encode()[:WECOM_LIMIT].decode(errors="ignore")
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_payload(out: Outgoing) -> dict[str, Any]:
    """钉钉自定义机器人: markdown with a title (shown in the chat list)."""
    return {"msgtype": "markdown", "markdown": {"title": out.subject, "text": out.markdown}}


def feishu_payload(out: Outgoing) -> dict[str, Any]:
    """飞书自定义机器人: a rich-text post, the subject as its title."""
    lang = "en_us" if out.locale.lower().startswith("en") else "zh_cn"
    lines = [[{"tag": "text", "text": line}] for line in out.body.splitlines()]
    return {"msg_type": "post", "content": {"post": {lang: {"title": out.subject, "content": lines}}}}


def dingtalk_signed(url: str, secret: str, now: float) -> str:
    """钉钉 加签: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, in the URL."""
    stamp = str(int(now * 1000))
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={sign}"


def feishu_sign(secret: str, now: float) -> tuple[str, str]:
    """飞书 签名校验: HMAC-SHA256 keyed by "timestamp\\nsecret" over nothing, in the body."""
    stamp = str(int(now))
    digest = hmac.new(f"{stamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return stamp, base64.b64encode(digest).decode()


class WebhookChannel:
    def __init__(self, kind: str, timeout: float = 10.0, now: Callable[[], float] = time.time) -> None:
        if kind not in WEBHOOK_KINDS:
            raise ValueError(f"webhook kind must be one of {', '.join(WEBHOOK_KINDS)}, not {kind!r}")
        self.kind = kind
        self.timeout = timeout
        self.now = now

    def request(self, out: Outgoing) -> urllib.request.Request:
        url = out.address
        if self.kind == "wecom":
            payload = wecom_payload(out)
        elif self.kind == "dingtalk":
            payload = dingtalk_payload(out)
            if out.secret:
                url = dingtalk_signed(url, out.secret, self.now())
        else:
            payload = feishu_payload(out)
            if out.secret:
                payload["timestamp"], payload["sign"] = feishu_sign(out.secret, self.now())
        return urllib.request.Request(
            url, data=json.dumps(payload, ensure_ascii=False).encode(), method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": out.key,
                     "X-DutyLoop-Delivery": out.key, "User-Agent": "DutyLoop-notify"},
        )

    def send(self, out: Outgoing) -> None:
        try:
            with urllib.request.urlopen(self.request(out), timeout=self.timeout) as response:
                text = response.read(4096).decode(errors="replace")
        except urllib.error.HTTPError as error:
            raise SendFailed(f"{self.kind} webhook: HTTP {error.code} {error.read(300).decode(errors='replace')}") from error
        except (urllib.error.URLError, OSError) as error:
            raise SendFailed(f"{self.kind} webhook: {getattr(error, 'reason', error)}") from error
        _check_answer(self.kind, text)


def _check_answer(kind: str, text: str) -> None:
    """The robots answer HTTP 200 even when they refuse; the refusal is a non-zero code inside."""
    try:
        answer = json.loads(text)
    except ValueError:
        raise SendFailed(f"{kind} webhook: the answer is not JSON: {text[:200]}") from None
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0))) if isinstance(answer, dict) else 0
    if code not in (0, "0"):
        message = answer.get("errmsg") or answer.get("msg") or answer.get("StatusMessage") or ""
        raise SendFailed(f"{kind} webhook refused: code {code} {message}")
