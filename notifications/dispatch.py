"""Sends what the outbox queued: claim, send, record — each step its own commit.

1. Claim: one conditional UPDATE moves a due row to ``sending`` with a lease and a claim token.
   Only one process wins it; a crash now leaves a claimed row that nobody sent, which is claimed
   again when the lease runs out (recorded as an ``interrupted`` attempt): not lost, not doubled.
2. Send: the channel takes the message (SMTP server, robot). A crash now — after the send, before
   the record — is the one gap no channel outside our database can close: when the lease runs out
   the row is claimed and sent again, with the same idempotency key (Message-ID / Idempotency-Key).
3. Record: ``sent``, or ``failed`` with the error and the time of the next try (exponential
   backoff), or ``given_up`` after the last allowed attempt. The record only counts if the claim
   token is still ours, so a process that outlived its lease cannot overwrite a newer claim.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

from sqlalchemy import Connection, Engine, RowMapping, and_, or_, select

from notifications.channels import Channel, Outgoing
from notifications.config import RetryPolicy
from notifications.tables import attempts, deliveries, messages
from projections.transactions import writing
from projections.view import moment

log = logging.getLogger("dutyloop.notify")
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0
    given_up: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.sent + other.sent, self.failed + other.failed, self.given_up + other.given_up)


@dataclass(frozen=True)
class Claimed:
    delivery_id: str
    channel: str
    attempt: int
    limit: int
    token: str
    started_at: str
    outgoing: Outgoing


class Dispatcher:
    def __init__(
        self,
        engine: Engine,
        channels: Mapping[str, Channel],
        retry: RetryPolicy,
        locale: str = "zh-CN",
        now: Clock = utc_now,
        before_send: Callable[[Claimed], None] | None = None,
        after_send: Callable[[Claimed], None] | None = None,
        batch_size: int = 50,
    ) -> None:
        """``before_send`` runs between a claim and its send, ``after_send`` between a send and
        its record: the crash tests stop the process there, in the gaps the design must survive."""
        self.engine = engine
        self.channels = channels
        self.retry = retry
        self.locale = locale
        self.now = now
        self.before_send = before_send
        self.after_send = after_send
        self.batch_size = batch_size

    def deliver_due(self) -> Tally:
        """Send every delivery that is due now, until none is left; returns what happened."""
        total = Tally()
        while True:
            due = self._due()
            if not due:
                return total
            for delivery_id in due:
                claimed = self.claim(delivery_id)
                if claimed is not None:
                    total = total + self.send(claimed)

    def _due(self) -> list[str]:
        now = moment(self.now())
        query = (
            select(deliveries.c.delivery_id)
            .where(
                deliveries.c.channel.in_(list(self.channels)),
                or_(
                    and_(deliveries.c.status.in_(("queued", "failed")), deliveries.c.next_attempt_at <= now),
                    and_(deliveries.c.status == "sending", deliveries.c.lease_until < now),
                ),
            )
            .order_by(deliveries.c.next_attempt_at, deliveries.c.delivery_id)
            .limit(self.batch_size)
        )
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(query)]

    def claim(self, delivery_id: str) -> Claimed | None:
        """Take the row for this process, or ``None`` if it is not due or someone else has it."""
        now_at = self.now()
        now = moment(now_at)
        token = uuid4().hex
        with writing(self.engine).begin() as conn:
            row = self._locked(conn, delivery_id)
            if row is None or not _is_due(row, now):
                return None
            if row["status"] == "sending":
                conn.execute(attempts.insert().values(
                    delivery_id=delivery_id, attempt=row["attempts"], started_at=row["claimed_at"], finished_at=now,
                    outcome="interrupted",
                    error="the sender stopped after claiming; whether it sent is unknown (lease ran out)",
                ))
                if row["attempts"] >= self._limit(row):
                    conn.execute(deliveries.update().where(
                        deliveries.c.delivery_id == delivery_id, deliveries.c.claim == row["claim"],
                    ).values(status="given_up", lease_until=None, claim=None,
                             last_error="interrupted on the last allowed attempt"))
                    return None
            taken = conn.execute(
                deliveries.update()
                .where(deliveries.c.delivery_id == delivery_id, deliveries.c.status == row["status"],
                       deliveries.c.attempts == row["attempts"])
                .values(status="sending", attempts=row["attempts"] + 1, claim=token, claimed_at=now,
                        lease_until=moment(now_at + self.retry.lease))
            )
            if taken.rowcount != 1:
                return None
        out = Outgoing(key=delivery_id, address=row["address"], recipient_name=row["recipient_name"],
                       subject=row["subject"], body=row["body"], markdown=row["markdown"], secret=row["secret"],
                       locale=self.locale)
        return Claimed(delivery_id, row["channel"], row["attempts"] + 1, self._limit(row), token, now, out)

    def _limit(self, row: RowMapping) -> int:
        return int(row["allowed"]) if row["allowed"] is not None else self.retry.max_attempts

    def requeue(self, delivery_id: str) -> bool:
        """An administrator's second chance for a delivery that was given up (the server is back,
        the robot's key renewed): queued now, with a fresh round of attempts."""
        with writing(self.engine).begin() as conn:
            moved = conn.execute(
                deliveries.update()
                .where(deliveries.c.delivery_id == delivery_id, deliveries.c.status == "given_up")
                .values(status="queued", next_attempt_at=moment(self.now()),
                        allowed=deliveries.c.attempts + self.retry.max_attempts)
            )
        return moved.rowcount == 1

    @staticmethod
    def _locked(conn: Connection, delivery_id: str) -> RowMapping | None:
        """The row, read under the write lock, so nobody changes it between this read and our
        write: PostgreSQL locks the row; on SQLite the transaction began with the write lock."""
        query = (
            select(deliveries, messages.c.subject, messages.c.body, messages.c.markdown, messages.c.recipient_name)
            .join(messages, messages.c.message_id == deliveries.c.message_id)
            .where(deliveries.c.delivery_id == delivery_id)
            .with_for_update(of=deliveries)
        )
        return conn.execute(query).mappings().first()

    def send(self, claimed: Claimed) -> Tally:
        if self.before_send is not None:
            self.before_send(claimed)
        try:
            self.channels[claimed.channel].send(claimed.outgoing)
        except Exception as error:  # noqa: BLE001 - any failure to send is recorded and retried
            return self._record_failure(claimed, f"{error}"[:2000] or type(error).__name__)
        if self.after_send is not None:
            self.after_send(claimed)
        return self._record_sent(claimed)

    def _record_sent(self, claimed: Claimed) -> Tally:
        now = moment(self.now())
        with writing(self.engine).begin() as conn:
            moved = conn.execute(
                deliveries.update()
                .where(deliveries.c.delivery_id == claimed.delivery_id, deliveries.c.claim == claimed.token)
                .values(status="sent", sent_at=now, lease_until=None, claim=None, last_error=None)
            )
            if moved.rowcount != 1:
                log.warning("delivery %s was sent but its lease had run out and was claimed again",
                            claimed.delivery_id)
                return Tally(sent=1)
            conn.execute(attempts.insert().values(delivery_id=claimed.delivery_id, attempt=claimed.attempt,
                                                  started_at=claimed.started_at, finished_at=now, outcome="sent"))
        return Tally(sent=1)

    def _record_failure(self, claimed: Claimed, error: str) -> Tally:
        now_at = self.now()
        now = moment(now_at)
        last = claimed.attempt >= claimed.limit
        values = {"status": "given_up" if last else "failed", "last_error": error, "lease_until": None, "claim": None}
        if not last:
            values["next_attempt_at"] = moment(now_at + self.retry.delay_after(claimed.attempt))
        with writing(self.engine).begin() as conn:
            moved = conn.execute(
                deliveries.update()
                .where(deliveries.c.delivery_id == claimed.delivery_id, deliveries.c.claim == claimed.token)
                .values(**values)
            )
            if moved.rowcount == 1:
                conn.execute(attempts.insert().values(delivery_id=claimed.delivery_id, attempt=claimed.attempt,
                                                      started_at=claimed.started_at, finished_at=now,
                                                      outcome="failed", error=error))
        log.warning("delivery %s (%s) attempt %d failed: %s", claimed.delivery_id, claimed.channel, claimed.attempt, error)
        return Tally(given_up=1) if last else Tally(failed=1)


def _is_due(row: RowMapping, now: str) -> bool:
    if row["status"] in ("queued", "failed"):
        return str(row["next_attempt_at"]) <= now
    return row["status"] == "sending" and row["lease_until"] is not None and str(row["lease_until"]) < now
