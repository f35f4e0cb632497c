"""The views read events straight from their stored JSON; that must give exactly what the
library's own decoding gives."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import UUID

from sqlalchemy import select

from domain.clock import ManualClock
from dutyloop.demo import build_demo
from dutyloop.settings import Settings
from dutyloop.wiring import open_system
from projections.tables import metadata, organisations, people, positions


def _contents(engine) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {
            table.name: sorted(map(tuple, conn.execute(select(table)).all()), key=repr)
            for table in metadata.sorted_tables
            if table is not positions
        }


def test_fast_and_library_decoding_build_the_same_views(tmp_path: Path, clock: ManualClock) -> None:
    system = open_system(Settings(data_dir=tmp_path), clock)
    build_demo(system.app, clock, date(2026, 6, 30), branches=6)
    system.views.rebuild()
    fast = _contents(system.engine)
    system.views.facts.fast = False
    system.views.rebuild()
    slow = _contents(system.engine)
    assert fast == slow
    assert sum(len(rows) for rows in fast.values()) > 500
    # …and both agree with the aggregates themselves, field for field.
    with system.engine.connect() as conn:
        for person_id, name, org_id in conn.execute(select(people.c.person_id, people.c.name, people.c.org_id)):
            person = system.app.person(UUID(person_id))
            assert (name, org_id) == (person.name, person.org_id.hex)
        for org_id, name, kind in conn.execute(select(organisations.c.org_id, organisations.c.name, organisations.c.kind)):
            org = system.app.organisation(UUID(org_id))
            assert (name, kind) == (org.name, org.kind.value)
    system.close()
