"""Fixtures for the calendar tests: a real SQLite system in tmp_path, a clock we move, the files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from calendar_support import MADE_UP_2027, MADE_UP_2027_CORRECTED, Org, build_org
from domain.clock import ManualClock
from dutyloop.settings import Settings
from dutyloop.wiring import System, open_system


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2025, 3, 3, 8, 0))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def sqlite_system(data_dir: Path, clock: ManualClock) -> Iterator[System]:
    system = open_system(Settings(data_dir=data_dir), clock)
    yield system
    system.close()


@pytest.fixture
def org(sqlite_system: System, clock: ManualClock) -> Org:
    return build_org(sqlite_system, clock)


@pytest.fixture
def schedule_file(tmp_path: Path) -> Path:
    path = tmp_path / "2027.txt"
    path.write_text(MADE_UP_2027, encoding="utf-8")
    return path


@pytest.fixture
def corrected_file(tmp_path: Path) -> Path:
    path = tmp_path / "2027-corrected.txt"
    path.write_text(MADE_UP_2027_CORRECTED, encoding="utf-8")
    return path
