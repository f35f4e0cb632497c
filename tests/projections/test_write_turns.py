"""Runners that write side by side take turns: one refused the turn reads on into the same batch
and commits it all at once, with the same rows a rebuild gives; the file lock behind the turns
hands a waiting runner its turn before one that asks again at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from views_support import differences, view_contents

from domain.clock import SystemClock
from dutyloop.wiring import System, open_view_runner
from projections.runner import PAGES_WHILE_WAITING, VIEW_NAMES
from projections.turns import FileTurns


@pytest.fixture
def backend() -> str:
    """Turns are taken on SQLite only: PostgreSQL's runners lock only their own views' rows."""
    return "sqlite"


def test_a_refused_turn_is_refused_at_once_and_given_when_freed(tmp_path: Path) -> None:
    first, second = FileTurns(tmp_path / "turns"), FileTurns(tmp_path / "turns")
    assert first.take(wait=False)
    assert not second.take(wait=False)
    first.give()
    assert second.take(wait=False)
    assert not first.take(wait=False)
    second.give()


def test_a_runner_that_asks_again_at_once_lets_a_waiting_one_go_first(tmp_path: Path) -> None:
    builder, writer = FileTurns(tmp_path / "turns"), FileTurns(tmp_path / "turns")
    assert builder.take(wait=True)
    assert not writer.take(wait=False)
    handed_over = threading.Event()

    def give_then_ask_again() -> None:
        builder.give(to_waiting=True)
        handed_over.set()
        builder.take(wait=True)
        builder.give()

    thread = threading.Thread(target=give_then_ask_again)
    thread.start()
    assert not handed_over.wait(0.3), "the builder went on while a refused runner still waited"
    assert writer.take(wait=False)
    assert handed_over.wait(5)
    time.sleep(0.1)
    writer.give()
    thread.join(5)
    assert not thread.is_alive()


def test_a_runner_refused_the_turn_reads_on_and_commits_the_pages_together(recorded: System) -> None:
    head = recorded.views.head()
    recorded.views.rebuild()
    clean = view_contents(recorded.engine)
    recorded.views.reset()
    worker = open_view_runner(recorded.settings, SystemClock(recorded.settings.timezone), list(VIEW_NAMES))
    worker.views.batch_size = 10
    other = FileTurns(recorded.settings.data_dir / "dutyloop.db.rebuild-lock")
    assert other.take(wait=True)
    commits: list[int] = []
    runner = threading.Thread(target=lambda: worker.views.catch_up(progress=lambda _, position: commits.append(position)))
    try:
        runner.start()
        time.sleep(1.0)
        assert commits == [], "nothing is written while another runner has the turn"
    finally:
        other.give()
    runner.join(60)
    worker.close()
    assert commits[0] == min(head, 10 * PAGES_WHILE_WAITING), "the pages read while refused went in one transaction"
    assert commits[-1] == head
    assert recorded.views.positions() == {name: head for name in VIEW_NAMES}
    recorded.views.restore_indexes(recorded.views.views)
    assert not differences(view_contents(recorded.engine), clean)
