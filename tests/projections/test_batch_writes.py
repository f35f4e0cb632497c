"""A batch writes back what its handlers changed: a few rows (a command's events) and many rows
(a rebuild's batch; on PostgreSQL merged from a COPY) end the same, new rows and replaced ones."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dutyloop.wiring import System
from projections.batch import BULK_ROWS, Batch
from projections.tables import branch_counts, trail


def _counts(system: System) -> dict[str, tuple[int, int]]:
    with system.engine.connect() as conn:
        return {r.org_id: (r.done_on_time, r.done_late) for r in conn.execute(select(branch_counts))}


def _write(system: System, rows: dict[str, tuple[int, int]]) -> None:
    with system.engine.connect() as conn:
        batch = Batch(conn)
        for org_id, (on_time, late) in rows.items():
            batch.put(branch_counts, {"org_id": org_id, "done_on_time": on_time, "done_late": late})
        with conn.begin():
            batch.flush()


@pytest.mark.parametrize("changed", [3, BULK_ROWS + 50])
def test_new_and_replaced_rows_are_written_whatever_their_number(system: System, changed: int) -> None:
    first = {f"{n:032x}": (n, 0) for n in range(changed)}
    _write(system, first)
    assert _counts(system) == first
    # Half of them replaced, as many again new: one upsert does both.
    second = {f"{n:032x}": (n, n + 1) for n in range(changed // 2, changed + changed // 2)}
    _write(system, second)
    assert _counts(system) == first | second


def test_appended_rows_are_written_in_order(system: System) -> None:
    rows = [
        (n, "2026-11-29T01:00:00.000000+00:00", "2026-11-29", "system:test", "Tested", "Test", f"{n:032x}", None)
        for n in range(1, BULK_ROWS * 2)
    ]
    with system.engine.connect() as conn:
        batch = Batch(conn)
        for row in rows:
            batch.append(trail, row)
        with conn.begin():
            batch.flush()
    with system.engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(select(trail).order_by(trail.c.notification_id))] == rows
