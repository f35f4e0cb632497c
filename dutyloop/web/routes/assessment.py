"""述责 · 考责 pages: monthly points (a branch's against the median), the quarter's 亮比, the annual
631 (published, exported, explained down to events), 述职评议, and the monthly bulletin as PDF.

A secretary sees their own branch's points and breakdown and the published rankings; the
committee, discipline inspection and admins see every branch. The domain decides who may grade,
publish or correct: the pages only show the forms a person could use.
"""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Depends, Form
from fastapi import Path as PathParam
from sqlalchemy import Connection
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from domain.ranges import YEAR
from domain.review import GRADE_LABELS, review_id
from domain.scoring import DIMENSION_LABELS, DIMENSIONS, RULE_LABELS
from domain.vocabulary import Role
from dutyloop.audit.signing import sign_head
from dutyloop.reports.charts import points_chart, rate_histogram
from dutyloop.reports.rendering import signed
from dutyloop.web.deps import (
    Viewer,
    business_today,
    catch_up,
    current_viewer,
    fresh_views,
    system_of,
)
from dutyloop.web.forms import parse_id, parse_page
from dutyloop.web.i18n import Words, locale_of
from dutyloop.web.lists import linker
from dutyloop.web.pages import nav, notice, redirect, render
from projections import assessment_queries as aq
from projections.listing import Paging, slice_page

router = APIRouter(include_in_schema=False)

WHOLE_PICTURE = (Role.COMMITTEE_SECRETARY, Role.TEAM_MEMBER, Role.PARTY_DEPT, Role.DISCIPLINE, Role.ADMIN, Role.FLEXIBLE_TEAM)
nav("/points", "积分", "Points", 60)
nav("/ranking", "亮比", "Ranking", 62)
nav("/assessment", "考核", "Assessment", 64)
nav("/reviews", "述职评议", "Reviews", 66)


def _sees_all(viewer: Viewer) -> bool:
    return viewer.has(*WHOLE_PICTURE)


def _words(request: Request) -> Words:
    return Words(locale_of(request))


def _labels(words: Words) -> dict[str, Any]:
    def pick(table: dict[str, tuple[str, str]]) -> dict[str, str]:
        return {k: words(zh, en) for k, (zh, en) in table.items()}

    return {"rule_label": pick(RULE_LABELS), "dimension_label": pick(DIMENSION_LABELS), "grade_label": pick(GRADE_LABELS),
            "signed": signed, "dimensions": DIMENSIONS}


Year = Annotated[int, PathParam(ge=YEAR.low, le=YEAR.high)]
"""A year in a page's address: beyond the range of years the page is not found."""


def _year(text: str, today: date) -> int:
    """The year asked for, or this year where none (or one beyond the range of years) is."""
    return int(text) if text.isdigit() and YEAR.low <= int(text) <= YEAR.high else today.year


# -- 月积分 -------------------------------------------------------------------------------------------


@router.get("/points")
def points(
    request: Request, year: str = "", viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views), today: date = Depends(business_today),
) -> Response:
    chosen = _year(year, today)
    if not _sees_all(viewer):
        own = viewer.branch_org_ids
        if not own:
            raise viewer.refuse("view_page", "reason_not_owner")
        return redirect(f"/points/{own[0].hex}?year={chosen}")
    words = _words(request)
    rows = aq.monthly_points(conn, chosen)
    months = [m for m in aq.year_months(chosen) if m <= today.isoformat()[:7] or chosen < today.year]
    rates = aq.on_time_rates(conn, months or aq.year_months(chosen))
    chart = rate_histogram([r["rate"] for r in rates], words(f"{chosen} 年各支部任务按时完成率分布", f"On-time rates of the branches, {chosen}"), words.locale)
    rows.sort(key=lambda r: (-r["total"], r["name"]))
    return render(request, "assessment_points.html", year=chosen, rows=rows, months=months, chart=chart, **_labels(words))


@router.get("/points/{org}")
def branch_points(
    request: Request, org: str, year: str = "", viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views), today: date = Depends(business_today),
) -> Response:
    org_id = parse_id(org, "organisation")
    viewer.require_view(org_id)
    chosen = _year(year, today)
    words = _words(request)
    until = today.isoformat()[:7] if chosen == today.year else None
    series = aq.monthly_series(conn, chosen, org_id.hex, until=until)
    chart = points_chart(series["months"], series["points"], series["median"], series["name"],
                         words(f"{chosen} 年逐月积分与全体中位数", f"Monthly points {chosen} against the median"), words.locale)
    detail = list(reversed(aq.point_detail(conn, aq.year_months(chosen), org_id.hex)))
    return render(request, "assessment_branch.html", year=chosen, name=series["name"], org_id=org_id.hex, chart=chart,
                  detail=detail, total=sum((r["points"] for r in detail), Decimal(0)), **_labels(words))


# -- 季度亮比 -------------------------------------------------------------------------------------------


def _quarter(text: str, today: date) -> tuple[int, int]:
    return aq.parse_quarter(text) if text else (today.year, (today.month - 1) // 3 + 1)


@router.get("/ranking")
def ranking(
    request: Request, quarter: str = "", viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views), today: date = Depends(business_today),
) -> Response:
    year, number = _quarter(quarter, today)
    comparison = aq.quarterly_comparison(conn, year, number)
    pairs = list(zip(comparison["leading"], comparison["lagging"], strict=False))
    quarters = [f"{y}Q{q}" for y in (today.year - 1, today.year) for q in range(1, 5) if (y, q) <= (today.year, (today.month - 1) // 3 + 1)]
    return render(request, "assessment_ranking.html", comparison=comparison, pairs=pairs, quarter=f"{year}Q{number}",
                  quarters=list(reversed(quarters)), **_labels(_words(request)))


def _pdf_response(request: Request, html: str, filename: str) -> Response:
    """The PDF of this page, printed once and kept (``dutyloop/reports/printing.py``)."""
    content = request.app.state.printer.pdf(html)
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": f"attachment; filename*=utf-8''{quote(filename)}"})


@router.get("/ranking/{quarter}.pdf")
def ranking_sheet(request: Request, quarter: str, viewer: Viewer = Depends(current_viewer),
                  conn: Connection = Depends(fresh_views)) -> Response:
    """The printable 亮比 sheet for the secretaries' meeting."""
    from dutyloop.reports.quarterly import render_quarter_sheet

    year, number = aq.parse_quarter(quarter)
    return _pdf_response(request, render_quarter_sheet(conn, year, number), f"{year}Q{number}-亮比.pdf")


@router.get("/bulletin/{month}.pdf")
def bulletin_pdf(
    request: Request, month: str, viewer: Viewer = Depends(current_viewer), conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    """月度通报 for everyone: as it was issued when it was (the views as of that moment), else
    what was done and what is overdue as of the month's end."""
    from dutyloop.reports.bulletin import issued_at, render_bulletin

    chosen = aq.parse_month(month)
    system = system_of(request)
    issued = issued_at(system.app, chosen)
    head = sign_head(system.engine, system.settings.data_dir, f"bulletin {chosen}", system.clock.now()).printed(
        locale_of(request).startswith("en"))
    if issued is None:
        html = render_bulletin(conn, chosen, min(today, aq.month_end(chosen)), head=head)
    else:
        local = issued.astimezone(system.clock.tz)
        engine = system.views.as_of(issued)
        try:
            with engine.connect() as old:
                html = render_bulletin(old, chosen, local.date(), local, head)
        finally:
            engine.dispose()
    return _pdf_response(request, html, f"{chosen}-月度通报.pdf")


# -- 年考核 631 ----------------------------------------------------------------------------------------


@router.get("/assessment")
def assessment(
    request: Request, year: str = "", viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views), today: date = Depends(business_today),
) -> Response:
    chosen = _year(year, today)
    published = aq.published_assessment(conn, chosen)
    computed = [s.as_record() for s in aq.assessment(conn, chosen)] if _sees_all(viewer) else None
    return render(request, "assessment_year.html", year=chosen, published=published, computed=computed,
                  weights=aq.weights_for(conn, chosen), own=[o.hex for o in viewer.branch_org_ids],
                  sees_all=_sees_all(viewer), **_labels(_words(request)))


@router.post("/assessment/{year}/publish")
def publish_assessment(request: Request, year: Year, viewer: Viewer = Depends(current_viewer), conn: Connection = Depends(fresh_views)) -> Response:
    """Publishes exactly what the record gives now; the domain refuses anyone but an admin, and a second time."""
    results = [s.as_record() for s in aq.assessment(conn, year)]
    system_of(request).app.publish_assessment(viewer.actor, year, results)
    catch_up(request)
    notice(request, f"{year} 年度考核结果已发布", f"The {year} assessment is published")
    return redirect(f"/assessment?year={year}")


@router.get("/assessment/{year}.xlsx")
def assessment_export(request: Request, year: Year, viewer: Viewer = Depends(current_viewer), conn: Connection = Depends(fresh_views)) -> Response:
    from dutyloop.reports.assessment_book import write_assessment

    published = aq.published_assessment(conn, year)
    if published is None and not _sees_all(viewer):
        raise viewer.refuse("view_page", "reason_not_leader")
    results = published["results"] if published else [s.as_record() for s in aq.assessment(conn, year)]
    words = _words(request)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)
    handle.close()
    path = Path(handle.name)
    write_assessment(path, year, results, aq.weights_for(conn, year), words.locale, published=published is not None)
    return FileResponse(path, filename=words(f"{year}年度631考核.xlsx", f"assessment-{year}.xlsx"),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        background=BackgroundTask(path.unlink, missing_ok=True))


@router.get("/assessment/{year}/{org}")
def breakdown(request: Request, year: Year, org: str, viewer: Viewer = Depends(current_viewer), conn: Connection = Depends(fresh_views)) -> Response:
    org_id = parse_id(org, "organisation")
    viewer.require_view(org_id)
    tree = aq.breakdown(conn, year, org_id.hex)
    return render(request, "assessment_breakdown.html", year=year, score=tree["score"], tree=tree["dimensions"],
                  **_labels(_words(request)))


# -- 述职评议 -------------------------------------------------------------------------------------------


REVIEWS_PER_PAGE = 50


@router.get("/reviews")
def reviews(
    request: Request, year: str = "", viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views), today: date = Depends(business_today),
) -> Response:
    chosen = _year(year, today)
    rows = [r for r in aq.review_list(conn, chosen) if _sees_all(viewer) or UUID(r["org_id"]) in viewer.branch_org_ids]
    filed = {r["org_id"] for r in rows}
    may_file = [o.hex for o in viewer.orgs_with(Role.BRANCH_SECRETARY) if o.hex not in filed]
    shown = slice_page(rows, Paging("name", page=parse_page(request.query_params.get("page", "1")), per_page=REVIEWS_PER_PAGE))
    rows = shown.rows
    for row in rows:
        org_id = UUID(row["org_id"])
        row["may_grade"] = viewer.authority.may_review(org_id) and row["secretary_id"] != viewer.hex and row["status"] != "published"
        row["may_publish"] = viewer.authority.may_publish_results(org_id)
    return render(request, "assessment_reviews.html", year=chosen, rows=rows, shown=shown, link=linker(request), may_file=may_file,
                  **_labels(_words(request)))


@router.post("/reviews/{year}/file")
def file_review(
    request: Request, year: Year, org: str = Form(...), business: str = Form(...), party: str = Form(...),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    system_of(request).app.file_review_report(viewer.actor, parse_id(org, "organisation"), year, business, party)
    catch_up(request)
    notice(request, "已提交述职报告", "Report filed")
    return redirect(f"/reviews?year={year}")


@router.post("/reviews/{year}/{org}/{action}")
def act_on_review(
    request: Request, year: Year, org: str, action: str, grade: str = Form(""), score: str = Form(""),
    reason: str = Form(""), comment: str = Form(""), viewer: Viewer = Depends(current_viewer),
) -> Response:
    app = system_of(request).app
    rid = review_id(parse_id(org, "organisation"), year)
    mark = {"grade": grade or None, "score": score or None}
    if action == "grade":
        app.grade_review(viewer.actor, rid, comment=comment, **mark)
    elif action == "publish":
        app.publish_review(viewer.actor, rid)
    elif action == "recall":
        app.recall_review(viewer.actor, rid, reason)
    elif action == "correct":
        app.correct_review(viewer.actor, rid, reason, **mark)
    else:
        return Response(status_code=404)
    catch_up(request)
    notice(request, "已记录", "Recorded")
    return redirect(f"/reviews?year={year}")
