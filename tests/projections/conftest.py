"""Fixtures for the projection tests: a system with real work recorded in it, and the command
line pointed at the same database (``cli_for`` of tests/conftest.py)."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from domain.clock import ManualClock
from dutyloop.wiring import System
from views_support import Cli, build_world, random_work


@pytest.fixture
def recorded(system: System, clock: ManualClock) -> System:
    """A system with well over a hundred events of real work in it, every view caught up."""
    world = build_world(system.app, clock, branches=3)
    random_work(world, random.Random(17), 150)
    system.catch_up()
    return system


@pytest.fixture
def cli(cli_for: Callable[[System], Cli], recorded: System) -> Cli:
    """The command line on ``recorded``'s database."""
    return cli_for(recorded)
