"""明责 as a directory: organisations, people with their roles, and the responsibility list."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import Connection, select

from domain.roster import Recorded
from projections.batch import Batch
from projections.tables import (
    organisations,
    people,
    responsibility_aspects,
    responsibility_items,
    responsibility_lists,
    role_assignments,
    saved_filters,
)
from projections.view import View, day, hx, moment, to_json


class DirectoryView(View):
    name = "directory"
    tables = (organisations, people, role_assignments, responsibility_lists, responsibility_aspects, responsibility_items,
              saved_filters)

    def wants(self, event: Any) -> list[Any]:
        if event.aggregate_type == "Person" and event.event_type != "PersonRegistered":
            return [(people, (hx(event.originator_id),))]
        return []

    def on_OrganisationRegistered(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(organisations, {
            "org_id": hx(e.originator_id), "name": e.name, "kind": e.kind,
            "parent_id": hx(e.parent_id), "dissolved_on": None,
        })

    def on_OrganisationRenamed(self, batch: Batch, nid: int, e: Any) -> None:
        batch.update(organisations, hx(e.originator_id), name=e.name)

    def on_OrganisationDissolved(self, batch: Batch, nid: int, e: Any) -> None:
        batch.update(organisations, hx(e.originator_id), dissolved_on=day(e.on))

    def on_PersonRegistered(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(people, {
            "person_id": hx(e.originator_id), "name": e.name, "staff_no": e.staff_no, "org_id": hx(e.org_id),
            "email": e.email, "phone": e.phone, "roles": "[]", "liaison_org_ids": "[]", "left_on": None,
        })

    def on_PersonRenamed(self, batch: Batch, nid: int, e: Any) -> None:
        batch.update(people, hx(e.originator_id), name=e.name)

    def on_PersonMoved(self, batch: Batch, nid: int, e: Any) -> None:
        batch.update(people, hx(e.originator_id), org_id=hx(e.org_id))

    def on_PersonLeft(self, batch: Batch, nid: int, e: Any) -> None:
        person_id = hx(e.originator_id)
        for role, org_id in e.ended_roles:
            batch.delete(role_assignments, person_id, role, org_id)
        batch.update(people, person_id, roles="[]", left_on=day(e.on))

    def on_RoleAssigned(self, batch: Batch, nid: int, e: Any) -> None:
        person_id = hx(e.originator_id)
        batch.put(role_assignments, {
            "person_id": person_id, "role": e.role, "org_id": hx(e.org_id), "duty": e.duty,
            "field_org_ids": to_json([hx(o) for o in e.field_org_ids]),
        })
        self._change_roles(batch, person_id, lambda roles: [*_without(roles, e.role, hx(e.org_id)), [e.role, hx(e.org_id)]])

    def on_RoleRevoked(self, batch: Batch, nid: int, e: Any) -> None:
        person_id = hx(e.originator_id)
        batch.delete(role_assignments, person_id, e.role, hx(e.org_id))
        self._change_roles(batch, person_id, lambda roles: _without(roles, e.role, hx(e.org_id)))

    def _change_roles(self, batch: Batch, person_id: str | None, change: Any) -> None:
        row = batch.get(people, person_id)
        if row is not None:
            batch.update(people, person_id, roles=to_json(change(orjson.loads(row["roles"]))))

    def on_LiaisonPointLinked(self, batch: Batch, nid: int, e: Any) -> None:
        row = batch.get(people, hx(e.originator_id))
        if row is not None:
            linked = [*orjson.loads(row["liaison_org_ids"]), hx(e.org_id)]
            batch.update(people, hx(e.originator_id), liaison_org_ids=to_json(linked))

    def on_ContactUpdated(self, batch: Batch, nid: int, e: Any) -> None:
        batch.update(people, hx(e.originator_id), email=e.email, phone=e.phone)

    def on_FilterSaved(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(saved_filters, {
            "person_id": hx(e.originator_id), "list_name": e.list_name, "filter_name": e.filter_name,
            "query": e.query, "saved_at": moment(e.timestamp),
        })

    def on_FilterDeleted(self, batch: Batch, nid: int, e: Any) -> None:
        batch.delete(saved_filters, hx(e.originator_id), e.list_name, e.filter_name)

    def on_ResponsibilityListDrafted(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(responsibility_lists, {
            "list_id": hx(e.originator_id), "title": e.title, "year": e.year, "org_id": hx(e.org_id),
        })

    def on_ResponsibilityAspectAdded(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(responsibility_aspects, {
            "aspect_id": hx(e.aspect_id), "list_id": hx(e.originator_id), "title": e.title,
        })

    def on_ResponsibilityItemAdded(self, batch: Batch, nid: int, e: Any) -> None:
        batch.put(responsibility_items, {
            "item_id": hx(e.item_id), "list_id": hx(e.originator_id), "aspect_id": hx(e.aspect_id),
            "text": e.text, "responsible_role": e.responsible_role,
            "responsible_person_id": hx(e.responsible_person_id),
        })


def _without(roles: list[list[str]], role: str, org_id: str | None) -> list[list[str]]:
    return [r for r in roles if not (r[0] == role and r[1] == org_id)]


def recorded_directory(conn: Connection) -> Recorded:
    """Every organisation and person recorded, for a roster to be compared with."""
    return Recorded(
        org_ids=tuple(UUID(r) for r in conn.scalars(select(organisations.c.org_id).order_by(organisations.c.org_id))),
        person_ids=tuple(UUID(r) for r in conn.scalars(select(people.c.person_id).order_by(people.c.person_id))),
    )
