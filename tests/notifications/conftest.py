"""Fixtures for the notification tests: real SMTP and robot servers on loopback, and the command line."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from click.testing import CliRunner, Result
from notify_support import MailServer, RobotServer

from dutyloop.cli import main
from dutyloop.wiring import System


@pytest.fixture
def mail() -> Iterator[MailServer]:
    with MailServer() as server:
        yield server


@pytest.fixture
def robot() -> Iterator[RobotServer]:
    with RobotServer() as server:
        yield server


ENV = ("DUTYLOOP_DATABASE_URL", "DUTYLOOP_USER", "DUTYLOOP_LOCALE", "DUTYLOOP_DATA_DIR", "DUTYLOOP_POSTGRES_SCHEMA",
       "DUTYLOOP_TIMEZONE", "DUTYLOOP_TEMPLATE_DIR", "DUTYLOOP_SMTP_HOST", "DUTYLOOP_SMTP_PORT", "DUTYLOOP_SMTP_TLS",
       "DUTYLOOP_SMTP_FROM", "DUTYLOOP_SMTP_USER", "DUTYLOOP_SMTP_PASSWORD")


@pytest.fixture
def cli_for(monkeypatch: pytest.MonkeyPatch) -> Callable[[System], Callable[..., Result]]:
    """``dutyloop … ARGS`` on the same database as a system, nothing taken from the environment
    but what a test sets."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)

    def make(system: System) -> Callable[..., Result]:
        settings = system.settings
        if settings.is_postgres:
            monkeypatch.setenv("DUTYLOOP_POSTGRES_SCHEMA", settings.postgres_schema)
            where = ["--database-url", str(settings.database_url)]
        else:
            where = ["--data-dir", str(settings.data_dir)]
        runner = CliRunner()
        return lambda *args: runner.invoke(main, [*where, *args], obj=system.clock, catch_exceptions=False)

    return make
