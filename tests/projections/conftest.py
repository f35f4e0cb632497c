"""Fixtures for the projection tests: a system with real work recorded in it, and the command
line pointed at the same database (SQLite by --data-dir, PostgreSQL by URL and schema)."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from click.testing import CliRunner

from domain.clock import ManualClock
from dutyloop.cli import main
from dutyloop.wiring import System
from views_support import Cli, build_world, random_work

ENV = ("DUTYLOOP_DATABASE_URL", "DUTYLOOP_USER", "DUTYLOOP_LOCALE", "DUTYLOOP_DATA_DIR", "DUTYLOOP_POSTGRES_SCHEMA",
       "DUTYLOOP_TIMEZONE")


@pytest.fixture
def recorded(system: System, clock: ManualClock) -> System:
    """A system with well over a hundred events of real work in it, every view caught up."""
    world = build_world(system.app, clock, branches=3)
    random_work(world, random.Random(17), 150)
    system.catch_up()
    return system


@pytest.fixture
def cli_for(monkeypatch: pytest.MonkeyPatch) -> Callable[[System], Cli]:
    """``dutyloop … ARGS`` on the same database as a system (--data-dir for SQLite; the URL and
    schema for PostgreSQL), with nothing taken from the environment."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)

    def make(system: System) -> Cli:
        settings = system.settings
        if settings.is_postgres:
            monkeypatch.setenv("DUTYLOOP_POSTGRES_SCHEMA", settings.postgres_schema)
            where = ["--database-url", str(settings.database_url)]
        else:
            where = ["--data-dir", str(settings.data_dir)]
        runner = CliRunner()
        return lambda *args: runner.invoke(main, [*where, *args], obj=system.clock, catch_exceptions=False)

    return make


@pytest.fixture
def cli(cli_for: Callable[[System], Cli], recorded: System) -> Cli:
    """The command line on ``recorded``'s database."""
    return cli_for(recorded)
