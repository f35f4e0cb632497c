"""The ``dutyloop`` command line: every domain command and every query, for people and scripts.

Each command group lives in its own module and registers itself on ``main`` when the index
(``dutyloop.cli.index``) imports it, the first time a run names one of its commands.
"""

from __future__ import annotations

from dutyloop.cli.base import main

__all__ = ["main"]
