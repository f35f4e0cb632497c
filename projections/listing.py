"""What every list shares — the task list, findings, interviews, rectifications, meetings, and the
longer pages (inbox, trail, people): the database counts the rows a filter selects and returns
one page of them in the order asked for, so no list reads every row into Python to show fifty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

PAGE_SIZES = (20, 50, 100, 200)


@dataclass(frozen=True)
class Paging:
    """Which page of a list, sorted by which of its columns."""

    sort: str
    descending: bool = False
    page: int = 1
    per_page: int = 50


@dataclass
class Page:
    rows: list[dict[str, Any]]
    total: int
    paging: Paging
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, -(-self.total // self.paging.per_page))


def fetch(
    conn: Connection,
    counted: Any,
    named: Any,
    conditions: Sequence[Any],
    sorts: Mapping[str, Any],
    paging: Paging,
    tiebreak: Sequence[Any],
    *,
    every: bool = False,
) -> Page:
    """The total over ``counted`` (the table, or the join the conditions need) and one page of
    ``named`` (the same rows with the names a page shows); ``every``: all rows, for an export.
    ``tiebreak`` ends the order with a unique column, so pages never overlap."""
    total = conn.execute(select(func.count()).select_from(counted).where(*conditions)).scalar_one()
    column = sorts[paging.sort]
    query = named.where(*conditions).order_by(column.desc() if paging.descending else column.asc(), *tiebreak)
    if not every:
        query = query.limit(paging.per_page).offset((max(1, paging.page) - 1) * paging.per_page)
    return Page([dict(r) for r in conn.execute(query).mappings()], total, paging)


def slice_page(rows: Sequence[dict[str, Any]], paging: Paging) -> Page:
    """One page of rows already read (a list whose rows a rule in Python chooses, never many)."""
    start = (max(1, paging.page) - 1) * paging.per_page
    return Page(list(rows[start:start + paging.per_page]), len(rows), paging)
