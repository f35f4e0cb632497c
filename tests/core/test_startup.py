"""Processes started at the same moment on an empty PostgreSQL schema (web workers, the
scheduler, a projection runner) each set the database up; none may fail on the others' work."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dutyloop.settings import Settings

OPEN = """
import sys
from dutyloop.settings import Settings
from dutyloop.wiring import open_system
open_system(Settings(database_url=sys.argv[1], postgres_schema=sys.argv[2])).close()
"""


@pytest.mark.postgres
def test_processes_starting_together_on_an_empty_schema_all_start(make_settings) -> None:  # type: ignore[no-untyped-def]
    settings: Settings = make_settings("postgres")
    starting = [
        subprocess.Popen([sys.executable, "-c", OPEN, str(settings.database_url), settings.postgres_schema],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(6)
    ]
    outcomes = [(p.wait(timeout=120), p.stdout.read() if p.stdout else "") for p in starting]
    assert [code for code, _ in outcomes] == [0] * 6, "\n".join(out for code, out in outcomes if code)
