"""The ``dutyloop`` command line: every domain command and every query, for people and scripts.

Each command group lives in its own module and registers itself on ``main``.
"""

from __future__ import annotations

from dutyloop.cli.base import main
from dutyloop.cli import admin, assess, audit, calendar, demo, export, inspections, meetings, notify, queries, scheduling, setup, tasks, tokens, web  # noqa: F401

__all__ = ["main"]
