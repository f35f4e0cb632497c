"""Fixtures for the notification tests: real SMTP and robot servers on loopback (the command line
is tests/conftest.py's ``cli_for``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from notify_support import MailServer, RobotServer


@pytest.fixture
def mail() -> Iterator[MailServer]:
    with MailServer() as server:
        yield server


@pytest.fixture
def robot() -> Iterator[RobotServer]:
    with RobotServer() as server:
        yield server
