"""The event store with its ledger on PostgreSQL (see ``dutyloop.eventstore``): the library's
recorder, appending the ledger's rows in the same transaction as the events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from dutyloop.audit.chainproof import GENESIS
from dutyloop.eventstore import (
    RECORDED_AT_INDEX,
    ChainHead,
    ContinuesChain,
    ledger_rows,
    recorded_at_of,
)
from projections.ledger import LEDGER_TABLE


class LedgeredPostgresApplicationRecorder(ContinuesChain, PostgresApplicationRecorder):
    def __init__(self, datastore: Any, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        schema = Identifier(self.datastore.schema) if self.datastore.schema else None
        table = Identifier(LEDGER_TABLE)
        qualified = SQL("{}.{}").format(schema, table) if schema else table
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {} (notification_id bigint PRIMARY KEY, "
                "recorded_at timestamptz NOT NULL, hash bytea NOT NULL)"
            ).format(qualified)
        )
        self.sql_create_statements.append(
            SQL("DROP INDEX IF EXISTS {}").format(
                SQL("{}.{}").format(schema, Identifier(RECORDED_AT_INDEX)) if schema else Identifier(RECORDED_AT_INDEX)
            )
        )
        self._select_last_hash = SQL("SELECT hash FROM {} ORDER BY notification_id DESC LIMIT 1").format(qualified)
        self._insert_ledger = SQL("INSERT INTO {} (notification_id, recorded_at, hash) VALUES (%s, %s, %s)").format(
            qualified
        )
        self.chain_head = ChainHead()

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if not ids:
            return ids

        def read() -> bytes:
            curs.execute(self._select_last_hash)
            row = curs.fetchone()
            return bytes(row["hash"]) if row else GENESIS

        rows = ledger_rows(self.chain_head.previous(ids[0], read), ids, stored_events, recorded_at_of(kwargs))
        curs.executemany(self._insert_ledger, rows)
        self.chain_head.written(rows)
        return ids
