"""The read-ahead hands out the log's pages in order, raises a failed read where the runner reads,
and stops its thread when closed, even while a page is waiting to be taken."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from projections.readahead import Page, ReadAhead


def _pages_of(log: list[int], size: int) -> tuple[list[int], Callable[[int], Page | None]]:
    """A log of positions read ``size`` at a time; the positions each read started after."""
    read_after: list[int] = []

    def read(after: int) -> Page | None:
        read_after.append(after)
        page = [n for n in log if n > after][:size]
        return (page, page[-1], len(page)) if page else None

    return read_after, read


def test_pages_come_in_order_to_the_end() -> None:
    read_after, read = _pages_of(list(range(1, 24)), 5)
    ahead = ReadAhead(read, 3)
    taken = []
    while (page := ahead.next()) is not None:
        taken.append(page[0])
        assert ahead.position == page[1]
    ahead.close()
    assert taken == [list(range(4, 9)), list(range(9, 14)), list(range(14, 19)), list(range(19, 24))]
    assert read_after == [3, 8, 13, 18, 23]


def test_a_failed_read_is_raised_to_the_reader() -> None:
    def read(after: int) -> Page | None:
        if after >= 10:
            raise RuntimeError("the database went away")
        return ([after + 1], after + 5, 5)

    ahead = ReadAhead(read, 0)
    assert ahead.next() == ([1], 5, 5)
    assert ahead.next() == ([6], 10, 5)
    with pytest.raises(RuntimeError, match="went away"):
        ahead.next()
    ahead.close()


def test_closing_stops_the_thread_while_it_waits_to_hand_a_page_over() -> None:
    endless = threading.Event()

    def read(after: int) -> Page | None:
        endless.set()
        return ([after + 1], after + 1, 1)

    ahead = ReadAhead(read, 0)
    assert endless.wait(5)
    ahead.close()
    assert not any(t.name == "log-read-ahead" and t.is_alive() for t in threading.enumerate())
