"""Keeps the views current in a long-running process: on PostgreSQL it wakes on the event
store's NOTIFY (sent in every insert transaction); SQLite has no push, so it polls."""

from __future__ import annotations

import threading
from collections.abc import Callable

from projections.runner import ProjectionRunner


def follow(
    runner: ProjectionRunner,
    stop: threading.Event,
    poll_seconds: float = 0.5,
    on_batch: Callable[[int], None] | None = None,
) -> None:
    """Catch up, then wait for news, until ``stop`` is set."""
    if runner.engine.dialect.name == "postgresql":
        _follow_postgres(runner, stop, poll_seconds, on_batch)
        return
    while not stop.is_set():
        applied = runner.catch_up()
        if applied and on_batch:
            on_batch(applied)
        stop.wait(poll_seconds)


def _follow_postgres(
    runner: ProjectionRunner, stop: threading.Event, poll_seconds: float, on_batch: Callable[[int], None] | None
) -> None:
    raw = runner.engine.raw_connection()
    try:
        driver = raw.driver_connection
        driver.autocommit = True
        driver.execute(f"LISTEN {runner.app.recorder.channel_name}")
        while not stop.is_set():
            applied = runner.catch_up()
            if applied and on_batch:
                on_batch(applied)
            for _ in driver.notifies(timeout=poll_seconds, stop_after=1):
                break
    finally:
        raw.close()
