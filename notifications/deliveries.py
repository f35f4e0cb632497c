"""What was sent, to whom, how it went: the administrator's view of every delivery."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from notifications.tables import attempts, deliveries, messages


def delivery_list(conn: Connection, failed_only: bool = False, channel: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Newest first; ``failed_only``: the ones failing now or given up."""
    query = (
        select(deliveries.c.delivery_id, deliveries.c.channel, deliveries.c.address, deliveries.c.status,
               deliveries.c.attempts, deliveries.c.queued_at, deliveries.c.next_attempt_at, deliveries.c.sent_at,
               deliveries.c.last_error, messages.c.recipient_kind, messages.c.recipient_id, messages.c.recipient_name,
               messages.c.subject, messages.c.event_type, messages.c.notification_id)
        .join(messages, messages.c.message_id == deliveries.c.message_id)
    )
    if failed_only:
        query = query.where(deliveries.c.status.in_(("failed", "given_up")))
    if channel:
        query = query.where(deliveries.c.channel == channel)
    query = query.order_by(messages.c.notification_id.desc(), deliveries.c.channel, deliveries.c.delivery_id).limit(limit)
    return [dict(r) for r in conn.execute(query).mappings()]


def attempt_list(conn: Connection, delivery_id: str) -> list[dict[str, Any]]:
    query = select(attempts).where(attempts.c.delivery_id == delivery_id).order_by(attempts.c.attempt)
    return [dict(r) for r in conn.execute(query).mappings()]


def status_counts(conn: Connection) -> dict[str, int]:
    rows = conn.execute(select(deliveries.c.status, func.count()).group_by(deliveries.c.status))
    return {status: int(n) for status, n in rows}


def find(conn: Connection, ref: str) -> list[str]:
    """Deliveries whose id is ``ref`` or starts with it (at most two: enough to say it is ambiguous)."""
    ref = ref.strip().lower()
    if len(ref) < 4:
        return []
    query = select(deliveries.c.delivery_id).where(deliveries.c.delivery_id.startswith(ref)).limit(2)
    return [r[0] for r in conn.execute(query)]
