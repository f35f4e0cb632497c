"""Guessing a password in parallel cannot get around the lock-out (issue 18.3): every attempt is
counted before its password is checked, so forty wrong guesses sent at once lock the account
as five sent one after another do, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC

from argon2 import PasswordHasher

from domain.clock import ManualClock
from dutyloop.web.accounts import LOCK_MINUTES, Accounts
from dutyloop.wiring import System

PASSWORD = "the-right-password"
GUESSES = 40
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
"""Real argon2 at a cost forty guesses can pay in a test (the defaults take a second each on a
busy CI machine); the counting under test does not depend on the cost."""


def _accounts(system: System, clock: ManualClock) -> Accounts:
    accounts = Accounts(system.engine, now=lambda: clock.now().astimezone(UTC), hasher=CHEAP)
    accounts.create_tables()
    accounts.set_password("0" * 32, "S0001", PASSWORD)
    return accounts


def _guess_all_at_once(accounts: Accounts, passwords: list[str]) -> list[bool]:
    start = threading.Barrier(len(passwords))

    def guess(password: str) -> bool:
        start.wait()
        return accounts.authenticate("S0001", password) is not None

    with ThreadPoolExecutor(len(passwords)) as pool:
        return list(pool.map(guess, passwords))


def test_forty_parallel_wrong_passwords_lock_the_account(system: System, clock: ManualClock) -> None:
    accounts = _accounts(system, clock)
    assert not any(_guess_all_at_once(accounts, [f"wrong-{n}" for n in range(GUESSES)]))
    assert accounts.authenticate("S0001", PASSWORD) is None, "the right password is refused while locked"
    assert accounts.authenticate("S0001", "late-wrong") is None
    clock.advance(minutes=LOCK_MINUTES - 1)
    assert accounts.authenticate("S0001", PASSWORD) is None, "a late wrong guess neither cleared nor shortened the lock"
    clock.advance(minutes=2)
    assert accounts.authenticate("S0001", PASSWORD) is not None, "the lock ends after its fifteen minutes"


def test_the_right_password_among_parallel_guesses_never_clears_the_lock(system: System, clock: ManualClock) -> None:
    accounts = _accounts(system, clock)
    outcomes = _guess_all_at_once(accounts, [PASSWORD, *(f"wrong-{n}" for n in range(GUESSES - 1))])
    assert sum(outcomes) <= 1
    assert accounts.authenticate("S0001", PASSWORD) is None, "39 wrong guesses locked the account whatever the right one did"


def test_four_wrong_then_the_right_one_still_logs_in(system: System, clock: ManualClock) -> None:
    accounts = _accounts(system, clock)
    for n in range(4):
        assert accounts.authenticate("S0001", f"wrong-{n}") is None
    assert accounts.authenticate("S0001", PASSWORD) is not None
    for n in range(4):
        assert accounts.authenticate("S0001", f"wrong-again-{n}") is None
    assert accounts.authenticate("S0001", PASSWORD) is not None, "a right password started the count again"
