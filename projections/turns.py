"""How runners that write side by side take turns at the database.

A runner holds its turn only while it writes a batch. One that finds the turn taken need not sit
idle: it reads and applies the next page of the log to the same batch and asks again, so the time
another runner spends writing becomes its own reading time.
"""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import IO, Protocol


class WriteTurns(Protocol):
    def take(self, wait: bool) -> bool:
        """Take the turn; without ``wait``, False at once when another runner has it."""

    def give(self, to_waiting: bool = False) -> None:
        """Let the next runner write (also said by a runner that failed before it had the turn).
        ``to_waiting``: a runner that will ask again at once (one
        building index after index) first lets a runner that asked meanwhile have its turn."""


class OwnTurns:
    """A runner alone, or on PostgreSQL, where runners over different views lock only their own
    rows: the turn is always free."""

    def take(self, wait: bool) -> bool:
        return True

    def give(self, to_waiting: bool = False) -> None:
        return None


class FileTurns:
    """Turns among processes through locks on two files beside an SQLite database.

    SQLite takes one writer at a time, and a writer that finds it taken sleeps in growing steps of
    up to 100 ms before it looks again; a waiter on a file lock wakes as soon as the holder gives
    the turn. A runner that was refused the turn holds a shared lock on the second file until it
    gets it, so a runner that gives and would take again at once can see that someone is waiting
    and wait until they have had their turn."""

    def __init__(self, path: Path) -> None:
        self.paths = (path, path.with_name(path.name + "-waiting"))
        self._files: tuple[IO[str], IO[str]] | None = None
        self._waiting = False

    def _open(self) -> tuple[IO[str], IO[str]]:
        if self._files is None:
            # Open for the runner's life: a lock belongs to the open file.
            self._files = (open(self.paths[0], "a"), open(self.paths[1], "a"))  # noqa: SIM115
        return self._files

    def take(self, wait: bool) -> bool:
        turn, waiting = self._open()
        try:
            fcntl.flock(turn, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not self._waiting:
                fcntl.flock(waiting, fcntl.LOCK_SH)
                self._waiting = True
            if not wait:
                return False
            fcntl.flock(turn, fcntl.LOCK_EX)
        if self._waiting:
            fcntl.flock(waiting, fcntl.LOCK_UN)
            self._waiting = False
        return True

    def give(self, to_waiting: bool = False) -> None:
        """Also after a failure before the turn was taken: no longer waiting either."""
        turn, waiting = self._open()
        fcntl.flock(turn, fcntl.LOCK_UN)
        if self._waiting:
            fcntl.flock(waiting, fcntl.LOCK_UN)
            self._waiting = False
        if to_waiting:
            # Granted once every runner that was refused has since taken its turn.
            fcntl.flock(waiting, fcntl.LOCK_EX)
            fcntl.flock(waiting, fcntl.LOCK_UN)
