"""The command line on the database and clock of the system under test."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from scheduler_support import Cli

from dutyloop.wiring import System


@pytest.fixture
def cli(cli_for: Callable[[System], Cli], system: System) -> Cli:
    return cli_for(system)
