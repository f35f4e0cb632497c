"""The outbox: what each event must send, decided exactly once.

A view run by a projection runner of its own (``ProjectionRunner(..., view_classes=(OutboxView,))``):
the messages an event produces, one delivery row per channel, and the runner's position move in
one transaction. Killed before the commit, nothing of the batch is kept and it is decided again;
after it, never again. The inbox is written here too, so an inbox message exists exactly once.
The other channels are sent later by the dispatcher, which claims, sends and records each row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from sqlalchemy import Table

from notifications.drafts import EVENTS, Directory, Draft, drafts_for
from notifications.links import page_link
from notifications.render import Renderer
from notifications.routing import Route, reach
from notifications.tables import deliveries, messages
from projections.batch import Batch
from projections.view import Handler, View, moment

OUTBOX = "notify_outbox"
KEYS = uuid5(NAMESPACE_URL, "https://dutyloop/notify")


def message_key(originator_id: str, version: int, draft: Draft) -> str:
    """The same event and recipient always give the same message id, on any machine."""
    return uuid5(KEYS, f"{originator_id}/{version}/{draft.recipient_kind}/{draft.recipient_id}").hex


def delivery_key(message_id: str, channel: str) -> str:
    return uuid5(KEYS, f"{message_id}/{channel}").hex


@dataclass
class OutboxSetup:
    renderer: Renderer
    email_enabled: bool
    now: Callable[[], datetime]
    public_url: str = ""


class OutboxView(View):
    name = OUTBOX
    tables = (messages, deliveries)
    skips_failed_events = True

    def __init__(self) -> None:
        super().__init__()
        self.setup: OutboxSetup | None = None
        self._batch: Batch | None = None
        self._directory: Directory | None = None
        self._reach: dict[tuple[str, str], list[Route]] = {}

    def bind(self, setup: OutboxSetup) -> None:
        """The runner makes its views without arguments; the notifier hands this one its renderer."""
        self.setup = setup

    def handler(self, event_name: str) -> Handler | None:
        return self._handle if event_name in EVENTS else None

    def _handle(self, batch: Batch, nid: int, fact: Any) -> None:
        setup = self.setup
        if setup is None:
            raise RuntimeError("the outbox view was not bound to a renderer (OutboxView.bind)")
        if batch is not self._batch or self._directory is None:
            self._batch, self._directory, self._reach = batch, Directory(batch.conn, setup.renderer.locale), {}
        directory = self._directory
        stamp = moment(setup.now())
        for draft in drafts_for(fact, directory):
            key = (draft.recipient_kind, draft.recipient_id)
            if key not in self._reach:
                email = directory.person(draft.recipient_id).get("email", "") if draft.recipient_kind == "person" else ""
                self._reach[key] = reach(batch.conn, draft.recipient_kind, draft.recipient_id, email, setup.email_enabled)
            reached = self._reach[key]
            if draft.recipient_kind == "org" and not reached:
                continue
            link = page_link(setup.public_url, draft.target_kind, draft.target_id)
            rendered = setup.renderer.render(draft.kind, {**draft.context, "link": link})
            mid = message_key(fact.originator_id, fact.originator_version, draft)
            _append(batch, messages, {
                "message_id": mid, "notification_id": nid, "event_type": fact.event_type, "kind": draft.kind,
                "recipient_kind": draft.recipient_kind, "recipient_id": draft.recipient_id,
                "recipient_name": draft.recipient_name, "subject": rendered.subject, "body": rendered.body,
                "markdown": rendered.markdown, "target_kind": draft.target_kind, "target_id": draft.target_id,
                "business_date": fact.on, "recorded_at": moment(fact.timestamp), "read_at": None,
            })
            if draft.recipient_kind == "person":
                _append(batch, deliveries, _delivery(mid, "inbox", draft.recipient_id, "", stamp, status="sent"))
            for route in reached:
                _append(batch, deliveries, _delivery(mid, route.channel, route.address, route.secret, stamp))


def _delivery(mid: str, channel: str, address: str, secret: str, stamp: str, status: str = "queued") -> dict[str, Any]:
    return {
        "delivery_id": delivery_key(mid, channel), "message_id": mid, "channel": channel, "address": address,
        "secret": secret, "status": status, "attempts": 1 if status == "sent" else 0, "allowed": None, "queued_at": stamp,
        "next_attempt_at": stamp, "claimed_at": None, "lease_until": None, "claim": None, "sent_at": stamp if status == "sent" else None,
        "last_error": None,
    }


def _append(batch: Batch, table: Table, row: dict[str, Any]) -> None:
    batch.append(table, tuple(row[c.name] for c in table.columns))
