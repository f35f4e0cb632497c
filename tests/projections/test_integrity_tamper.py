"""Proving the record unaltered: ``verify`` walks the events and the hash-chained ledger beside
them, and names the first event that was changed, removed or slipped in behind the application's
back — here done with plain SQL, as someone with database access would, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from dutyloop.integrity import verify
from dutyloop.wiring import System
from projections import ledger
from views_support import Cli


def events_table(engine: Any) -> str:
    return ledger.events_table(engine.dialect.name)[0]


def _id_column(system: System) -> str:
    return ledger.events_table(system.engine.dialect.name)[1]


def _ids(system: System) -> list[int]:
    column = _id_column(system)
    with system.engine.connect() as conn:
        return [r[0] for r in conn.execute(text(f"SELECT {column} FROM {events_table(system.engine)} ORDER BY {column}"))]


def _event(system: System, notification_id: int) -> Any:
    column = _id_column(system)
    with system.engine.connect() as conn:
        return conn.execute(
            text(f"SELECT originator_id, originator_version, topic, state FROM {events_table(system.engine)} WHERE {column} = :n"),
            {"n": notification_id},
        ).one()


def _sql(system: System, statement: str, **params: Any) -> int:
    with system.engine.begin() as conn:
        return conn.execute(text(statement), params).rowcount


def _hex(originator_id: Any) -> str:
    return str(originator_id).replace("-", "")


def test_an_untouched_record_is_intact(recorded: System) -> None:
    verdict = verify(recorded.engine)
    assert verdict.intact and verdict.problem is None
    assert verdict.checked == len(_ids(recorded)) == recorded.views.head() > 100
    assert len(verdict.head) == 64


def test_changed_event_content_is_named_altered_at_its_id(recorded: System) -> None:
    ids = _ids(recorded)
    target = ids[len(ids) // 2]
    row = _event(recorded, target)
    state = json.loads(bytes(row.state))
    state["actor"] = "system:demo"  # someone rewrites who did it
    changed = json.dumps(state, separators=(",", ":")).encode()
    assert _sql(recorded, f"UPDATE {events_table(recorded.engine)} SET state = :s WHERE {_id_column(recorded)} = :n",
                s=changed, n=target) == 1
    verdict = verify(recorded.engine)
    assert not verdict.intact
    assert (verdict.problem, verdict.notification_id) == ("altered", target)
    assert (_hex(verdict.originator_id), verdict.originator_version) == (_hex(row.originator_id), row.originator_version)
    assert verdict.checked == ids.index(target)


def test_a_single_flipped_byte_is_altered(recorded: System) -> None:
    ids = _ids(recorded)
    target = ids[3]
    state = bytearray(bytes(_event(recorded, target).state))
    state[len(state) // 2] ^= 0x01
    _sql(recorded, f"UPDATE {events_table(recorded.engine)} SET state = :s WHERE {_id_column(recorded)} = :n",
         s=bytes(state), n=target)
    verdict = verify(recorded.engine)
    assert (verdict.intact, verdict.problem, verdict.notification_id) == (False, "altered", target)


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_deleted_event_is_reported_at_its_id(recorded: System, where: str) -> None:
    ids = _ids(recorded)
    target = {"first": ids[0], "middle": ids[len(ids) // 3], "last": ids[-1]}[where]
    assert _sql(recorded, f"DELETE FROM {events_table(recorded.engine)} WHERE {_id_column(recorded)} = :n", n=target) == 1
    verdict = verify(recorded.engine)
    assert not verdict.intact
    assert verdict.problem == "deleted"
    assert verdict.notification_id == target
    assert verdict.checked == ids.index(target)


def test_an_event_inserted_out_of_band_is_named_inserted_at_its_id(recorded: System) -> None:
    ids = _ids(recorded)
    source = ids[len(ids) // 2]
    row = _event(recorded, source)
    table = events_table(recorded.engine)
    # A copy of a real event under a new version, written straight into the table: no ledger row.
    _sql(recorded, f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
                   f"SELECT originator_id, originator_version + 1000, topic, state FROM {table} WHERE {_id_column(recorded)} = :n",
         n=source)
    [new_id] = [i for i in _ids(recorded) if i not in ids]
    assert new_id > ids[-1]
    verdict = verify(recorded.engine)
    assert not verdict.intact
    assert (verdict.problem, verdict.notification_id) == ("inserted", new_id)
    assert (_hex(verdict.originator_id), verdict.originator_version) == (_hex(row.originator_id), row.originator_version + 1000)
    assert verdict.checked == len(ids)


def test_a_changed_recorded_time_in_the_ledger_is_detected(recorded: System) -> None:
    ids = _ids(recorded)
    target = ids[len(ids) // 4]
    if recorded.engine.dialect.name == "postgresql":
        statement = "UPDATE event_ledger SET recorded_at = recorded_at - interval '3 days' WHERE notification_id = :n"
    else:
        statement = "UPDATE event_ledger SET recorded_at = '2020-01-01T00:00:00.000000Z' WHERE notification_id = :n"
    assert _sql(recorded, statement, n=target) == 1
    verdict = verify(recorded.engine)
    assert (verdict.intact, verdict.problem, verdict.notification_id) == (False, "altered", target)


def test_an_event_and_its_ledger_row_rewritten_together_break_the_next_link(recorded: System) -> None:
    """Recomputing the tampered row's own hash is not enough: the next row was chained over the old one."""
    from dutyloop.eventstore import chain_hash

    ids = _ids(recorded)
    target = ids[len(ids) // 2]
    row = _event(recorded, target)
    with recorded.engine.connect() as conn:
        previous = bytes(conn.execute(text("SELECT hash FROM event_ledger WHERE notification_id = :n"),
                                      {"n": ids[ids.index(target) - 1]}).scalar_one())
        recorded_at = conn.execute(text("SELECT recorded_at FROM event_ledger WHERE notification_id = :n"), {"n": target}).scalar_one()
    if not isinstance(recorded_at, str):
        from projections.ledger import recorded_at_text

        recorded_at = recorded_at_text(recorded_at)
    state = bytes(row.state).replace(b'"actor":"', b'"actor":"x', 1)
    forged = chain_hash(previous, target, row.originator_id, row.originator_version, row.topic, state, recorded_at)
    _sql(recorded, f"UPDATE {events_table(recorded.engine)} SET state = :s WHERE {_id_column(recorded)} = :n", s=state, n=target)
    _sql(recorded, "UPDATE event_ledger SET hash = :h WHERE notification_id = :n", h=forged, n=target)
    verdict = verify(recorded.engine)
    assert (verdict.intact, verdict.problem, verdict.notification_id) == (False, "altered", ids[ids.index(target) + 1])


def test_cutting_off_the_tail_is_seen_only_against_a_head_noted_before(recorded: System) -> None:
    """Deleting the newest events together with their ledger rows leaves a shorter chain that is
    intact in itself: only the head hash noted earlier (``dutyloop verify`` prints it) shows it."""
    noted = verify(recorded.engine)
    ids = _ids(recorded)
    _sql(recorded, f"DELETE FROM {events_table(recorded.engine)} WHERE {_id_column(recorded)} >= :n", n=ids[-3])
    _sql(recorded, "DELETE FROM event_ledger WHERE notification_id >= :n", n=ids[-3])
    verdict = verify(recorded.engine)
    assert verdict.intact and verdict.checked == noted.checked - 3
    assert verdict.head != noted.head


# -- dutyloop verify -------------------------------------------------------------------------------


def test_verify_command_says_intact_then_names_the_altered_event(cli: Cli, recorded: System) -> None:
    head = recorded.views.head()
    result = cli("verify")
    assert result.exit_code == 0, result.output
    assert "记录完整" in result.stdout and f"已核验 {head} 个事件" in result.stdout
    english = cli("--locale", "en", "verify")
    assert english.exit_code == 0 and f"intact: {head} events checked" in english.stdout
    as_json = json.loads(cli("--json", "verify").stdout)
    assert as_json["intact"] is True and as_json["checked"] == head

    target = _ids(recorded)[-5]
    _sql(recorded, f"UPDATE {events_table(recorded.engine)} SET state = :s WHERE {_id_column(recorded)} = :n",
         s=b'{"forged":true}', n=target)
    result = cli("verify")
    assert result.exit_code == 1
    assert f"第 {target} 号事件被篡改" in result.stderr and "记录不完整" in result.stderr
    english = cli("--locale", "en", "verify")
    assert english.exit_code == 1 and f"event {target} was altered" in english.stderr
    broken = cli("--json", "verify")
    assert broken.exit_code == 1
    data = json.loads(broken.stdout)
    assert data["intact"] is False and data["problem"] == "altered" and data["notification_id"] == target


def test_verify_command_names_a_deleted_event(cli: Cli, recorded: System) -> None:
    target = _ids(recorded)[7]
    _sql(recorded, f"DELETE FROM {events_table(recorded.engine)} WHERE {_id_column(recorded)} = :n", n=target)
    result = cli("verify")
    assert result.exit_code == 1
    assert f"第 {target} 号事件被删除" in result.stderr
