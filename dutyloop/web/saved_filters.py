"""A person's saved filters of a list, as the list page offers them: each a link to the list with
that filter, read from the view the person's FilterSaved and FilterDeleted events keep."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import Connection, select

from dutyloop.web.deps import Viewer
from projections.tables import saved_filters

PATHS = {"tasks": "/tasks", "findings": "/lists/findings", "interviews": "/lists/interviews",
         "rectifications": "/lists/rectifications", "meetings": "/lists/meetings"}
"""Where each list a filter can be saved of is."""
NOT_KEPT = {"page"}
"""A saved filter opens on its first page."""


def kept_query(query: str) -> str:
    """The part of a list's query a saved filter keeps."""
    return urlencode([(k, v) for k, v in parse_qsl(query, keep_blank_values=False) if k not in NOT_KEPT])


def saved_for(conn: Connection, viewer: Viewer, list_name: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(saved_filters.c.filter_name, saved_filters.c.query)
        .where(saved_filters.c.person_id == viewer.hex, saved_filters.c.list_name == list_name)
        .order_by(saved_filters.c.filter_name)
    ).mappings()
    return [{"name": r["filter_name"], "href": f"{PATHS[list_name]}?{r['query']}"} for r in rows]
