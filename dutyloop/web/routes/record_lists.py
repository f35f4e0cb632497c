"""发现问题、约谈、整改、会议 The lists of findings, interviews, rectifications and meetings: one
page and one export that serve all four, each list described once in projections/record_lists.py
and here only by its column heads and its export's columns. Filtered by organisation (and below),
person, status, a date range and the list's own filters; sorted, paged, counted; the board's and
home's counts of rectifications open here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from domain.errors import NotFound
from dutyloop.web.deps import Viewer, business_today, current_viewer, fresh_views
from dutyloop.web.forms import parse_day, parse_id
from dutyloop.web.i18n import Words, locale_of
from dutyloop.web.lists import CARRIED, among_of, choice, export, linker, organisation_choices, paging_of, work_of
from dutyloop.web.pages import nav, render
from dutyloop.web.saved_filters import saved_for
from dutyloop.web.seeing import seeing_of
from projections import lookup
from projections.export import Column
from projections.listing import PAGE_SIZES, Page
from projections.record_lists import FINDINGS, INTERVIEWS, MEETINGS, RECTIFICATIONS, RecordList, Wanted, find

router = APIRouter(include_in_schema=False)

Head = tuple[str | None, str, str]
"""A column head: the sort it orders by (None: not sortable), its words."""


@dataclass(frozen=True)
class ListPage:
    kind: RecordList
    heads: tuple[Head, ...]
    columns: list[Column]
    person_zh: str
    person_en: str


PAGES: dict[str, ListPage] = {
    "findings": ListPage(
        FINDINGS,
        (("description", "问题", "Finding"), ("org", "组织", "Organisation"), ("subject", "检查", "Inspection"),
         ("raised_on", "发现日期", "Raised"), ("status", "整改", "Rectification")),
        [("finding_id", "编号", "Id"), ("raised_on", "发现日期", "Raised"), ("org_name", "组织", "Organisation"),
         ("inspection_kind_label", "检查方式", "Inspection"), ("subject", "检查内容", "Subject"),
         ("description", "问题", "Finding"), ("status_label", "整改状态", "Rectification"), ("owner_name", "整改责任人", "Owner")],
        "整改责任人（工号或姓名）", "Rectification owner (staff no. or name)",
    ),
    "interviews": ListPage(
        INTERVIEWS,
        (("reason", "事由", "Reason"), ("org", "组织", "Organisation"), (None, "约谈人", "Interviewer"),
         ("interviewee", "被约谈人", "Interviewee"), ("planned_on", "计划日期", "Planned"), ("held_on", "约谈日期", "Held"),
         ("status", "状态", "Status"), ("rectification_deadline", "整改时限", "Rectify by")),
        [("interview_id", "编号", "Id"), ("reason", "事由", "Reason"), ("org_name", "组织", "Organisation"),
         ("interviewer_name", "约谈人", "Interviewer"), ("interviewee_name", "被约谈人", "Interviewee"),
         ("planned_on", "计划日期", "Planned"), ("held_on", "约谈日期", "Held"), ("status_label", "状态", "Status"),
         ("rectification_deadline", "整改时限", "Rectify by")],
        "约谈人或被约谈人（工号或姓名）", "Interviewer or interviewee (staff no. or name)",
    ),
    "rectifications": ListPage(
        RECTIFICATIONS,
        (("requirement", "整改要求", "Requirement"), (None, "来源", "From"), ("org", "组织", "Organisation"),
         ("owner", "责任人", "Owner"), ("status", "状态", "Status"), ("opened_on", "启动日期", "Opened"),
         ("deadline", "时限", "Deadline")),
        [("rectification_id", "编号", "Id"), ("requirement", "整改要求", "Requirement"), ("source_kind_label", "来源", "From"),
         ("source_text", "来源事项", "Source"), ("org_name", "组织", "Organisation"), ("owner_name", "责任人", "Owner"),
         ("status_label", "状态", "Status"), ("opened_on", "启动日期", "Opened"), ("deadline", "时限", "Deadline"),
         ("completion_reported_on", "报完成日期", "Completion reported"), ("closed_on", "销号日期", "Closed")],
        "责任人（工号或姓名）", "Owner (staff no. or name)",
    ),
    "meetings": ListPage(
        MEETINGS,
        (("title", "会议", "Meeting"), ("org", "组织", "Organisation"), ("planned_on", "计划日期", "Planned"),
         ("held_on", "召开日期", "Held"), ("status", "状态", "Status"), ("tasks_issued", "下达任务", "Tasks issued")),
        [("meeting_id", "编号", "Id"), ("title", "会议", "Meeting"), ("kind_label", "会议类型", "Kind"),
         ("org_name", "组织", "Organisation"), ("planned_on", "计划日期", "Planned"), ("held_on", "召开日期", "Held"),
         ("status_label", "状态", "Status"), ("attendees", "出席人数", "Attendees"), ("tasks_issued", "下达任务", "Tasks issued")],
        "出席人员（工号或姓名）", "Attendee (staff no. or name)",
    ),
}
for _order, _page in enumerate(PAGES.values(), start=21):
    nav(f"/lists/{_page.kind.name}", f"{_page.kind.zh}清单", _page.kind.en, _order)

LABELLED = ("status", "inspection_kind", "kind", "source_kind")
"""The stored values a row shows in words."""


def wanted_of(request: Request, conn: Connection, kind: RecordList, viewer: Viewer, today: date) -> Wanted:
    """The filter as the page's form (or a board or home count) sends it; a wrong value is refused by name."""
    q = request.query_params
    chosen = tuple(
        (name, value) for name, filtered in kind.choices.items() for value in choice(q.getlist(name)[:1], filtered.values, name)
    )
    return Wanted(
        paging=paging_of(request, kind.sorts, kind.default_sort, kind.descending),
        org_id=parse_id(q["org"], "organisation").hex if q.get("org") else None,
        below=q.get("scope", "tree") != "self",
        among=among_of(request, conn, today), work_of=work_of(request, viewer),
        person_id=lookup.resolve_person(conn, q["person"]) if q.get("person", "").strip() else None,
        statuses=choice(q.getlist("status"), kind.statuses, "status"),
        day_from=parse_day(q["from"], "from") if q.get("from") else None,
        day_to=parse_day(q["to"], "to") if q.get("to") else None,
        chosen=chosen,
    )


def found_in(request: Request, name: str, conn: Connection, viewer: Viewer, today: date,
           every: bool = False) -> tuple[ListPage, Wanted, Page]:
    """The list asked for by its name, the filter its address gives, and what it finds."""
    if name not in PAGES:
        raise NotFound("list", name)
    page = PAGES[name]
    wanted = wanted_of(request, conn, page.kind, viewer, today)
    return page, wanted, find(conn, page.kind, wanted, seeing_of(conn, viewer), today, every=every)


def _labelled(rows: list[dict[str, Any]], words: Words) -> list[dict[str, Any]]:
    for row in rows:
        for key in LABELLED:
            if row.get(key):
                row[f"{key}_label"] = words.label(row[key])
    return rows


@router.get("/lists/{name}.{fmt}")
def list_export(
    request: Request,
    name: str,
    fmt: str,
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    page, _, found = found_in(request, name, conn, viewer, today, every=True)
    words = Words(locale_of(request))
    title = (f"{page.kind.zh}清单", page.kind.en)
    return export(request, fmt, words, title, page.columns, _labelled(found.rows, words), today, (title[0], page.kind.name))


@router.get("/lists/{name}")
def list_page(
    request: Request,
    name: str,
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    page, wanted, found = found_in(request, name, conn, viewer, today)
    kind = page.kind
    orgs = organisation_choices(conn)
    return render(
        request, "record_list.html", page=page, kind=kind, found=found, rows=_labelled(found.rows, Words(locale_of(request))),
        wanted=wanted, paging=wanted.paging, chosen=dict(wanted.chosen), orgs=orgs, page_sizes=PAGE_SIZES,
        link=linker(request), today=today, carry=CARRIED, path=f"/lists/{kind.name}",
        saved=saved_for(conn, viewer, kind.name),
    )

