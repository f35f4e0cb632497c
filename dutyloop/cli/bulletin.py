"""一月一通报: the monthly bulletin rendered as HTML or PDF.
"""

from __future__ import annotations

from pathlib import Path

import click

from dutyloop.audit.signing import sign_head
from dutyloop.cli.base import CliState, command, done, main
from dutyloop.cli.queries import as_of_option, reading
from projections import assessment_queries as aq


@main.group("bulletin")
def bulletin_group() -> None:
    """月度通报: the monthly bulletin as HTML and PDF."""


@command(bulletin_group, "render")
@click.option("--month", required=True, help="YYYY-MM")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path))
@as_of_option
def bulletin_render(state: CliState, month: str, html_path: Path | None, pdf_path: Path | None, as_of: str | None, today_text: str | None) -> None:
    """Render the month's bulletin: as it was issued (as of that moment) when it was, else as the
    record stands (what is overdue as of the month's end)."""
    from dutyloop.reports.bulletin import issued_at, render_bulletin
    from dutyloop.reports.printing import printer_for

    if not (html_path or pdf_path):
        raise click.UsageError(state.zh("请给出 --html 文件 或 --pdf 文件", "Give --html FILE and/or --pdf FILE"))
    chosen = aq.parse_month(month)
    issued = issued_at(state.open().app, chosen) if not (as_of or today_text) else None
    if issued is not None:
        issued = issued.astimezone(state.open().clock.tz)
        as_of = issued.isoformat()
    with reading(state, as_of, today_text) as (conn, day):
        judged = day if (today_text or as_of) else min(day, aq.month_end(chosen))
        system = state.open()
        head = sign_head(system.engine, system.settings.data_dir, f"bulletin {chosen}", system.clock.now())
        html = render_bulletin(conn, chosen, judged, issued, head.printed(state.locale.startswith("en")))
    if html_path:
        html_path.write_text(html, encoding="utf-8")
    if pdf_path:
        pdf_path.write_bytes(printer_for(state.settings).pdf(html))
    done(state, "已生成 {month} 月度通报" + ("（按发布时的记录）" if issued else ""),
         "Bulletin for {month} rendered" + (" (as issued)" if issued else ""), month=chosen,
         html=str(html_path) if html_path else None, pdf=str(pdf_path) if pdf_path else None)
