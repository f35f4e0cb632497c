"""Reading the next pages of the log while the current one is written.

A long catch-up (a rebuild) alternates between Python work (reading and decoding a page, the
views' handlers) and the database's own work (writing the batch, committing, waiting for the
write lock), during which Python's interpreter lock is free. A thread that reads and decodes the
following pages meanwhile fills that time: the views' rows and positions are still written by
the runner alone, in order, exactly as without it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

Page = tuple[list[Any], int, int]
"""(the decoded events a view handles, the last position read, how many events were read)."""

ReadPage = Callable[[int], Page | None]
"""Reads and decodes the page after a position; None at the end of the log."""

_AHEAD = 1
"""Pages kept ready beyond the one being written: memory stays a few batches."""


class ReadAhead:
    def __init__(self, read: ReadPage, after: int) -> None:
        self.position = after
        """Where the next page handed out begins (after this position)."""
        self._read = read
        self._pages: queue.Queue[Page | BaseException | None] = queue.Queue(maxsize=_AHEAD)
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(after,), name="log-read-ahead", daemon=True)
        self._thread.start()

    def next(self) -> Page | None:
        """The next page in order, or None at the end of the log; an error reading it is raised here."""
        item = self._pages.get()
        if isinstance(item, BaseException):
            raise item
        if item is not None:
            self.position = item[1]
        return item

    def close(self) -> None:
        self._closed.set()
        while self._thread.is_alive():
            try:
                self._pages.get(timeout=0.05)
            except queue.Empty:
                pass
        self._thread.join()

    def _run(self, after: int) -> None:
        try:
            while not self._closed.is_set():
                page = self._read(after)
                self._put(page)
                if page is None:
                    return
                after = page[1]
        except BaseException as error:  # noqa: BLE001 - handed to the reading thread, which raises it
            self._put(error)

    def _put(self, item: Page | BaseException | None) -> None:
        while not self._closed.is_set():
            try:
                self._pages.put(item, timeout=0.05)
                return
            except queue.Full:
                continue
