"""How the notifier reaches the outside world and how patiently it retries, from the environment.

Read by the composition root (``dutyloop``) and handed in; nothing here reads ``os.environ`` by
itself, so tests and the web app can pass their own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

TLS_MODES = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class SmtpConfig:
    host: str = ""
    port: int = 587
    tls: str = "starttls"
    """``starttls`` (upgrade a plain connection, usually port 587), ``ssl`` (TLS from the first
    byte, usually 465) or ``none`` (only for a relay on a trusted network or a test server)."""
    user: str = ""
    password: str = ""
    sender: str = ""
    timeout: float = 30.0
    ca_file: str = ""
    """A CA certificate file to trust (a company's own mail server); empty: the system's CAs."""

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    def __post_init__(self) -> None:
        if self.tls not in TLS_MODES:
            raise ValueError(f"DUTYLOOP_SMTP_TLS must be one of {', '.join(TLS_MODES)}, not {self.tls!r}")
        if not (self.user.isascii() and self.password.isascii()):
            raise ValueError("DUTYLOOP_SMTP_USER and DUTYLOOP_SMTP_PASSWORD must be ASCII (SMTP AUTH sends them as ASCII)")
        if self.host and not self.sender:
            raise ValueError("DUTYLOOP_SMTP_FROM is required when DUTYLOOP_SMTP_HOST is set (the sender address)")


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    backoff: timedelta = timedelta(seconds=30)
    """The wait after the first failure; each further failure doubles it, up to ``backoff_cap``."""
    backoff_cap: timedelta = timedelta(hours=2)
    lease: timedelta = timedelta(minutes=2)
    """How long a claimed delivery belongs to the process that claimed it. Longer than any send
    can take (SMTP and webhook timeouts are shorter), so only a dead claimer's lease runs out."""
    webhook_timeout: float = 10.0

    def delay_after(self, attempt: int) -> timedelta:
        """The wait before attempt ``attempt + 1`` after attempt ``attempt`` failed."""
        return min(self.backoff * (2 ** (attempt - 1)), self.backoff_cap)


@dataclass(frozen=True)
class NotifyConfig:
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    locale: str = "zh-CN"
    timezone: str = "Asia/Shanghai"
    template_dir: Path | None = None
    """An administrator's templates (``<dir>/<locale>/<kind>.j2``) used instead of the built-in ones."""
    public_url: str = ""
    """The site's address as people open it (``DUTYLOOP_PUBLIC_URL``, e.g. https://dangjian.example.cn):
    each message then carries a link to the page that needs its reader."""

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, locale: str = "zh-CN", timezone: str = "Asia/Shanghai",
                 template_dir: Path | None = None) -> NotifyConfig:
        smtp = SmtpConfig(
            host=env.get("DUTYLOOP_SMTP_HOST", ""),
            port=_int(env, "DUTYLOOP_SMTP_PORT", 587),
            tls=env.get("DUTYLOOP_SMTP_TLS", "starttls").lower(),
            user=env.get("DUTYLOOP_SMTP_USER", ""),
            password=env.get("DUTYLOOP_SMTP_PASSWORD", ""),
            sender=env.get("DUTYLOOP_SMTP_FROM", ""),
            timeout=_number(env, "DUTYLOOP_SMTP_TIMEOUT", 30.0, float),
            ca_file=env.get("DUTYLOOP_SMTP_CA_FILE", ""),
        )
        retry = RetryPolicy(
            max_attempts=_int(env, "DUTYLOOP_NOTIFY_MAX_ATTEMPTS", 8),
            backoff=timedelta(seconds=_number(env, "DUTYLOOP_NOTIFY_BACKOFF_SECONDS", 30.0, float)),
            backoff_cap=timedelta(seconds=_number(env, "DUTYLOOP_NOTIFY_BACKOFF_CAP_SECONDS", 7200.0, float)),
            lease=timedelta(seconds=_number(env, "DUTYLOOP_NOTIFY_LEASE_SECONDS", 120.0, float)),
        )
        return cls(smtp=smtp, retry=retry, locale=locale, timezone=timezone, template_dir=template_dir,
                   public_url=env.get("DUTYLOOP_PUBLIC_URL", "").strip())


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    return int(_number(env, name, default, int))


def _number(env: Mapping[str, str], name: str, default: float, kind: Callable[[str], float]) -> float:
    raw = env.get(name, "")
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive, not {raw!r}")
    return value
