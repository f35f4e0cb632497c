"""Where DutyLoop keeps its data and how it speaks, read from the environment.

Nothing is required: with no configuration, events and views live in one SQLite file under the
user's data directory, so ``dutyloop demo`` works on a fresh machine.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlparse

from platformdirs import user_data_dir

from domain.clock import DEFAULT_TIMEZONE
from dutyloop.signin_settings import SignIn, sign_in_from_env


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=lambda: Path(user_data_dir("dutyloop", appauthor=False)))
    database_url: str | None = None
    """A PostgreSQL URL (postgresql://user:password@host:5432/dbname); None means SQLite."""
    postgres_schema: str = ""
    locale: str = "zh-CN"
    timezone: str = DEFAULT_TIMEZONE
    user: str | None = None
    """Who acts for CLI commands: a staff number, a name, or a person id."""
    template_dir: Path | None = None
    """An administrator's notification templates (``<dir>/<locale>/<kind>.j2``), used instead of the built-in ones."""
    session_key: str = field(default="", repr=False)
    """The key that signs session cookies (``DUTYLOOP_SESSION_KEY``); empty means the file
    ``session.key`` in the data directory, made on first use."""
    lock_timeout: int = 30
    """Seconds a write waits for SQLite's write lock before the caller is told to try again."""
    sign_in: SignIn = field(default_factory=SignIn)
    """How staff sign in to the web (``dutyloop.signin_settings``): local passwords by default."""

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        settings = cls()
        if env.get("DUTYLOOP_DATA_DIR"):
            settings = replace(settings, data_dir=Path(env["DUTYLOOP_DATA_DIR"]).expanduser())
        return replace(
            settings,
            database_url=env.get("DUTYLOOP_DATABASE_URL") or None,
            postgres_schema=env.get("DUTYLOOP_POSTGRES_SCHEMA", ""),
            locale=env.get("DUTYLOOP_LOCALE", settings.locale),
            timezone=env.get("DUTYLOOP_TIMEZONE", settings.timezone),
            user=env.get("DUTYLOOP_USER") or None,
            template_dir=Path(env["DUTYLOOP_TEMPLATE_DIR"]).expanduser() if env.get("DUTYLOOP_TEMPLATE_DIR") else None,
            session_key=env.get("DUTYLOOP_SESSION_KEY", ""),
            lock_timeout=int(env.get("DUTYLOOP_LOCK_TIMEOUT") or settings.lock_timeout),
            sign_in=sign_in_from_env(env),
        )

    @property
    def is_postgres(self) -> bool:
        return bool(self.database_url)

    def to_json(self) -> str:
        """What another process needs to open the same data (a rebuild's workers, the bench's)."""
        return json.dumps({
            "data_dir": str(self.data_dir), "database_url": self.database_url,
            "postgres_schema": self.postgres_schema, "timezone": self.timezone, "lock_timeout": self.lock_timeout,
        })

    @classmethod
    def from_json(cls, text: str) -> Settings:
        values = json.loads(text)
        return cls(
            data_dir=Path(values["data_dir"]), database_url=values["database_url"],
            postgres_schema=values["postgres_schema"], timezone=values.get("timezone", DEFAULT_TIMEZONE),
            lock_timeout=values.get("lock_timeout", cls.lock_timeout),
        )

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "dutyloop.db"

    def eventsourcing_env(self) -> dict[str, str]:
        """The event store's configuration, in the library's own environment keys."""
        if not self.database_url:
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": str(self.lock_timeout),
                "APPLICATION_RECORDER_TOPIC": "dutyloop.eventstore:LedgeredSQLiteApplicationRecorder",
            }
        url = urlparse(self.database_url)
        if url.scheme not in ("postgres", "postgresql", "postgresql+psycopg"):
            raise ValueError(f"DUTYLOOP_DATABASE_URL must be a postgresql:// URL, not {url.scheme}://")
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(url.path.lstrip("/")) or "postgres",
            "POSTGRES_HOST": url.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_SCHEMA": self.postgres_schema,
            "POSTGRES_CONNECT_TIMEOUT": "10",
            "POSTGRES_POOL_SIZE": "5",
            "APPLICATION_RECORDER_TOPIC": "dutyloop.eventstore_postgres:LedgeredPostgresApplicationRecorder",
        }

    def sqlalchemy_url(self) -> str:
        if not self.database_url:
            return f"sqlite:///{self.sqlite_path}"
        url = urlparse(self.database_url)
        return url._replace(scheme="postgresql+psycopg").geturl()
