"""Who did what: one row per recorded fact, with the actor's roles as they were at that moment,
the organisation it concerned, the business date and the recorded time.

The event's own fields (a note, a reason, the evidence) are not copied into the trail: they are
read from the event table by position when someone reads the trail. A copy doubled the size of
the database and was most of what a rebuild of the trail wrote."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, text

from projections.batch import Batch, chunked
from projections.facts import plain
from projections.ledger import events_table
from projections.tables import trail, trail_actors, trail_entities
from projections.view import View, event_name, hx, moment, to_json

_COMMON = {"originator_id", "originator_version", "timestamp", "originator_topic", "actor", "on"}


EVENT_STATES = "dutyloop.event_states"
"""Key in a connection's ``info`` of where a private copy of the views (as of a past moment, in
memory) reads stored events: ``ids -> {id: stored JSON}``. Without it they come from the event
table beside the views."""

EventStates = Callable[[Sequence[int]], dict[int, bytes]]


def details(stored: bytes | str) -> dict[str, Any]:
    """The event's own fields from its stored JSON, made plain."""
    return {k: plain(v) for k, v in orjson.loads(stored).items() if k not in _COMMON}


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


class TrailView(View):
    name = "trail"
    cost = 22
    tables = (trail, trail_actors, trail_entities)

    def wants(self, event: Any) -> tuple[Any, ...]:
        """The organisation of an entity whose later events do not name it. Actors are not asked
        for: they are few, so each is read once and then found in the batch's rows."""
        if event.originator_version > 1 and not hasattr(event, "org_id"):
            return ((trail_entities, (event.originator_id,)),)
        return ()

    def handler(self, event_name: str) -> Any:
        return self.record

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
        if name in ("PersonRegistered", "RoleAssigned", "RoleRevoked"):
            self._track_actor(batch, e)
        actor = _actor_id(e.actor)
        known = batch.get(trail_actors, actor) if not actor.startswith("system:") else None
        # Values in the trail table's column order.
        batch.append(trail, (
            nid, moment(e.timestamp), e.on, actor, known["name"] if known else actor,
            known["roles"] if known else "[]", name, kind, entity_id, org_id,
        ))

    def _track_actor(self, batch: Batch, e: Any) -> None:
        name = event_name(e)
        person_id = hx(e.originator_id)
        if name == "PersonRegistered":
            batch.put(trail_actors, {"person_id": person_id, "name": e.name, "roles": "[]"})
        elif name in ("RoleAssigned", "RoleRevoked"):
            row = batch.get(trail_actors, person_id)
            if row is None:
                return
            roles = [r for r in orjson.loads(row["roles"]) if not (r[0] == e.role and r[1] == hx(e.org_id))]
            if name == "RoleAssigned":
                roles.append([e.role, hx(e.org_id)])
            batch.update(trail_actors, person_id, roles=to_json(roles))


@functools.lru_cache(maxsize=65536)
def _actor_id(actor: str | None) -> str:
    """An actor as the trail keeps it (hex, or "system:…"): a few thousand people act, each
    thousands of times."""
    return hx(actor) or ""
