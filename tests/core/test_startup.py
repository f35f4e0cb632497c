"""Processes started at the same moment on an empty database (web workers, the scheduler, a
projection runner) each set the database up; none may fail on the others' work."""

from __future__ import annotations

import subprocess
import sys

from dutyloop.settings import Settings

OPEN = """
import sys
from pathlib import Path
from dutyloop.settings import Settings
from dutyloop.wiring import open_system
data_dir, url, schema = sys.argv[1:4]
open_system(Settings(data_dir=Path(data_dir), database_url=url or None, postgres_schema=schema)).close()
"""


def test_processes_starting_together_on_an_empty_database_all_start(make_settings, backend: str) -> None:  # type: ignore[no-untyped-def]
    settings: Settings = make_settings(backend)
    starting = [
        subprocess.Popen([sys.executable, "-c", OPEN, str(settings.data_dir), settings.database_url or "", settings.postgres_schema],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(6)
    ]
    outcomes = [(p.wait(timeout=120), p.stdout.read() if p.stdout else "") for p in starting]
    assert [code for code, _ in outcomes] == [0] * 6, "\n".join(out for code, out in outcomes if code)
