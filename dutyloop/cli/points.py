"""月积分 and 季度亮比: a month's or a year's points with where they came from, and the quarter's
leading and lagging branches side by side.

Every query answers ``--as-of`` a past moment like the other queries do.
"""

from __future__ import annotations

from pathlib import Path

import click

from dutyloop.cli.assess_support import emit, points_text, reasons, rule_name
from dutyloop.cli.base import YEARS, CliState, command, main
from dutyloop.cli.queries import as_of_option, reading
from dutyloop.reports.rendering import signed
from projections import assessment_queries as aq
from projections import lookup


@command(main, "points")
@click.option("--month", help="One month, YYYY-MM.")
@click.option("--year", type=YEARS, help="A whole year, month by month (default: this year).")
@click.option("--org", help="One branch.")
@click.option("--detail", is_flag=True, help="Every point with the event that earned or cost it.")
@as_of_option
def points(state: CliState, month: str | None, year: int | None, org: str | None, detail: bool, as_of: str | None, today_text: str | None) -> None:
    """月积分: points per branch and month, down to the events."""
    with reading(state, as_of, today_text) as (conn, day):
        org_id = lookup.resolve_org(conn, org) if org else None
        if detail or month:
            months = [aq.parse_month(month)] if month else aq.year_months(year or day.year)
            if detail:
                rows = aq.point_detail(conn, months, org_id)
                names = {b["org_id"]: b["name"] for b in aq.branches(conn)}
                for row in rows:
                    row["name"] = names.get(row["org_id"], row["org_id"][:8])
                    row["rule_label"] = rule_name(state, row["rule"])
                    row["event"] = f"{row['event_type']} {row['originator_id'][:8]}@{row['originator_version']} #{row['notification_id']}"
                    row["because"] = "、".join(f"{s['event_type']} #{s['notification_id']}" for s in row["sources"])
                emit(state, points_text(state, rows, "points"), [
                    ("business_date", "日期", "Date"), ("name", "支部", "Branch"), ("rule_label", "积分项目", "Rule"),
                    ("points", "积分", "Points"), ("rule_version", "规则版本", "Rules v."), ("event", "事件", "Event"),
                    ("because", "依据", "Based on"), ("note", "说明", "Note")])
                return
            rows = [r for r in aq.ranking(conn, months) if org_id is None or r["org_id"] == org_id]
            for row in rows:
                row["gains"] = reasons(state, row["sources"])
                row["lost"] = reasons(state, row["losses"])
            emit(state, points_text(state, rows, "points"), [
                ("rank", "名次", "Rank"), ("name", "支部", "Branch"), ("points", "积分", "Points"),
                ("gains", "主要得分", "Top sources"), ("lost", "主要失分", "Top losses")], title=f"{months[0]}")
            return
        chosen = year or day.year
        rows = aq.monthly_points(conn, chosen, org_id)
    if state.as_json:
        emit(state, rows)
        return
    months = aq.year_months(chosen)
    table = [{"name": r["name"], "total": signed(r["total"]), **{m: signed(r["months"][m]) for m in months}} for r in rows]
    emit(state, table, [("name", "支部", "Branch"), *((m, m[5:], m[5:]) for m in months), ("total", "合计", "Total")],
         title=state.zh(f"{chosen} 年月积分", f"Monthly points {chosen}"))


@command(main, "ranking")
@click.option("--quarter", help="季度亮比, e.g. 2026Q3.")
@click.option("--month", help="One month, YYYY-MM.")
@click.option("--side", default=5, show_default=True, help="How many leading and lagging branches side by side.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), help="Also write the printable sheet (quarter only).")
@as_of_option
def ranking(state: CliState, quarter: str | None, month: str | None, side: int, html_path: Path | None, as_of: str | None, today_text: str | None) -> None:
    """季度亮比 / monthly ranking, with the reasons of the leading and the lagging branches."""
    if not (quarter or month):
        raise click.UsageError(state.zh("请给出 --quarter 2026Q3 或 --month 2026-10", "Give --quarter 2026Q3 or --month 2026-10"))
    with reading(state, as_of, today_text) as (conn, _):
        if quarter:
            year, number = aq.parse_quarter(quarter)
            result = aq.quarterly_comparison(conn, year, number, side)
            if html_path:
                from dutyloop.reports.quarterly import render_quarter_sheet

                html_path.write_text(render_quarter_sheet(conn, year, number, side), encoding="utf-8")
        else:
            rows = aq.ranking(conn, [aq.parse_month(month or "")])
            result = {"ranking": rows, "leading": rows[:side], "lagging": list(reversed(rows[-side:]))}
    if state.as_json:
        emit(state, result)
        return
    for row in result["ranking"]:
        row["gains"] = reasons(state, row["sources"])
        row["lost"] = reasons(state, row["losses"])
    columns = [("rank", "名次", "Rank"), ("name", "支部", "Branch"), ("points", "积分", "Points"),
               ("gains", "主要得分", "Top sources"), ("lost", "主要失分", "Top losses")]
    emit(state, points_text(state, result["leading"], "points"), columns, title=state.zh("前列支部", "Leading branches"))
    emit(state, points_text(state, result["lagging"], "points"), columns, title=state.zh("后进支部", "Lagging branches"))
    emit(state, points_text(state, result["ranking"], "points"), columns[:3], title=state.zh("排名", "Ranking"))
    if html_path:
        click.echo(state.zh(f"已写出可打印的亮比表：{html_path}", f"Printable sheet written: {html_path}"))
