"""月度通报: the month's bulletin — points and ranking, what was done, what is overdue — as HTML
(and, through Chromium, PDF), in zh-CN, answered from the views (live or as of a past moment)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from sqlalchemy import Connection

from domain import ids
from domain.application import DutyLoop

from dutyloop.reports.charts import points_chart, rate_histogram
from dutyloop.reports.rendering import environment
from projections import assessment_queries as aq

SHOWN_SIDE_BY_SIDE = 3


def issued_at(app: DutyLoop, month: str) -> datetime | None:
    """When the month's bulletin was issued (by the scheduler or an admin), if it was: rendering
    it as of that moment shows it as it was announced, whatever was recorded since."""
    try:
        bulletin = app.repository.get(ids.bulletin_id(month))
    except AggregateNotFoundError:
        return None
    return bulletin.created_on


def bulletin_context(conn: Connection, month: str, today: date, issued: datetime | None = None) -> dict[str, Any]:
    """``issued``: when it was issued, in the business time zone (shown instead of "as of today")."""
    month = aq.parse_month(month)
    year = int(month[:4])
    lines = aq.bulletin_lines(conn, month, today)
    leading = lines[:SHOWN_SIDE_BY_SIDE]
    lagging = list(reversed(lines[-SHOWN_SIDE_BY_SIDE:])) if len(lines) > SHOWN_SIDE_BY_SIDE else []
    charts = []
    for line in ([lines[0], lines[-1]] if len(lines) > 1 else lines):
        series = aq.monthly_series(conn, year, line["org_id"], until=month)
        charts.append(points_chart(series["months"], series["points"], series["median"], series["name"],
                                   f"{series['name']} {year} 年逐月积分与全体中位数"))
    rates = aq.on_time_rates(conn, [m for m in aq.year_months(year) if m <= month])
    charts.append(rate_histogram([r["rate"] for r in rates], f"{year} 年 1–{int(month[5:])} 月各支部任务按时完成率分布"))
    return {
        "month": month, "year": year, "month_number": int(month[5:]), "today": today, "issued": issued,
        "lines": lines, "leading": leading, "lagging": lagging, "charts": charts,
        "totals": {
            "branches": len(lines),
            "points": sum((Decimal(line["points"]) for line in lines), Decimal(0)),
            "tasks_done": sum(line["tasks_done"] for line in lines),
            "tasks_late": sum(line["tasks_late"] for line in lines),
            "rectified": sum(line["rectified"] for line in lines),
            "activities": sum(line["activities"] for line in lines),
            "tasks_overdue": sum(line["tasks_overdue"] for line in lines),
            "rectifications_overdue": sum(line["rectifications_overdue"] for line in lines),
        },
        "activities": aq.branch_activities(conn, [month]),
        "names": {b["org_id"]: b["name"] for b in aq.branches(conn)},
    }


def render_bulletin(conn: Connection, month: str, today: date, issued: datetime | None = None, head: str = "") -> str:
    """``head``: the signed head of the hash chain as printed (``SignedHead.printed``), at the foot."""
    return environment().get_template("bulletin.html.j2").render(**bulletin_context(conn, month, today, issued), head=head)
