"""Personal tokens: an API token a program sends as ``Authorization: Bearer …``, and the secret in
a person's calendar feed address. Both are credentials, not facts of the domain, so they live in
a table beside the events (never in the event log), and only as a SHA-256 hash: a token is 32
random bytes, too long to guess, so a fast hash is enough and a stolen table reveals no token.

A token is shown once, when it is made; the person or an administrator can revoke it at any time,
and a revoked token is refused from that moment. Removing a person's account stops their tokens.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

from sqlalchemy import Column, Engine, Index, MetaData, String, Table, Text, insert, select, update
from sqlalchemy.exc import DBAPIError

from domain.errors import DomainError, NotFound
from projections.transactions import is_busy, writing

log = logging.getLogger(__name__)
LAST_USED_RESOLUTION = timedelta(minutes=1)

metadata = MetaData()

tokens = Table(
    "web_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    # A short public name for listing and revoking; it reveals nothing of the secret.
    Column("token_id", String(12), nullable=False, unique=True),
    Column("person_id", String(32), nullable=False),
    Column("purpose", String(10), nullable=False),
    Column("label", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("created_by", String(40), nullable=False),
    Column("last_used_at", String(32)),
    Column("revoked_at", String(32)),
)
Index("ix_web_tokens_person", tokens.c.person_id, tokens.c.purpose)


class Purpose(str, Enum):
    API = "api"
    """Acts as the person through the JSON API."""
    CALENDAR = "calendar"
    """Reads the person's calendar feed, nothing else."""


PREFIX = {Purpose.API: "dlp_", Purpose.CALENDAR: "dlc_"}


@dataclass(frozen=True)
class Issued:
    token_id: str
    secret: str
    """The whole token; shown to the person once and never stored."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Tokens:
    def __init__(self, engine: Engine, now: Callable[[], datetime] = _utc_now) -> None:
        self.engine = engine
        self.now = now

    def create_tables(self) -> None:
        metadata.create_all(writing(self.engine))

    def issue(self, person_id: str, purpose: Purpose, label: str, created_by: str) -> Issued:
        secret = PREFIX[purpose] + secrets.token_urlsafe(32)
        token_id = secrets.token_hex(4)
        with writing(self.engine).begin() as conn:
            conn.execute(insert(tokens).values(
                token_hash=digest(secret), token_id=token_id, person_id=person_id, purpose=purpose.value,
                label=label.strip(), created_at=self.now().isoformat(), created_by=created_by,
            ))
        return Issued(token_id, secret)

    def person_of(self, secret: str, purpose: Purpose) -> str | None:
        """Whose token this is, if it is one of ours for this purpose and not revoked."""
        if not secret.startswith(PREFIX[purpose]):
            return None
        key = digest(secret)
        with self.engine.connect() as conn:
            row = conn.execute(
                select(tokens.c.person_id, tokens.c.last_used_at)
                .where(tokens.c.token_hash == key, tokens.c.purpose == purpose.value, tokens.c.revoked_at.is_(None))
            ).first()
        if row is None:
            return None
        self._note_use(key, row.last_used_at)
        return str(row.person_id)

    def _note_use(self, key: str, last_used_at: str | None) -> None:
        """Bookkeeping for the owner's token list, best effort: written at most once a minute per
        token (a program polling the API would otherwise queue a write behind every command), and
        skipped when the database is too busy to take it. It never fails the request."""
        now = self.now()
        if last_used_at is not None and now - datetime.fromisoformat(last_used_at) < LAST_USED_RESOLUTION:
            return
        try:
            with writing(self.engine).begin() as conn:
                conn.execute(update(tokens).where(tokens.c.token_hash == key).values(last_used_at=now.isoformat()))
        except DBAPIError as error:
            if not is_busy(error):
                raise
            log.info("token use not noted: the database was busy")

    def listing(self, person_id: str | None = None, purpose: Purpose | None = None, include_revoked: bool = False) -> list[dict[str, object]]:
        query = select(
            tokens.c.token_id, tokens.c.person_id, tokens.c.purpose, tokens.c.label, tokens.c.created_at,
            tokens.c.created_by, tokens.c.last_used_at, tokens.c.revoked_at,
        ).order_by(tokens.c.created_at)
        if person_id is not None:
            query = query.where(tokens.c.person_id == person_id)
        if purpose is not None:
            query = query.where(tokens.c.purpose == purpose.value)
        if not include_revoked:
            query = query.where(tokens.c.revoked_at.is_(None))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def revoke(self, token_id: str, person_id: str | None = None) -> None:
        """Revoke one token (only the person's own when ``person_id`` is given)."""
        where = [tokens.c.token_id == token_id.strip()]
        if person_id is not None:
            where.append(tokens.c.person_id == person_id)
        with writing(self.engine).begin() as conn:
            row = conn.execute(select(tokens.c.revoked_at).where(*where)).first()
            if row is None:
                raise NotFound("token", token_id)
            if row.revoked_at is not None:
                raise DomainError("wrong_state", what="token", state="revoked", action="revoke")
            conn.execute(update(tokens).where(*where).values(revoked_at=self.now().isoformat()))

    def revoke_all(self, person_id: str, purpose: Purpose) -> int:
        with writing(self.engine).begin() as conn:
            return conn.execute(
                update(tokens)
                .where(tokens.c.person_id == person_id, tokens.c.purpose == purpose.value, tokens.c.revoked_at.is_(None))
                .values(revoked_at=self.now().isoformat())
            ).rowcount
