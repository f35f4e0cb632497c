"""季度亮比: the quarter's ranking with the leading and the lagging branches side by side, and why,
as a printable sheet for the secretaries' meeting."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from dutyloop.reports.rendering import environment
from projections import assessment_queries as aq


def quarter_context(conn: Connection, year: int, quarter: int, side_by_side: int = 5) -> dict[str, Any]:
    comparison = aq.quarterly_comparison(conn, year, quarter, side_by_side)
    pairs = list(zip(comparison["leading"], comparison["lagging"], strict=False))
    return {**comparison, "year": year, "quarter_number": quarter, "pairs": pairs}


def render_quarter_sheet(conn: Connection, year: int, quarter: int, side_by_side: int = 5) -> str:
    return environment().get_template("quarterly.html.j2").render(**quarter_context(conn, year, quarter, side_by_side))
