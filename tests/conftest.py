"""Shared fixtures: a real system on a SQLite file, and on PostgreSQL when it is configured.

PostgreSQL tests run against the server named by DUTYLOOP_TEST_POSTGRES_URL (``.ci/run`` sets
it). Without it they skip, saying so; with it, an unreachable server fails them. Each test gets a
schema of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from domain.clock import ManualClock
from dutyloop.cli import main
from dutyloop.settings import Settings
from dutyloop.wiring import System, open_system

POSTGRES_URL = os.environ.get("DUTYLOOP_TEST_POSTGRES_URL", "")
SKIP_POSTGRES = "PostgreSQL tests need DUTYLOOP_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)"

ENV = ("DUTYLOOP_DATABASE_URL", "DUTYLOOP_USER", "DUTYLOOP_LOCALE", "DUTYLOOP_DATA_DIR", "DUTYLOOP_POSTGRES_SCHEMA",
       "DUTYLOOP_TIMEZONE", "DUTYLOOP_TEMPLATE_DIR", "DUTYLOOP_SMTP_HOST", "DUTYLOOP_SMTP_PORT", "DUTYLOOP_SMTP_TLS",
       "DUTYLOOP_SMTP_FROM", "DUTYLOOP_SMTP_USER", "DUTYLOOP_SMTP_PASSWORD")
"""What the command line would otherwise take from the environment the suite runs in."""

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _drop_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def make_settings(tmp_path: Path) -> Iterator[callable]:  # type: ignore[valid-type]
    """Settings for a backend: a fresh SQLite directory, or a fresh PostgreSQL schema."""
    schemas: list[str] = []

    def make(backend: str) -> Settings:
        if backend == "sqlite":
            return Settings(data_dir=tmp_path / f"data-{len(schemas)}-{uuid.uuid4().hex[:6]}")
        if not POSTGRES_URL:
            pytest.skip(SKIP_POSTGRES)
        schema = f"t_{uuid.uuid4().hex[:12]}"
        schemas.append(schema)
        return Settings(data_dir=tmp_path, database_url=POSTGRES_URL, postgres_schema=schema)

    yield make
    for schema in schemas:
        _drop_schema(schema)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2025, 3, 28, 9, 0))


@pytest.fixture
def system(make_settings, backend: str, clock: ManualClock) -> Iterator[System]:  # type: ignore[no-untyped-def]
    """A real system (event store + views) on the backend under test."""
    opened = open_system(make_settings(backend), clock)
    yield opened
    opened.close()


@pytest.fixture
def cli_for(monkeypatch: pytest.MonkeyPatch) -> Callable[[System], Callable[..., Result]]:
    """``dutyloop … ARGS`` on the same database as a system, on its clock — SQLite by its data
    directory; PostgreSQL by URL and schema, and the data directory too, where the signing key and
    the heads file live — with nothing taken from the environment but what a test sets."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)

    def make(system: System) -> Callable[..., Result]:
        settings = system.settings
        where = ["--data-dir", str(settings.data_dir)]
        if settings.is_postgres:
            monkeypatch.setenv("DUTYLOOP_POSTGRES_SCHEMA", settings.postgres_schema)
            where += ["--database-url", str(settings.database_url)]
        runner = CliRunner()
        return lambda *args: runner.invoke(main, [*where, *args], obj=system.clock, catch_exceptions=False)

    return make
