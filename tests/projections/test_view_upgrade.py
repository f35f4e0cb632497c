"""An upgrade that changes a view's tables: opening the database drops that view and replays it
from the events, and leaves every other view where it stood."""

from __future__ import annotations

from sqlalchemy import select, text

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
