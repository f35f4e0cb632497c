"""The notifier as one object: follow the log into the outbox, then deliver what is due.

``Notifier.run_once`` is one pass (the CLI's ``dutyloop notify``); ``NotifierService`` repeats it
until stopped, in a thread of ``dutyloop serve`` or in its own process. Several notifiers may run
at once: the outbox runner's lock and the dispatcher's claims keep each event decided once and
each delivery sent by one of them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Engine, insert, select

from notifications.channels import CHANNELS, Channel, EmailChannel, WebhookChannel
from notifications.config import NotifyConfig
from notifications.dispatch import Claimed, Dispatcher, Tally, utc_now
from notifications.outbox import OUTBOX, OutboxSetup, OutboxView
from notifications.render import Renderer
from notifications.tables import ensure_tables
from projections.runner import ProjectionRunner
from projections.tables import positions
from projections.transactions import writing
from projections.view import moment

log = logging.getLogger("dutyloop.notify")


class SystemLike(Protocol):
    """What the notifier needs of ``dutyloop.wiring.System`` (kept structural: no import upwards)."""

    engine: Engine
    app: Any
    views: ProjectionRunner


@dataclass(frozen=True)
class Pass:
    events_read: int
    tally: Tally


def default_channels(config: NotifyConfig) -> dict[str, Channel]:
    channels: dict[str, Channel] = {"email": EmailChannel(config.smtp)}
    for kind in CHANNELS[1:]:
        channels[kind] = WebhookChannel(kind, config.retry.webhook_timeout)
    return channels


class Notifier:
    def __init__(
        self,
        system: SystemLike,
        config: NotifyConfig,
        *,
        now: Callable[[], datetime] = utc_now,
        channels: Mapping[str, Channel] | None = None,
        before_send: Callable[[Claimed], None] | None = None,
        after_send: Callable[[Claimed], None] | None = None,
        from_beginning: bool = False,
    ) -> None:
        """``from_beginning``: on the first start only, write messages for every event already in
        the log; otherwise the notifier starts at the end of the log (switching it on for a
        year-old database does not send a year of reminders)."""
        self.engine = system.engine
        self.views = system.views
        self.config = config
        self.renderer = Renderer(config.locale, config.timezone, config.template_dir)
        ensure_tables(self.engine)
        self.outbox = ProjectionRunner(self.engine, system.app, view_classes=(OutboxView,))
        view = self.outbox.views[0]
        assert isinstance(view, OutboxView)
        view.bind(OutboxSetup(self.renderer, config.smtp.enabled, now, config.public_url))
        self._start_position(0 if from_beginning else self.outbox.head())
        self.outbox.create_tables()
        self.dispatcher = Dispatcher(self.engine, channels or default_channels(config), config.retry, config.locale,
                                     now, before_send, after_send)

    def _start_position(self, position: int) -> None:
        positions.create(writing(self.engine), checkfirst=True)
        with writing(self.engine).begin() as conn:
            if conn.execute(select(positions.c.position).where(positions.c.name == OUTBOX)).first() is None:
                conn.execute(insert(positions).values(name=OUTBOX, position=position, updated_at=moment(utc_now())))

    def follow(self) -> int:
        """Turn new events into messages. The read models are brought up first and the outbox
        never passes them, so every name and title a message needs is already there."""
        self.views.catch_up()
        known = self.views.positions()
        stop = min(known[name] for name in self.views.names)
        return self.outbox.catch_up(stop=stop)

    def deliver(self) -> Tally:
        return self.dispatcher.deliver_due()

    def run_once(self) -> Pass:
        read = self.follow()
        return Pass(read, self.deliver())


class NotifierService:
    """``run_forever`` until ``stop``: a pass, then a pause of ``interval`` seconds (cut short by
    ``stop``). A failing pass (database away, a bug) is logged and the next one tries again."""

    def __init__(self, notifier: Notifier, interval: float = 5.0) -> None:
        self.notifier = notifier
        self.interval = interval
        self._stopping = threading.Event()

    def run_once(self) -> Pass:
        return self.notifier.run_once()

    def run_forever(self) -> None:
        while not self._stopping.is_set():
            try:
                self.notifier.run_once()
            except Exception:  # the service outlives a bad pass; the log says why
                log.exception("notifier pass failed; trying again in %.1f s", self.interval)
            self._stopping.wait(self.interval)

    def stop(self) -> None:
        self._stopping.set()
