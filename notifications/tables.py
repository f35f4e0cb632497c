"""The notifier's tables, on the same database as the events and the views.

Times are UTC text (``projections.view.moment``) so SQLite and PostgreSQL compare them alike.
They are kept apart from the read models' metadata: ``dutyloop rebuild`` never drops them, since
what was sent cannot be unsent by replaying the log.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from projections.transactions import writing

metadata = MetaData()

ID = String(32)
DAY = String(10)
MOMENT = String(32)

messages = Table(
    "notify_messages",
    metadata,
    Column("message_id", ID, primary_key=True),
    Column("notification_id", BigInteger, nullable=False),
    Column("event_type", String(60), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("recipient_kind", String(10), nullable=False),
    Column("recipient_id", ID, nullable=False),
    Column("recipient_name", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("markdown", Text, nullable=False),
    Column("target_kind", String(20), nullable=False),
    Column("target_id", ID, nullable=False),
    Column("business_date", DAY, nullable=False),
    Column("recorded_at", MOMENT, nullable=False),
    Column("read_at", MOMENT),
)
Index("ix_notify_messages_inbox", messages.c.recipient_kind, messages.c.recipient_id, messages.c.read_at)

deliveries = Table(
    "notify_deliveries",
    metadata,
    Column("delivery_id", ID, primary_key=True),
    Column("message_id", ID, nullable=False),
    Column("channel", String(10), nullable=False),
    Column("address", Text, nullable=False),
    Column("secret", Text, nullable=False),
    Column("status", String(10), nullable=False),
    # queued → sending → sent; sending → failed (retried after a backoff) → … → given_up
    Column("attempts", Integer, nullable=False),
    Column("allowed", Integer),
    # the attempts this delivery may reach; NULL: the retry policy's limit (an administrator's
    # requeue of a given-up delivery allows it a fresh round)
    Column("queued_at", MOMENT, nullable=False),
    Column("next_attempt_at", MOMENT, nullable=False),
    Column("claimed_at", MOMENT),
    Column("lease_until", MOMENT),
    Column("claim", String(32)),
    Column("sent_at", MOMENT),
    Column("last_error", Text),
)
Index("ix_notify_deliveries_due", deliveries.c.status, deliveries.c.next_attempt_at)
Index("ix_notify_deliveries_message", deliveries.c.message_id)

attempts = Table(
    "notify_attempts",
    metadata,
    Column("delivery_id", ID, primary_key=True),
    Column("attempt", Integer, primary_key=True, autoincrement=False),
    Column("started_at", MOMENT, nullable=False),
    Column("finished_at", MOMENT, nullable=False),
    Column("outcome", String(12), nullable=False),
    Column("error", Text),
)

routes = Table(
    "notify_routes",
    metadata,
    Column("scope_kind", String(10), primary_key=True),
    Column("scope_id", ID, primary_key=True),
    Column("channel", String(10), primary_key=True),
    Column("address", Text, nullable=False),
    Column("secret", Text, nullable=False),
    Column("set_by", String(40), nullable=False),
    Column("set_at", MOMENT, nullable=False),
)

route_changes = Table(
    "notify_route_changes",
    metadata,
    Column("change_id", Integer, primary_key=True, autoincrement=True),
    Column("scope_kind", String(10), nullable=False),
    Column("scope_id", ID, nullable=False),
    Column("channel", String(10), nullable=False),
    Column("action", String(10), nullable=False),
    Column("address", Text, nullable=False),
    Column("changed_by", String(40), nullable=False),
    Column("changed_at", MOMENT, nullable=False),
)

def ensure_tables(engine: Engine) -> None:
    metadata.create_all(writing(engine))
