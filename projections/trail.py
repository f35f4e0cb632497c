"""Who did what: one row per recorded fact, with the actor, the organisation it concerned, the
business date and the recorded time. The actor's name and roles as they were at that moment come
from the changes kept of each person's name and roles, by position (``actor_changes``).

The event's own fields (a note, a reason, the evidence) are not copied into the trail: they are
read from the event table by position when someone reads the trail. A copy doubled the size of
the database and was most of what a rebuild of the trail wrote.

A trail row is a function of its event and of the first event of the entity it touched (for the
organisation). Where the event table is in the views' database, the database computes the rows
itself, a range of the log per statement (``TrailView.fill``): reading, decoding and writing a
million events one by one in Python was the largest part of a rebuild. Only the few events that
change a person's name or roles go through Python. On SQLite the rows of each page are computed
into the connection's temporary tables while the batch is read (``TrailView.stage``), so that
under the database's only write lock they are merely copied. Elsewhere (a private copy as of a
past moment, which reads another database's events) every event goes through ``record``; both
ways give the same rows."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, select, text

from projections.batch import Batch, chunked
from projections.facts import plain, storable, topic_names
from projections.ledger import events_table
from projections.tables import people as view_people
from projections.tables import trail, trail_actor_changes, trail_actors, trail_entities
from projections.view import View, event_name, hx, moment, to_json

ACTOR_EVENTS = frozenset({"PersonRegistered", "RoleAssigned", "RoleRevoked"})
_COMMON = {"originator_id", "originator_version", "timestamp", "originator_topic", "actor", "on"}


EVENT_STATES = "dutyloop.event_states"
"""Key in a connection's ``info`` of where a private copy of the views (as of a past moment, in
memory) reads stored events: ``ids -> {id: stored JSON}``. Without it they come from the event
table beside the views."""

EventStates = Callable[[Sequence[int]], dict[int, bytes]]


def details(stored: bytes | str) -> dict[str, Any]:
    """The event's own fields from its stored JSON, made plain (NUL read as U+FFFD)."""
    return {k: plain(v) for k, v in orjson.loads(storable(stored if isinstance(stored, bytes) else stored.encode())).items() if k not in _COMMON}


def stored_states(conn: Connection, ids: Sequence[int]) -> dict[int, bytes]:
    """The stored JSON of the events at these positions."""
    source: EventStates | None = conn.info.get(EVENT_STATES)
    if source is not None:
        return source(ids)
    table, position = events_table(conn.dialect.name)
    query = text(f"SELECT {position}, state FROM {table} WHERE {position} IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )
    found: dict[int, bytes] = {}
    for chunk in chunked(sorted(set(ids))):
        found.update((int(n), bytes(state)) for n, state in conn.execute(query, {"ids": chunk}))
    return found


def with_actors(conn: Connection, items: list[dict[str, Any]]) -> None:
    """Give trail rows their actor's name and role names as they stood when each event was
    recorded: the latest change of that person at or before the row's position (none: the id, no
    roles), and the staff number, which never changes."""
    people = sorted({item["actor"] for item in items if not item["actor"].startswith("system:")})
    changes: dict[str, list[Any]] = {}
    for chunk in chunked(people):
        found = conn.execute(
            select(trail_actor_changes)
            .where(trail_actor_changes.c.person_id.in_(chunk))
            .order_by(trail_actor_changes.c.person_id, trail_actor_changes.c.notification_id)
        )
        for change in found:
            changes.setdefault(change.person_id, []).append(change)
    positions = {person: [change.notification_id for change in history] for person, history in changes.items()}
    staff_numbers: dict[str, str] = {}
    for chunk in chunked(people):
        found = conn.execute(select(view_people.c.person_id, view_people.c.staff_no).where(view_people.c.person_id.in_(chunk)))
        staff_numbers.update((person, staff_no) for person, staff_no in found)
    for item in items:
        item["actor_staff_no"] = staff_numbers.get(item["actor"], "")
        history = changes.get(item["actor"], [])
        at = bisect.bisect_right(positions.get(item["actor"], []), item["notification_id"])
        latest = history[at - 1] if at else None
        item["actor_name"] = latest.name if latest else item["actor"]
        item["actor_roles"] = [role for role, _ in orjson.loads(latest.roles)] if latest else []


class TrailView(View):
    name = "trail"
    cost = 22
    tables = (trail, trail_actors, trail_actor_changes, trail_entities)

    def wants(self, event: Any) -> tuple[Any, ...]:
        """The organisation of an entity whose later events do not name it. Actors are not asked
        for: they are few, so each is read once and then found in the batch's rows."""
        if event.originator_version > 1 and not hasattr(event, "org_id"):
            return ((trail_entities, (event.originator_id,)),)
        return ()

    def handler(self, event_name: str) -> Any:
        return self.record

    def handler_while_filling(self, event_name: str) -> Any:
        return self.track_actor if event_name in ACTOR_EVENTS else None

    def record(self, batch: Batch, nid: int, e: Any) -> None:
        kind = e.aggregate_type
        entity_id = e.originator_id
        org_id = hx(getattr(e, "org_id", None))
        if kind == "Organisation":
            org_id = entity_id
        if e.originator_version == 1:
            batch.put(trail_entities, {"entity_id": entity_id, "kind": kind, "org_id": org_id})
        elif org_id is None:
            entity = batch.get(trail_entities, entity_id)
            org_id = entity["org_id"] if entity else None
        name = e.event_type
        if name in ACTOR_EVENTS:
            self.track_actor(batch, nid, e)
        # Values in the trail table's column order.
        batch.append(trail, (nid, moment(e.timestamp), e.on, _actor_id(e.actor), name, kind, entity_id, org_id))

    def track_actor(self, batch: Batch, nid: int, e: Any) -> None:
        name = event_name(e)
        person_id = hx(e.originator_id)
        if name == "PersonRegistered":
            row = {"person_id": person_id, "name": e.name, "roles": "[]"}
        else:
            known = batch.get(trail_actors, person_id)
            if known is None:
                return
            roles = [r for r in orjson.loads(known["roles"]) if not (r[0] == e.role and r[1] == hx(e.org_id))]
            if name == "RoleAssigned":
                roles.append([e.role, hx(e.org_id)])
            row = {**known, "roles": to_json(roles)}
        batch.put(trail_actors, row)
        batch.put(trail_actor_changes, {**row, "notification_id": nid})

    def stage(self, conn: Connection, start: int, stop: int) -> None:
        """On SQLite, the trail rows of the events after ``start`` up to ``stop`` computed ahead
        into the connection's temporary tables, which take no lock on the database: parsing a
        million events' JSON under SQLite's only write lock kept the other worker of a rebuild
        waiting. A range that does not continue what is staged (a dropped batch's) starts afresh."""
        if conn.dialect.name != "sqlite":
            return
        names = _topic_names(conn, start, stop)
        _with_sqlite_functions(conn)
        for statement in _STAGING_TABLES:
            conn.exec_driver_sql(statement)
        staged = _staged_range(conn)
        if staged is None or staged[1] != start:
            _discard_staged(conn)
            staged = (start, start)
        if names:
            _run(conn, _fill_sql("sqlite", staged=True), names, start, stop)
        conn.exec_driver_sql(f"DELETE FROM {_STAGED_RANGE}")
        conn.exec_driver_sql(f"INSERT INTO {_STAGED_RANGE} (lo, hi) VALUES (?, ?)", (staged[0], stop))

    def fill(self, conn: Connection, start: int, stop: int) -> None:
        """The entities first born and the trail rows of the events after ``start`` up to
        ``stop``: copied from what ``stage`` computed where it covered exactly that range, else
        by the fill's statements over the event table."""
        dialect = conn.dialect.name
        if dialect == "sqlite":
            if _take_staged(conn, start, stop):
                return
            _with_sqlite_functions(conn)
        names = _topic_names(conn, start, stop)
        if names:
            _run(conn, _fill_sql(dialect, staged=False), names, start, stop)


def _topic_names(conn: Connection, start: int, stop: int) -> list[tuple[str, str, str]]:
    """(topic, event type, aggregate type) of each topic among the events of the range."""
    dialect = conn.dialect.name
    table, position = events_table(dialect)
    found = conn.exec_driver_sql(
        f"SELECT DISTINCT topic FROM {table} WHERE {position} > {_MARK[dialect]} AND {position} <= {_MARK[dialect]}",
        (start, stop),
    )
    return [(topic, *topic_names(topic)) for (topic,) in found]


def _run(conn: Connection, statements: tuple[str, ...], names: list[tuple[str, str, str]], start: int, stop: int) -> None:
    """The fill's statements over the range, with the range's topics as ``names``: on SQLite a
    temporary table keyed by topic (SQLite scanned a list of values once per event: 7 of the 12
    seconds a million events took), on PostgreSQL a list of values in the statement."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {_NAMES} (topic TEXT PRIMARY KEY, event_type TEXT, kind TEXT)")
        conn.exec_driver_sql(f"INSERT OR IGNORE INTO {_NAMES} (topic, event_type, kind) VALUES (?, ?, ?)", names)
        for statement in statements:
            conn.exec_driver_sql(statement, (start, stop))
        return
    values = ", ".join("(%s, %s, %s)" for _ in names)
    parameters = (*(value for row in names for value in row), start, stop)
    for statement in statements:
        conn.exec_driver_sql(statement.replace("{values}", values), parameters)


_NAMES = "temp.dutyloop_event_names"
_STAGED_RANGE = "temp.dutyloop_trail_staged"
_STAGED_ENTITIES = "temp.dutyloop_trail_staged_entities"
_STAGED_ROWS = "temp.dutyloop_trail_staged_rows"
_STAGING_TABLES = (
    f"CREATE TABLE IF NOT EXISTS {_STAGED_RANGE} (lo INTEGER NOT NULL, hi INTEGER NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {_STAGED_ENTITIES} (entity_id TEXT PRIMARY KEY, kind TEXT NOT NULL, org_id TEXT)",
    f"CREATE TABLE IF NOT EXISTS {_STAGED_ROWS} AS SELECT * FROM {trail.name} WHERE false",
)
_COPY_STAGED_ENTITIES = (
    f"INSERT INTO {trail_entities.name} (entity_id, kind, org_id) SELECT entity_id, kind, org_id FROM {_STAGED_ENTITIES} "
    "WHERE true ON CONFLICT (entity_id) DO UPDATE SET kind = excluded.kind, org_id = excluded.org_id"
)


def _staged_range(conn: Connection) -> tuple[int, int] | None:
    """The range staged on this connection (None: nothing is)."""
    if not _staging_exists(conn):
        return None
    staged = conn.exec_driver_sql(f"SELECT lo, hi FROM {_STAGED_RANGE}").first()
    return (staged[0], staged[1]) if staged else None


def _take_staged(conn: Connection, start: int, stop: int) -> bool:
    """Copy what is staged into the trail if it is exactly this range; nothing stays staged."""
    covered = _staged_range(conn) == (start, stop)
    if covered:
        conn.exec_driver_sql(_COPY_STAGED_ENTITIES)
        conn.exec_driver_sql(f"INSERT INTO {trail.name} SELECT * FROM {_STAGED_ROWS}")
    _discard_staged(conn)
    return covered


def _discard_staged(conn: Connection) -> None:
    if _staging_exists(conn):
        for table in (_STAGED_RANGE, _STAGED_ENTITIES, _STAGED_ROWS):
            conn.exec_driver_sql(f"DELETE FROM {table}")


def _staging_exists(conn: Connection) -> bool:
    found = conn.exec_driver_sql("SELECT 1 FROM sqlite_temp_master WHERE name = 'dutyloop_trail_staged'").first()
    return found is not None


_MARK = {"sqlite": "?", "postgresql": "%s"}


def _with_sqlite_functions(conn: Connection) -> None:
    """The two values SQLite cannot compute alike by itself: a recorded time as ``moment`` writes
    it, an actor as ``hx`` does (both cached)."""
    raw = conn.connection.driver_connection
    raw.create_function("dutyloop_moment", 1, moment, deterministic=True)  # type: ignore[union-attr]
    raw.create_function("dutyloop_actor", 1, _actor_id, deterministic=True)  # type: ignore[union-attr]


@functools.cache
def _fill_sql(dialect: str, staged: bool) -> tuple[str, ...]:
    """The statements that fill a range. On SQLite the entities first born, then the trail rows
    (``staged``: into the temporary tables, an entity's organisation found among those staged
    first); their parameters are the range. Joining the names to the events from the left keeps
    the events the outer loop (every topic of the range is among the names). On PostgreSQL one
    statement, whose first part inserts the entities and hands them on to the rows, so that each
    event is read and parsed once (two statements took 20.9 s a million events, one 17.1 s);
    ``{values}`` is replaced by the topics' rows, and the parameters are their values, then the
    range."""
    events = _extracted(dialect, tuple(_FIELDS[dialect]), "")
    rows_into = (
        f"INSERT INTO {_STAGED_ROWS if staged else trail.name} (notification_id, recorded_at, business_date, actor, "
        "event_type, entity_kind, entity_id, org_id) "
    )
    if dialect == "postgresql":
        one = (
            "WITH names (topic, event_type, kind) AS (VALUES {values}), "
            f"f AS MATERIALIZED ({events}), "
            f"born AS (INSERT INTO {trail_entities.name} (entity_id, kind, org_id) {_ENTITY_VALUES} "
            f"FROM f LEFT JOIN names n ON n.topic = f.topic WHERE f.version = 1 {_ENTITY_CONFLICT} "
            "RETURNING entity_id, org_id) "
            f"{rows_into}{_row_values(dialect, 'nb.org_id')} "
            "FROM f LEFT JOIN names n ON n.topic = f.topic LEFT JOIN born nb ON nb.entity_id = f.entity_id"
        )
        return (one,)
    born = _extracted(dialect, ("entity_id", "topic", "org_id"), " AND e.originator_version = 1")
    entities = (
        f"INSERT INTO {_STAGED_ENTITIES if staged else trail_entities.name} (entity_id, kind, org_id) {_ENTITY_VALUES} "
        f"FROM ({born}) f LEFT JOIN {_NAMES} n ON n.topic = f.topic"
        + ("" if staged else f" WHERE true {_ENTITY_CONFLICT}")
    )
    staged_org = f"(SELECT s.org_id FROM {_STAGED_ENTITIES} s WHERE s.entity_id = f.entity_id)" if staged else None
    rows = f"{rows_into}{_row_values(dialect, staged_org)} FROM ({events}) f LEFT JOIN {_NAMES} n ON n.topic = f.topic"
    return entities, rows


_ENTITY_VALUES = "SELECT f.entity_id, n.kind, CASE WHEN n.kind = 'Organisation' THEN f.entity_id ELSE f.org_id END"
_ENTITY_CONFLICT = "ON CONFLICT (entity_id) DO UPDATE SET kind = excluded.kind, org_id = excluded.org_id"


def _row_values(dialect: str, born_org: str | None) -> str:
    """A trail row's values from ``f`` (the event) and ``n`` (its names). An entity's
    organisation, where its event names none, is ``born_org`` (born in this range) or else the
    one kept of it, looked up only for such events (a join looked it up for every event)."""
    known = ", ".join(
        part
        for part in ("f.org_id", born_org, f"(SELECT b.org_id FROM {trail_entities.name} b WHERE b.entity_id = f.entity_id)")
        if part
    )
    return (
        f"SELECT f.nid, {_moment(dialect, 'f.recorded_at')}, f.business_date, f.actor, n.event_type, n.kind, f.entity_id, "
        "CASE WHEN n.kind = 'Organisation' THEN f.entity_id WHEN f.version = 1 THEN f.org_id "
        f"ELSE COALESCE({known}) END"
    )


def _extracted(dialect: str, columns: tuple[str, ...], condition: str) -> str:
    """The events of the range (and ``condition``) with the named fields. Each event is read and
    its JSON parsed once, in a subquery that an ``OFFSET`` keeps from being merged into the outer
    query: merged, it parsed the event again for each use of a field (on PostgreSQL a rebuild of
    200k events took 16–21 s instead of 12–14 s)."""
    table, position = events_table(dialect)
    mark = _MARK[dialect]
    fields = _FIELDS[dialect]
    where = f"e.{position} > {mark} AND e.{position} <= {mark}{condition}"
    listed = ", ".join(f"{fields[column]} AS {column}" for column in columns)
    if dialect == "sqlite":
        return f"SELECT {listed} FROM {table} e WHERE {where} LIMIT -1 OFFSET 0"
    # jsonb refuses a NUL escape (an old version's text): read it as U+FFFD, as ``storable`` does.
    stored = (
        "e.notification_id, e.originator_id, e.originator_version, e.topic, "
        "replace(convert_from(e.state, 'UTF8'), '\\u0000', '\\ufffd')::jsonb AS s"
    )
    return f"SELECT {listed} FROM (SELECT {stored} FROM {table} e WHERE {where} OFFSET 0) e"


def _json(name: str) -> str:
    return f"json_extract(CAST(e.state AS TEXT), '$.{name}')"


_FIELDS = {
    "sqlite": {
        "nid": "e.rowid",
        "entity_id": "lower(replace(e.originator_id, '-', ''))",
        "version": "e.originator_version",
        "topic": "e.topic",
        "recorded_at": _json("timestamp._data_"),
        "business_date": _json("on._data_"),
        "actor": f"dutyloop_actor({_json('actor')})",
        "org_id": _json("org_id._data_"),
    },
    "postgresql": {
        "nid": "e.notification_id",
        "entity_id": "replace(e.originator_id::text, '-', '')",
        "version": "e.originator_version",
        "topic": "e.topic",
        "recorded_at": "s->'timestamp'->>'_data_'",
        "business_date": "s->'on'->>'_data_'",
        "actor": (
            "CASE WHEN s->>'actor' IS NULL THEN '' WHEN length(s->>'actor') = 36 AND left(s->>'actor', 7) <> 'system:' "
            "THEN replace(s->>'actor', '-', '') ELSE s->>'actor' END"
        ),
        "org_id": "s->'org_id'->>'_data_'",
    },
}
"""How each dialect reads a field of a stored event (on PostgreSQL from ``s``, its parsed JSON)."""


def _moment(dialect: str, t: str) -> str:
    """A recorded time as ``moment`` writes it (UTC, with microseconds) from its stored ISO text
    ``t``: as it is, or with zero microseconds added, when it is in UTC (nearly always: converting
    every one cost PostgreSQL 2.8 s and SQLite 1 s a million events), else converted."""
    if dialect == "sqlite":
        utc, converted = f"substr({t}, -6) = '+00:00'", f"dutyloop_moment({t})"
    else:
        utc = f"right({t}, 6) = '+00:00'"
        converted = f"to_char(({t})::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || '+00:00'"
    return (
        f"CASE WHEN {utc} AND length({t}) = 32 THEN {t} "
        f"WHEN {utc} AND length({t}) = 25 THEN substr({t}, 1, 19) || '.000000+00:00' ELSE {converted} END"
    )


@functools.lru_cache(maxsize=65536)
def _actor_id(actor: str | None) -> str:
    """An actor as the trail keeps it (hex, or "system:…"): a few thousand people act, each
    thousands of times."""
    return hx(actor) or ""
