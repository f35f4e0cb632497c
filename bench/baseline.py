"""The raw library's own rates, each measured in the same run as the DutyLoop figure it is set
against: saving an aggregate event by event, saving many new aggregates in one call, and reading
and decoding the notification log in pages of 1,000."""

from __future__ import annotations

import time

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from dutyloop.settings import Settings

READ_PAGE = 1000


class Counter(Aggregate):
    """An aggregate with one small event per change: what the library does with no domain rules."""

    @event("Started")
    def __init__(self) -> None:
        self.count = 0

    @event("Incremented")
    def increment(self, note: str) -> None:
        self.count += 1


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def raw_application(settings: Settings) -> Application:  # type: ignore[type-arg]
    """The plain library on the same database engine (its own file or schema), without our ledger."""
    return Application(env=settings.eventsourcing_env() | {"APPLICATION_RECORDER_TOPIC": ""})


def single_save_rate(app: Application, saves: int) -> float:  # type: ignore[type-arg]
    """One event per transaction, as a user's command writes it."""
    counter = Counter()
    app.save(counter)
    began = time.perf_counter()
    for i in range(saves):
        counter.increment(note=f"n{i}")
        app.save(counter)
    return rate(saves, time.perf_counter() - began)


def batched_save_rate(app: Application, saves: int, per_save: int) -> float:  # type: ignore[type-arg]
    """Events per second when ``per_save`` new aggregates go in one transaction (an import)."""
    began = time.perf_counter()
    for _ in range(saves):
        app.save(*(Counter() for _ in range(per_save)))
    return rate(saves * per_save, time.perf_counter() - began)


def read_decode_rate(app: Application) -> tuple[int, float]:  # type: ignore[type-arg]
    """The library reading its notification log in pages and decoding every event: (events, rate)."""
    began = time.perf_counter()
    read = 0
    position = 0
    while True:
        page = app.recorder.select_notifications(start=position, limit=READ_PAGE, inclusive_of_start=False)
        if not page:
            break
        for notification in page:
            app.mapper.to_domain_event(notification)
        read += len(page)
        position = page[-1].id
    return read, rate(read, time.perf_counter() - began)
