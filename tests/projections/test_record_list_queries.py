"""The lists of findings, interviews, rectifications and meetings on SQLite and PostgreSQL: every
filter keeps exactly the rows a reading of every row keeps, every sort pages without overlap or
gap, and a person sees only their organisations' rows and those naming them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from domain.clock import ManualClock
from dutyloop.demo import build_demo
from dutyloop.wiring import System
from projections.listing import Paging
from projections.record_lists import LISTS, RecordList, Wanted, find
from projections.tables import meeting_attendees
from projections.task_finder import Seeing

TODAY = date(2026, 6, 30)
EVERYONE = Seeing(person_id="0" * 32)
KEEPS: dict[str, Callable[[dict[str, Any], str], bool]] = {
    "inspection": lambda row, value: row["inspection_kind"] == value,
    "source": lambda row, value: row["source_kind"] == value,
    "open": lambda row, value: row["status"] != "closed",
    "overdue": lambda row, value: row["status"] in ("opened", "returned") and row["deadline"] < TODAY.isoformat(),
    "type": lambda row, value: row["kind"] == value,
}
"""Each list's own filter, as a reading of every row applies it."""


@pytest.fixture
def demo(system: System, clock: ManualClock) -> System:
    build_demo(system.app, clock, TODAY, branches=3)
    system.catch_up()
    return system


def _key(kind: RecordList) -> str:
    return kind.key.name


def _find(system: System, kind: RecordList, seeing: Seeing = EVERYONE, every: bool = True, **wanted: Any) -> Any:
    paging = wanted.pop("paging", Paging(kind.default_sort, kind.descending))
    with system.engine.connect() as conn:
        return find(conn, kind, Wanted(paging=paging, **wanted), seeing, TODAY, every=every)


@pytest.mark.parametrize("name", LISTS)
def test_every_filter_keeps_what_reading_every_row_keeps(demo: System, name: str) -> None:
    kind = LISTS[name]
    every = _find(demo, kind).rows
    assert every, name
    for status in kind.statuses:
        found = _find(demo, kind, statuses=(status,))
        assert found.total == len(found.rows) == sum(1 for r in every if r["status"] == status), status
    for choice, filtered in kind.choices.items():
        for value in filtered.values:
            found = _find(demo, kind, chosen=((choice, value),))
            assert found.total == sum(1 for r in every if KEEPS[choice](r, value)), (choice, value)
    day = kind.day.name
    days = sorted(r[day] for r in every if r[day])
    middle = date.fromisoformat(days[len(days) // 2])
    within = _find(demo, kind, day_from=middle, day_to=middle)
    assert within.total == sum(1 for r in every if r[day] == middle.isoformat()) > 0
    org = every[0]["org_id"]
    assert _find(demo, kind, org_id=org, below=False).total == sum(1 for r in every if r["org_id"] == org)


@pytest.mark.parametrize("name", LISTS)
def test_every_sort_pages_without_overlap_or_gap(demo: System, name: str) -> None:
    kind = LISTS[name]
    everything = {r[_key(kind)] for r in _find(demo, kind).rows}
    for sort in kind.sorts:
        for descending in (False, True):
            seen: list[str] = []
            page = 1
            while True:
                found = _find(demo, kind, every=False, paging=Paging(sort, descending, page, 20))
                seen += [r[_key(kind)] for r in found.rows]
                if page >= found.pages:
                    break
                page += 1
            assert len(seen) == len(set(seen)) and set(seen) == everything, (sort, descending)


def test_a_person_sees_their_organisations_rows_and_those_naming_them(demo: System) -> None:
    interviews = LISTS["interviews"]
    every = _find(demo, interviews).rows
    row = every[0]
    named = Seeing(person_id=row["interviewee_id"], orgs=frozenset())
    assert {r["interview_id"] for r in _find(demo, interviews, named).rows} == {
        r["interview_id"] for r in every if row["interviewee_id"] in (r["interviewer_id"], r["interviewee_id"])}
    branch = Seeing(person_id="0" * 32, orgs=frozenset({row["org_id"]}))
    assert _find(demo, interviews, branch).total == sum(1 for r in every if r["org_id"] == row["org_id"])
    with demo.engine.connect() as conn:
        attendee = conn.execute(select(meeting_attendees.c.person_id).limit(1)).scalar_one()
    meetings = LISTS["meetings"]
    assert _find(demo, meetings, Seeing(person_id=attendee, orgs=frozenset())).total == 0, "attending opens no meeting page"
    assert _find(demo, meetings, person_id=attendee).total > 0
