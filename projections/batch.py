"""A unit of work over the view tables for one batch of events.

Handlers read and change rows as dictionaries; the batch fetches the rows it is told it will
need in a few ``IN`` queries, and writes every changed row back with one multi-row upsert per
table at the end. One transaction for thousands of events is what makes a rebuild fast.
"""

from __future__ import annotations

import functools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, Table

Row = dict[str, Any]
T = TypeVar("T")
Key = tuple[Any, ...]

CHUNK = 500
"""Keys per ``IN (…)`` query."""
BULK_ROWS = 200
"""From this many changed rows of one table, PostgreSQL merges them from a COPY (a rebuild);
fewer (a command's few events) go as one multi-row upsert."""
SMALL_TABLE_SHARE = 20
"""A table whose cached rows are at most this fraction of the cache's bound is never trimmed."""


class Batch:
    def __init__(self, conn: Connection, rows: dict[Table, dict[Key, Row | None]] | None = None) -> None:
        self.conn = conn
        self._rows: dict[Table, dict[Key, Row | None]] = rows if rows is not None else defaultdict(dict)
        self._dirty: dict[Table, dict[Key, Row]] = defaultdict(dict)
        self._deleted: dict[Table, set[Key]] = defaultdict(set)
        self._appended: dict[Table, list[tuple[Any, ...]]] = defaultdict(list)

    @staticmethod
    def key_of(table: Table, row: Row) -> Key:
        return _key_getter(table)(row)

    def prefetch(self, wanted: Iterable[tuple[Table, Key]]) -> None:
        missing: dict[Table, set[Key]] = defaultdict(set)
        for table, key in wanted:
            if key not in self._rows[table]:
                missing[table].add(key)
        dialect = self.conn.dialect.name
        for table, keys in missing.items():
            names = _column_names(table)
            rows = self._rows[table]
            key_of = _key_getter(table)
            for chunk in chunked(list(keys)):
                found = self.conn.exec_driver_sql(_select_sql(dialect, table, len(chunk)), tuple(v for k in chunk for v in k))
                for values in found:
                    row = dict(zip(names, values, strict=True))
                    rows[key_of(row)] = row
            for key in keys:
                rows.setdefault(key, None)

    def get(self, table: Table, *key: Any) -> Row | None:
        cached = self._rows[table]
        if key not in cached:
            self.prefetch([(table, key)])
        return cached[key]

    def put(self, table: Table, row: Row) -> None:
        """Insert or replace a whole row."""
        key = self.key_of(table, row)
        self._rows[table][key] = row
        self._dirty[table][key] = row
        self._deleted[table].discard(key)

    def update(self, table: Table, *key: Any, **changes: Any) -> Row | None:
        """Change some columns of an existing row; ``None`` when there is no such row."""
        row = self.get(table, *key)
        if row is None:
            return None
        row.update(changes)
        self._dirty[table][key] = row
        return row

    @property
    def rows(self) -> dict[Table, dict[Key, Row | None]]:
        """What this batch knows of the tables' rows after it is flushed: valid for a next batch
        as long as nobody else has written the views in between."""
        return self._rows

    def cached_rows(self) -> int:
        return sum(len(rows) for rows in self._rows.values())

    def trim(self, limit: int) -> None:
        """Forget the rows cached longest ago until about half of ``limit`` remain, each table
        keeping its share; tables with few rows (a counter per branch, the rules in force), which
        nearly every batch reads, are kept whole. Any subset of what a batch knows is still true,
        so a next batch simply reads again what was forgotten."""
        total = self.cached_rows()
        if total <= limit:
            return
        for rows in self._rows.values():
            if len(rows) <= limit // SMALL_TABLE_SHARE:
                continue
            keep = len(rows) * (limit // 2) // total
            recent = list(rows.items())[len(rows) - keep :] if keep else []
            rows.clear()
            rows.update(recent)

    def append(self, table: Table, values: tuple[Any, ...]) -> None:
        """A new row that nothing in this batch reads back (the trail): values in column order."""
        self._appended[table].append(values)

    def delete(self, table: Table, *key: Any) -> None:
        self._rows[table][key] = None
        self._dirty[table].pop(key, None)
        self._deleted[table].add(key)

    def flush(self) -> None:
        for table, keys in self._deleted.items():
            pk = list(table.primary_key.columns)
            for key in keys:
                condition = [column == value for column, value in zip(pk, key, strict=True)]
                self.conn.execute(table.delete().where(*condition))
        for table, dirty in self._dirty.items():
            if dirty:
                values = _values_getter(table)
                self._upsert(table, [values(row) for row in dirty.values()])
        for table, rows in self._appended.items():
            if rows:
                self._insert(table, rows)
        self._dirty.clear()
        self._deleted.clear()
        self._appended.clear()

    def _insert(self, table: Table, rows: list[tuple[Any, ...]]) -> None:
        """New rows: PostgreSQL's COPY where it is there (several times faster than a multi-row
        INSERT for the trail's row per event), else one ``executemany``."""
        dialect = self.conn.dialect.name
        if dialect == "postgresql":
            self._copy(table.name, table, rows)
            return
        self.conn.exec_driver_sql(_insert_sql(dialect, table), rows)

    def _upsert(self, table: Table, rows: list[tuple[Any, ...]]) -> None:
        """Changed rows, inserted or replacing what is there. On PostgreSQL many rows (a rebuild's
        batch) are copied into a temporary table and merged from it in one statement."""
        dialect = self.conn.dialect.name
        if dialect == "postgresql" and len(rows) >= BULK_ROWS:
            staging = f"staging_{table.name}"
            self.conn.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE {table.name}) ON COMMIT DELETE ROWS")
            self._copy(staging, table, rows)
            self.conn.exec_driver_sql(_merge_sql(table, staging))
            return
        self.conn.exec_driver_sql(_upsert_sql(dialect, table), rows)

    def _copy(self, into: str, table: Table, rows: list[tuple[Any, ...]]) -> None:
        cursor = self.conn.connection.cursor()
        with cursor.copy(f"COPY {into} ({', '.join(_column_names(table))}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)


def chunked(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """The items ``CHUNK`` at a time: one ``IN (…)`` query each."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


@functools.cache
def _primary_key(table: Table) -> tuple[str, ...]:
    return tuple(c.name for c in table.primary_key.columns)


@functools.cache
def _column_names(table: Table) -> tuple[str, ...]:
    return tuple(c.name for c in table.columns)


def _tuple_getter(names: tuple[str, ...]) -> Callable[[Row], tuple[Any, ...]]:
    """``row -> (row[name], …)`` made once per table: ``itemgetter`` does it in C."""
    if len(names) == 1:
        (name,) = names
        return lambda row: (row[name],)
    return operator.itemgetter(*names)  # type: ignore[return-value]


@functools.cache
def _key_getter(table: Table) -> Callable[[Row], Key]:
    return _tuple_getter(_primary_key(table))


@functools.cache
def _values_getter(table: Table) -> Callable[[Row], tuple[Any, ...]]:
    return _tuple_getter(_column_names(table))


@functools.cache
def _insert_sql(dialect: str, table: Table) -> str:
    marker = "%s" if dialect == "postgresql" else "?"
    names = _column_names(table)
    return f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join(marker for _ in names)})"


@functools.cache
def _select_sql(dialect: str, table: Table, keys: int) -> str:
    """The rows of ``keys`` primary keys, in the driver's own parameter style: a command's
    catch-up asks a few of these per event, and building and compiling a ``select`` each time
    was a third of it. The view tables' columns are plain text and integers, which the driver
    returns as SQLAlchemy would."""
    marker = "%s" if dialect == "postgresql" else "?"
    pk = _primary_key(table)
    if len(pk) == 1:
        condition = f"{pk[0]} IN ({', '.join(marker for _ in range(keys))})"
    else:
        one = f"({', '.join(marker for _ in pk)})"
        condition = f"({', '.join(pk)}) IN (VALUES {', '.join(one for _ in range(keys))})"
    return f"SELECT {', '.join(_column_names(table))} FROM {table.name} WHERE {condition}"


@functools.cache
def _merge_sql(table: Table, staging: str) -> str:
    names = ", ".join(_column_names(table))
    return _on_conflict(f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {staging} ", table)


@functools.cache
def _upsert_sql(dialect: str, table: Table) -> str:
    """One multi-row upsert per table, in the driver's own parameter style: the rebuild's hot path
    goes straight to ``executemany`` without compiling a statement per batch."""
    marker = "%s" if dialect == "postgresql" else "?"
    names = _column_names(table)
    return _on_conflict(f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join(marker for _ in names)}) ", table)


def _on_conflict(insert: str, table: Table) -> str:
    pk = _primary_key(table)
    others = [n for n in _column_names(table) if n not in pk]
    sql = f"{insert}ON CONFLICT ({', '.join(pk)}) "
    if not others:
        return sql + "DO NOTHING"
    return sql + "DO UPDATE SET " + ", ".join(f"{n} = excluded.{n}" for n in others)
