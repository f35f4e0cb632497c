"""The ``dutyloop`` command line: every domain command and every query, for people and scripts.

Each command group lives in its own module and registers itself on ``main``.
"""

from __future__ import annotations

from dutyloop.cli.base import main
from dutyloop.cli import (  # noqa: F401
    admin, assess, awards, bulletin, calendar, demo, export, follow_ups, handovers, inspections, meetings, notify,
    points, queries, reviews, roster, rules, scheduling, search, setup, tasks, tokens, web,
)

__all__ = ["main"]
