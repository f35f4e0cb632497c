"""The search view on SQLite and PostgreSQL: two-character Chinese words, longer ones, mixed
Chinese and ASCII and single characters answer exactly the texts that hold them (checked against
reading every text), only what the searcher may see, and the same again after a rebuild."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select
from views_support import Cli

from domain.clock import ManualClock
from domain.vocabulary import InspectionKind
from dutyloop.demo import build_demo
from dutyloop.wiring import System
from projections.search import fold, search_docs
from projections.search_queries import search, snippet
from projections.task_finder import Seeing

QUERIES = ("整改", "党课", "台账", "三会一课", "PPT整改", "ppt", "党", "整改 记录")


def _everyone(system: System) -> Seeing:
    return Seeing(person_id="0" * 32)


def _oracle(system: System, query: str) -> set[tuple[str, str]]:
    """Every text that holds each word of the query, found by reading them all."""
    words = fold(query).split()
    with system.engine.connect() as conn:
        rows = conn.execute(select(search_docs.c.entity_id, search_docs.c.field, search_docs.c.body)).all()
    return {(r.entity_id, r.field) for r in rows if all(w in fold(r.body) for w in words)}


def _answer(system: System, query: str, seeing: Seeing | None = None) -> set[tuple[str, str]]:
    with system.engine.connect() as conn:
        found = search(conn, query, seeing or _everyone(system), per_page=100_000)
    assert found.total == len(found.rows)
    return {(r["entity_id"], r["field"]) for r in found.rows}


def test_words_are_found_exactly_on_both_databases(system: System, clock: ManualClock, cli_for: Callable[[System], Cli]) -> None:
    demo = build_demo(system.app, clock, date(2026, 6, 30), branches=3)
    branch = demo.branches[0]
    inspector = demo.people.field_of[branch]
    system.app.conduct_inspection(inspector, InspectionKind.RANDOM, branch, "PPT整改材料检查", ["PPT整改台账未更新"])
    system.catch_up()
    for query in QUERIES:
        expected = _oracle(system, query)
        assert _answer(system, query) == expected, query
    assert _oracle(system, "整改") and _oracle(system, "PPT整改")

    secretary = demo.people.secretaries[branch]
    mine = Seeing(person_id=secretary.hex, orgs=frozenset({branch.hex}))
    with system.engine.connect() as conn:
        orgs = {r.org_id for r in conn.execute(select(search_docs.c.org_id, search_docs.c.entity_id))}
        owners = {
            (r.entity_id, r.field): (r.org_id, r.owner_id)
            for r in conn.execute(select(search_docs.c.entity_id, search_docs.c.field, search_docs.c.org_id, search_docs.c.owner_id))
        }
    assert len(orgs) > 1
    seen = _answer(system, "整改", mine)
    assert seen and seen < _answer(system, "整改")
    assert all(owners[key][0] == branch.hex or owners[key][1] == secretary.hex for key in seen)

    before = {query: _answer(system, query) for query in QUERIES}
    system.views.rebuild(["search"])
    assert {query: _answer(system, query) for query in QUERIES} == before

    printed = cli_for(system)("--json", "search", "PPT整改")
    assert printed.exit_code == 0, printed.output
    answer = json.loads(printed.stdout)
    assert answer["total"] == len(before["PPT整改"]) and any("【ppt整改】" in r["text"].lower() for r in answer["results"])

    as_secretary = cli_for(system)("--json", "--as", demo.people.secretaries[branch].hex, "search", "--limit", "1000", "整改")
    assert as_secretary.exit_code == 0, as_secretary.output
    shown = json.loads(as_secretary.stdout)
    assert shown["total"] == len(seen) < len(before["整改"]), "the command line shows a person what the web shows them"


def test_hits_are_marked_in_the_text_around_them() -> None:
    pieces = snippet("支部按要求完成整改，并建立整改台账", ["整改"])
    assert [text for text, hit in pieces if hit] == ["整改", "整改"]
    assert "".join(text for text, _ in pieces) == "支部按要求完成整改，并建立整改台账"


def test_a_word_is_found_through_the_index_after_the_database_is_opened_again(
    system: System, clock: ManualClock
) -> None:
    """PostgreSQL's pair index was made by a create event, so that opening the database again took
    it for an index an upgrade had retired and dropped it: every search then read every text. It
    stays through a reopening and a rebuild, and the planner goes to it for a rare word."""
    if system.engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps its index in the FTS5 table beside the view")
    from dutyloop.wiring import open_system

    build_demo(system.app, clock, date(2026, 6, 30), branches=3)
    system.catch_up()
    again = open_system(system.settings, clock)
    try:
        again.views.rebuild(["search"])
        reopened = open_system(system.settings, clock)
        with reopened.engine.connect() as conn:
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = "\n".join(row[0] for row in conn.exec_driver_sql(
                "EXPLAIN SELECT count(*) FROM view_search_docs WHERE "
                "(string_to_array(grams || ' ' || chars, ' ')) @> ARRAY['党课']::text[]"
            ))
        reopened.close()
    finally:
        again.close()
    assert "ix_search_tokens" in plan, plan
