"""Walks the event table and the ledger beside it, page by page, to prove the record unaltered."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, text

from dutyloop.eventstore import LedgerEntry, StoredRow, Verdict, verify_chain
from projections.ledger import LEDGER_TABLE, events_table, recorded_at_text

PAGE = 5000


def _events(engine: Engine) -> Iterator[StoredRow]:
    table, id_column = events_table(engine.dialect.name)
    after = 0
    with engine.connect() as conn:
        while True:
            rows = conn.execute(
                text(
                    f"SELECT {id_column} AS nid, originator_id, originator_version, topic, state "
                    f"FROM {table} WHERE {id_column} > :after ORDER BY {id_column} LIMIT :page"
                ),
                {"after": after, "page": PAGE},
            ).all()
            if not rows:
                return
            for row in rows:
                yield StoredRow(int(row.nid), str(row.originator_id), int(row.originator_version), row.topic, bytes(row.state))
            after = int(rows[-1].nid)


def _ledger(engine: Engine) -> Iterator[LedgerEntry]:
    after = 0
    with engine.connect() as conn:
        while True:
            rows = conn.execute(
                text(
                    f"SELECT notification_id, recorded_at, hash FROM {LEDGER_TABLE} "
                    "WHERE notification_id > :after ORDER BY notification_id LIMIT :page"
                ),
                {"after": after, "page": PAGE},
            ).all()
            if not rows:
                return
            for row in rows:
                moment = row.recorded_at if isinstance(row.recorded_at, str) else recorded_at_text(row.recorded_at)
                yield LedgerEntry(int(row.notification_id), moment, bytes(row.hash))
            after = int(rows[-1].notification_id)


def verify(engine: Engine) -> Verdict:
    return verify_chain(_events(engine), _ledger(engine))
