"""The command line on the database of the system under test (--data-dir for SQLite; the URL and
schema for PostgreSQL), with nothing taken from the environment."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from scheduler_support import Cli

from dutyloop.cli import main
from dutyloop.wiring import System

ENV = ("DUTYLOOP_DATABASE_URL", "DUTYLOOP_USER", "DUTYLOOP_LOCALE", "DUTYLOOP_DATA_DIR", "DUTYLOOP_POSTGRES_SCHEMA",
       "DUTYLOOP_TIMEZONE")


@pytest.fixture
def cli(system: System, monkeypatch: pytest.MonkeyPatch) -> Cli:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    settings = system.settings
    if settings.is_postgres:
        monkeypatch.setenv("DUTYLOOP_POSTGRES_SCHEMA", settings.postgres_schema)
        where = ["--database-url", str(settings.database_url)]
    else:
        where = ["--data-dir", str(settings.data_dir)]
    runner = CliRunner()
    return lambda *args: runner.invoke(main, [*where, *args], obj=system.clock, catch_exceptions=False)


