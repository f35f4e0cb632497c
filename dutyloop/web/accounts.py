"""Login accounts: a person of the directory, a staff number to log in with, an argon2 hash.

An account belongs to a person the domain knows; what that person may do comes from their roles
in the domain, never from the account.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, delete, insert, select, update

from domain.errors import DomainError
from dutyloop.web.tables import accounts, metadata, sessions
from dutyloop.web.tokens import metadata as token_metadata
from dutyloop.web.tokens import tokens
from projections.transactions import writing

MIN_PASSWORD = 8
MAX_FAILURES = 5
LOCK_MINUTES = 15
_hasher = PasswordHasher()
COMPANY_ONLY = "company-sign-in-only"
"""The password hash of an account made by a company sign-in: no argon2 hash, so no password
matches it."""


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


@dataclass(frozen=True)
class _Attempt:
    account: Account
    password_hash: str
    number: int


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _verifies(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _locked(row: Any, now: datetime) -> bool:
    return bool(row["locked_until"]) and datetime.fromisoformat(row["locked_until"]) > now


class Accounts:
    def __init__(
        self, engine: Engine, now: Callable[[], datetime] = _utc_now, hasher: PasswordHasher | None = None
    ) -> None:
        """``hasher``: argon2 with other costs than the library's defaults (a test that sends
        dozens of guesses); the unknown-staff-number stand-in is hashed with the same costs."""
        self.engine = engine
        self.now = now
        self.hasher = hasher or _hasher
        self._dummy_hash = _dummy_hash() if hasher is None else hasher.hash(secrets.token_hex(8))

    def create_tables(self) -> None:
        metadata.create_all(writing(self.engine))
        token_metadata.create_all(writing(self.engine))

    def set_password(self, person_id: str, staff_no: str, password: str) -> Account:
        """Create the account or change its password (which ends the person's other sessions)."""
        if len(password) < MIN_PASSWORD:
            raise DomainError("invalid_value", field="password", value="*" * len(password), allowed=[f">= {MIN_PASSWORD}"])
        return self._store(person_id, staff_no, self.hasher.hash(password))

    def _store(self, person_id: str, staff_no: str, password_hash: str) -> Account:
        now = self.now().isoformat()
        with writing(self.engine).begin() as conn:
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

    def for_company_sign_in(self, person_id: str, staff_no: str) -> Account:
        """The person's account, made at their first company sign-in if they have none: with no
        password (``COMPANY_ONLY`` verifies none), it is what their sessions, API and calendar
        tokens hang on, listed and removed as any other. An account they already have is kept
        as it is, password and all."""
        current = self.current(person_id)
        return current if current is not None else self._store(person_id, staff_no, COMPANY_ONLY)

    def give_missing(self, people: list[tuple[str, str]], password: str) -> int:
        """Accounts with one shared password for every listed (person id, staff number) without
        one: the demo's people. One hash serves them all, so a demo of hundreds starts at once."""
        shared = self.hasher.hash(password)
        with self.engine.connect() as conn:
            present = {r[0] for r in conn.execute(select(accounts.c.person_id))}
        missing = [(pid, staff) for pid, staff in people if pid not in present]
        for pid, staff in missing:
            self._store(pid, staff, shared)
        return len(missing)

    def remove(self, person_id: str) -> bool:
        """The account gone with every session and token of the person, so that none of them
        comes back to life if an account is made for the person again."""
        with writing(self.engine).begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.person_id == person_id))
            conn.execute(update(tokens).where(tokens.c.person_id == person_id, tokens.c.revoked_at.is_(None))
                         .values(revoked_at=self.now().isoformat()))
            return conn.execute(delete(accounts).where(accounts.c.person_id == person_id)).rowcount > 0

    def authenticate(self, staff_no: str, password: str) -> Account | None:
        """The account, if the password is right and the account is not locked. Five wrong
        passwords in a row lock it for fifteen minutes (against guessing); a right one, or a
        new password set by an administrator, starts the count again.

        Each attempt is counted before its password is checked, under the row's write lock, so
        guesses sent in parallel cannot all read the same count: the fifth wrong one locks the
        account, and so does a sixth sent while five are still being checked (refused unchecked; a
        process killed mid-check cannot leave the count stuck). A right password clears the count
        but never a lock set meanwhile; a wrong one only ever adds."""
        now = self.now()
        attempt = self._count_attempt(staff_no.strip(), now)
        right = _verifies(self.hasher, attempt.password_hash if attempt else self._dummy_hash, password)
        if attempt is None:
            return None
        if right:
            return self._succeeded(attempt, now)
        if attempt.number >= MAX_FAILURES:
            with writing(self.engine).begin() as conn:
                self._lock(conn, attempt.account.person_id, now)
        return None

    @staticmethod
    def _lock(conn: Connection, person_id: str, now: datetime) -> None:
        conn.execute(update(accounts).where(accounts.c.person_id == person_id).values(
            failed_logins=0, locked_until=(now + timedelta(minutes=LOCK_MINUTES)).isoformat(),
        ))

    def _count_attempt(self, staff_no: str, now: datetime) -> _Attempt | None:
        """The attempt's number in the current run of failures, counted; None when the account is
        unknown or locked (or locked by this attempt, one too many)."""
        with writing(self.engine).begin() as conn:
            row = conn.execute(
                select(accounts).where(accounts.c.staff_no == staff_no).with_for_update()
            ).mappings().first()
            if row is None or _locked(row, now):
                return None
            number = (row["failed_logins"] or 0) + 1
            if number > MAX_FAILURES:
                self._lock(conn, row["person_id"], now)
                return None
            conn.execute(update(accounts).where(accounts.c.person_id == row["person_id"]).values(failed_logins=number))
        return _Attempt(Account(row["person_id"], row["staff_no"], row["revision"]), row["password_hash"], number)

    def _succeeded(self, attempt: _Attempt, now: datetime) -> Account | None:
        with writing(self.engine).begin() as conn:
            where = accounts.c.person_id == attempt.account.person_id
            row = conn.execute(select(accounts.c.locked_until).where(where).with_for_update()).mappings().first()
            if row is None or _locked(row, now):
                return None
            conn.execute(update(accounts).where(where).values(failed_logins=0, locked_until=None))
        return attempt.account

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
