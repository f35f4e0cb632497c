"""An upgrade that changes a view's tables: opening the database drops that view and replays it
from the events, and leaves every other view where it stood."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select, text

from domain.clock import ManualClock
from dutyloop.wiring import System, open_system
from projections.tables import positions
from views_support import differences, view_contents


def _positions(system: System) -> dict[str, int]:
    with system.engine.connect() as conn:
        return {r.name: r.position for r in conn.execute(select(positions.c.name, positions.c.position))}


def test_a_view_whose_table_changed_shape_is_replayed(recorded: System, clock: ManualClock) -> None:
    before = view_contents(recorded.engine)
    head = recorded.views.head()
    # The trail as an older release made it: with a copy of each event's fields.
    with recorded.engine.begin() as conn:
        conn.execute(text("ALTER TABLE view_trail ADD COLUMN details TEXT NOT NULL DEFAULT '{}'"))
    reopened = open_system(recorded.settings, clock)
    try:
        at = _positions(reopened)
        assert at["trail"] == 0
        assert all(position == head for name, position in at.items() if name != "trail")
        with reopened.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM view_trail")).scalar() == 0
        reopened.catch_up()
        assert differences(view_contents(reopened.engine), before) == []
    finally:
        reopened.close()


def test_views_of_the_current_shape_are_left_alone(recorded: System, clock: ManualClock) -> None:
    before = _positions(recorded)
    reopened = open_system(recorded.settings, clock)
    try:
        assert _positions(reopened) == before
    finally:
        reopened.close()


def _trail_indexes(system: System) -> dict[str, list[str]]:
    with system.engine.connect() as conn:
        return {i["name"]: list(i["column_names"]) for i in inspect(conn).get_indexes("view_trail")}


def test_an_index_an_upgrade_replaced_is_swapped_without_a_replay(recorded: System, clock: ManualClock) -> None:
    before = view_contents(recorded.engine)
    at = _positions(recorded)
    # The trail's indexes as an older release made them: by actor and organisation, then recorded time.
    with recorded.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_trail_actor_position"))
        conn.execute(text("DROP INDEX ix_trail_org_position"))
        conn.execute(text("CREATE INDEX ix_trail_actor ON view_trail (actor, recorded_at)"))
        conn.execute(text("CREATE INDEX ix_trail_org ON view_trail (org_id, recorded_at)"))
    reopened = open_system(recorded.settings, clock)
    try:
        indexes = _trail_indexes(reopened)
        assert indexes["ix_trail_actor_position"] == ["actor", "notification_id"]
        assert indexes["ix_trail_org_position"] == ["org_id", "notification_id"]
        assert "ix_trail_actor" not in indexes and "ix_trail_org" not in indexes
        assert _positions(reopened) == at
        assert differences(view_contents(reopened.engine), before) == []
    finally:
        reopened.close()


def test_a_supervisors_trail_is_read_in_index_order(recorded: System) -> None:
    if recorded.engine.dialect.name != "sqlite":
        pytest.skip("the plan asked of SQLite: whether it sorts the actor's rows")
    with recorded.engine.connect() as conn:
        someone = conn.execute(text("SELECT actor FROM view_trail LIMIT 1")).scalar()
        plan = repr(conn.execute(
            text("EXPLAIN QUERY PLAN SELECT * FROM view_trail WHERE actor = :a ORDER BY notification_id DESC LIMIT 500"),
            {"a": someone},
        ).all())
    assert "ix_trail_actor_position" in plan and "TEMP B-TREE" not in plan
