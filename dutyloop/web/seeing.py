"""What a person may see in a list or a search, as a filter the database applies: the pages'
own rule (``Viewer.may_view``) asked once per organisation instead of once per row."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Connection, select

from dutyloop.web.deps import Viewer
from projections.tables import organisations
from projections.task_finder import Seeing


def seeing_of(conn: Connection, viewer: Viewer) -> Seeing:
    if viewer.is_admin:
        return Seeing(viewer.hex)
    every = [row[0] for row in conn.execute(select(organisations.c.org_id))]
    visible = frozenset(org for org in every if viewer.may_view(UUID(org)))
    return Seeing(viewer.hex, None if len(visible) == len(every) else visible)
