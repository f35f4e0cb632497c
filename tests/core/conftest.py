"""The CLI on the same database as the system under test, with nothing from the environment but
what a test sets."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from click.testing import CliRunner, Result

from dutyloop.cli import main
from dutyloop.wiring import System

ENV = ("DUTYLOOP_DATABASE_URL", "DUTYLOOP_USER", "DUTYLOOP_LOCALE", "DUTYLOOP_DATA_DIR", "DUTYLOOP_POSTGRES_SCHEMA", "DUTYLOOP_TIMEZONE")


@pytest.fixture
def cli(system: System, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    settings = system.settings
    if settings.is_postgres:
        monkeypatch.setenv("DUTYLOOP_POSTGRES_SCHEMA", settings.postgres_schema)
        where = ["--database-url", str(settings.database_url)]
    else:
        where = ["--data-dir", str(settings.data_dir)]
    runner = CliRunner()
    yield lambda *args: runner.invoke(main, [*where, *args], obj=system.clock, catch_exceptions=False)
