"""Login accounts: a person of the directory, a staff number to log in with, an argon2 hash.

An account belongs to a person the domain knows; what that person may do comes from their roles
in the domain, never from the account.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select, update

from domain.errors import DomainError
from dutyloop.web.tables import accounts, metadata, sessions
from dutyloop.web.tokens import metadata as token_metadata
from dutyloop.web.tokens import tokens

MIN_PASSWORD = 8
MAX_FAILURES = 5
LOCK_MINUTES = 15
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the staff number is unknown, so a wrong name costs as long as
    a wrong password and the timing does not tell which staff numbers exist. Made with the first
    ``Accounts``, not on import: every CLI command imports this module and paid a hash to start."""
    return _hasher.hash(secrets.token_hex(8))


@dataclass(frozen=True)
class Account:
    person_id: str
    staff_no: str
    revision: int


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Accounts:
    def __init__(self, engine: Engine, now: Callable[[], datetime] = _utc_now) -> None:
        self.engine = engine
        self.now = now
        _dummy_hash()  # made with the accounts, so even the first unknown staff number costs a verify only

    def create_tables(self) -> None:
        metadata.create_all(self.engine)
        token_metadata.create_all(self.engine)

    def set_password(self, person_id: str, staff_no: str, password: str) -> Account:
        """Create the account or change its password (which ends the person's other sessions)."""
        if len(password) < MIN_PASSWORD:
            raise DomainError("invalid_value", field="password", value="*" * len(password), allowed=[f">= {MIN_PASSWORD}"])
        return self._store(person_id, staff_no, _hasher.hash(password))

    def _store(self, person_id: str, staff_no: str, password_hash: str) -> Account:
        now = self.now().isoformat()
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.person_id == person_id))
            row = conn.execute(select(accounts.c.revision).where(accounts.c.person_id == person_id)).first()
            if row is None:
                conn.execute(insert(accounts).values(
                    person_id=person_id, staff_no=staff_no, password_hash=password_hash, revision=1, updated_at=now,
                    failed_logins=0, locked_until=None,
                ))
                return Account(person_id, staff_no, 1)
            conn.execute(update(accounts).where(accounts.c.person_id == person_id).values(
                staff_no=staff_no, password_hash=password_hash, revision=row.revision + 1, updated_at=now,
                failed_logins=0, locked_until=None,
            ))
            return Account(person_id, staff_no, row.revision + 1)

    def give_missing(self, people: list[tuple[str, str]], password: str) -> int:
        """Accounts with one shared password for every listed (person id, staff number) without
        one: the demo's people. One hash serves them all, so a demo of hundreds starts at once."""
        shared = _hasher.hash(password)
        with self.engine.connect() as conn:
            present = {r[0] for r in conn.execute(select(accounts.c.person_id))}
        missing = [(pid, staff) for pid, staff in people if pid not in present]
        for pid, staff in missing:
            self._store(pid, staff, shared)
        return len(missing)

    def remove(self, person_id: str) -> bool:
        """The account gone with every session and token of the person, so that none of them
        comes back to life if an account is made for the person again."""
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.person_id == person_id))
            conn.execute(update(tokens).where(tokens.c.person_id == person_id, tokens.c.revoked_at.is_(None))
                         .values(revoked_at=self.now().isoformat()))
            return conn.execute(delete(accounts).where(accounts.c.person_id == person_id)).rowcount > 0

    def authenticate(self, staff_no: str, password: str) -> Account | None:
        """The account, if the password is right and the account is not locked. Five wrong
        passwords in a row lock it for fifteen minutes (against guessing); a right one, or a
        new password set by an administrator, starts the count again."""
        with self.engine.connect() as conn:
            row = conn.execute(select(accounts).where(accounts.c.staff_no == staff_no.strip())).mappings().first()
        try:
            _hasher.verify(row["password_hash"] if row else _dummy_hash(), password)
            right = True
        except (VerificationError, InvalidHashError):
            right = False
        if row is None:
            return None
        now = self.now()
        if row["locked_until"] and datetime.fromisoformat(row["locked_until"]) > now:
            return None
        with self.engine.begin() as conn:
            where = accounts.c.person_id == row["person_id"]
            if right:
                conn.execute(update(accounts).where(where).values(failed_logins=0, locked_until=None))
                return Account(row["person_id"], row["staff_no"], row["revision"])
            failures = (row["failed_logins"] or 0) + 1
            locked = (now + timedelta(minutes=LOCK_MINUTES)).isoformat() if failures >= MAX_FAILURES else None
            conn.execute(update(accounts).where(where).values(failed_logins=0 if locked else failures, locked_until=locked))
        return None

    def current(self, person_id: str) -> Account | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(accounts).where(accounts.c.person_id == person_id)).mappings().first()
        return Account(row["person_id"], row["staff_no"], row["revision"]) if row else None

    def listing(self) -> list[dict[str, object]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(accounts.c.person_id, accounts.c.staff_no, accounts.c.revision, accounts.c.updated_at)
                .order_by(accounts.c.staff_no)
            ).mappings()
            return [dict(r) for r in rows]
