"""The CLI on the same database and clock as the system under test."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import Result

from dutyloop.wiring import System


@pytest.fixture
def cli(system: System, cli_for: Callable[[System], Callable[..., Result]]) -> Callable[..., Result]:
    return cli_for(system)
