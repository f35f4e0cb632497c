"""Working-day calendar commands (load a year's official schedule, show what is known)."""

from __future__ import annotations

import click

from dutyloop.cli.base import main


@main.group("calendar")
def calendar_group() -> None:
    """节假日安排：工作日日历 (working-day calendar)."""
