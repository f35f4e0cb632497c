"""The rebuild split among worker processes: the same rows as one process gives, on both backends;
a worker that fails leaves views a catch-up completes; and the command line's ``--workers``."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from dutyloop.rebuild import Rebuild, RebuildFailed, split
from dutyloop.wiring import System
from projections.runner import VIEW_CLASSES, VIEW_NAMES
from projections.tables import reminders
from views_support import Cli, differences, view_contents


def test_workers_give_the_same_views_as_one_process(recorded: System) -> None:
    head = recorded.views.head()
    one = Rebuild(recorded, workers=1)
    count, _ = one.run()
    assert count == head
    single = view_contents(recorded.engine)
    marks: list[tuple[int, int]] = []
    job = Rebuild(recorded, workers=3)
    count, seconds = job.run(progress=lambda applied, position: marks.append((applied, position)))
    assert count == head and seconds > 0
    assert not differences(view_contents(recorded.engine), single)
    assert recorded.views.positions() == {name: head for name in VIEW_NAMES}
    assert marks and marks[-1][1] == head
    assert [position for _, position in marks] == sorted(position for _, position in marks)
    assert len(job.worker_peak_mb) == 3 and all(mb > 0 for mb in job.worker_peak_mb.values())


def test_every_index_is_back_after_a_parallel_rebuild(recorded: System) -> None:
    Rebuild(recorded, workers=2).run()
    expected = {index.name for cls in VIEW_CLASSES for table in cls.tables for index in table.indexes}
    with recorded.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            expected.discard("ix_search_tokens")  # PostgreSQL's pair index: SQLite keeps its own in FTS5
            found = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'"))}
        else:
            found = {r[0] for r in conn.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"))}
    assert expected <= found, expected - found


def test_a_failed_worker_is_named_and_a_catch_up_completes_its_views(
    recorded: System, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = recorded.views.head()
    recorded.views.rebuild()
    clean = view_contents(recorded.engine)
    reset = recorded.views.reset

    def reset_then_lose_a_table(names: list[str] | None = None) -> object:
        """The reminders view's table disappears under the rebuild: its worker cannot write."""
        chosen = reset(names)
        with recorded.engine.begin() as conn:
            reminders.drop(conn)
        return chosen

    monkeypatch.setattr(recorded.views, "reset", reset_then_lose_a_table)
    with pytest.raises(RebuildFailed) as failed:
        Rebuild(recorded, workers=2).run()
    monkeypatch.undo()
    message = str(failed.value)
    assert "reminders" in message and "view_reminders" in message, message
    positions = recorded.views.positions()
    assert positions["reminders"] < head
    assert any(position == head for position in positions.values()), "the other worker's views reached the end"

    recorded.views.create_tables()
    recorded.views.catch_up()
    assert not differences(view_contents(recorded.engine), clean)


def test_views_are_split_by_cost_each_once() -> None:
    views = [cls() for cls in VIEW_CLASSES]
    for workers in (1, 2, 3, 8, 20):
        groups = split(views, workers)
        assert len(groups) == min(workers, len(views))
        names = sorted(view.name for group in groups for view in group)
        assert names == sorted(VIEW_NAMES)
    two = split(views, 2)
    costs = sorted(sum(view.cost for view in group) for group in two)
    assert costs[1] - costs[0] <= max(view.cost for view in views)


def test_cli_rebuild_with_workers(cli: Cli, recorded: System) -> None:
    head = recorded.views.head()
    before = view_contents(recorded.engine)
    result = cli("--as", "A001", "rebuild", "--workers", "2")
    assert result.exit_code == 0, result.output
    assert f"已重建 all：{head} 个事件" in result.stdout
    assert not differences(view_contents(recorded.engine), before)
    refused = cli("--as", "A001", "rebuild", "--workers", "0")
    assert refused.exit_code != 0 and "--workers" in refused.output
