"""The directory as the views know it: organisations, people and their roles, the responsibility
list, meetings.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Select, Table, or_, select

from projections.listing import Page, Paging, fetch
from projections.tables import meetings, organisations, people, responsibility_items, role_assignments


def _organisations_named() -> Select[Any]:
    parent = organisations.alias("parent")
    return select(organisations, parent.c.name.label("parent_name")).outerjoin(parent, parent.c.org_id == organisations.c.parent_id)


def organisation_list(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(_organisations_named().order_by(organisations.c.kind, organisations.c.name)).mappings()]


def organisation_page(conn: Connection, typed: str, paging: Paging) -> Page:
    """One page of the organisations whose name holds what was typed, by kind and name."""
    conditions = [organisations.c.name.contains(typed, autoescape=True)] if typed else []
    return fetch(conn, organisations, _organisations_named(), conditions, {"kind": organisations.c.kind}, paging,
                 (organisations.c.name, organisations.c.org_id))


def _person_item(row: Any) -> dict[str, Any]:
    item = dict(row)
    item["roles"] = [r[0] for r in json.loads(row["roles"])]
    item["liaison_org_ids"] = json.loads(row["liaison_org_ids"])
    return item


def people_list(conn: Connection, org_id: str | None = None) -> list[dict[str, Any]]:
    query = _in_org(people, org_id)
    return [_person_item(row) for row in conn.execute(query.order_by(organisations.c.name, people.c.staff_no)).mappings()]


def people_page(conn: Connection, typed: str, paging: Paging) -> Page:
    """One page of the people whose staff number starts with, or whose name holds, what was typed,
    by organisation and staff number."""
    conditions = [or_(people.c.staff_no.startswith(typed, autoescape=True), people.c.name.contains(typed, autoescape=True))] if typed else []
    found = fetch(conn, people, _in_org(people, None), conditions, {"org": organisations.c.name}, paging,
                  (people.c.staff_no, people.c.person_id))
    found.rows = [_person_item(row) for row in found.rows]
    return found


def person_names(conn: Connection, person_ids: set[str]) -> dict[str, str]:
    """The names of these people alone: a page naming a handful need not read the whole directory."""
    ids = sorted(i for i in person_ids if i)
    if not ids:
        return {}
    return {r.person_id: r.name for r in conn.execute(select(people.c.person_id, people.c.name).where(people.c.person_id.in_(ids)))}


def person_roles(conn: Connection, person_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(role_assignments, organisations.c.name.label("org_name"))
        .join(organisations, organisations.c.org_id == role_assignments.c.org_id)
        .where(role_assignments.c.person_id == person_id)
    ).mappings()
    return [dict(r) for r in rows]


def responsibility_list(conn: Connection) -> list[dict[str, Any]]:
    from projections.tables import responsibility_aspects, responsibility_lists

    rows = conn.execute(
        select(
            responsibility_lists.c.title.label("list_title"), responsibility_lists.c.year,
            responsibility_aspects.c.title.label("aspect"), responsibility_items.c.item_id,
            responsibility_items.c.list_id, responsibility_items.c.text, responsibility_items.c.responsible_role,
            people.c.name.label("responsible_person"),
        )
        .join(responsibility_lists, responsibility_lists.c.list_id == responsibility_items.c.list_id)
        .join(responsibility_aspects, responsibility_aspects.c.aspect_id == responsibility_items.c.aspect_id)
        .outerjoin(people, people.c.person_id == responsibility_items.c.responsible_person_id)
        .order_by(responsibility_lists.c.year, responsibility_aspects.c.title)
    ).mappings()
    return [dict(r) for r in rows]


def meeting_list(conn: Connection, org_id: str | None = None) -> list[dict[str, Any]]:
    query = _in_org(meetings, org_id)
    return [dict(r) for r in conn.execute(query.order_by(meetings.c.planned_on.desc())).mappings()]


def _in_org(table: Table, org_id: str | None) -> Select[Any]:
    """The rows of a table that belong to an organisation, with its name; all of them if none is named."""
    query = select(table, organisations.c.name.label("org_name")).join(
        organisations, organisations.c.org_id == table.c.org_id
    )
    return query.where(table.c.org_id == org_id) if org_id else query
