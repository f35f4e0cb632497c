"""任务清单 The task list: every task the person may see, filtered by organisation (and below),
person, meeting, status, warning level and deadline, sorted, paged and counted, and exported
to .xlsx or CSV exactly as filtered and sorted. The board's and home's counts link here."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy import Connection, select
from starlette.requests import Request
from starlette.responses import Response

from domain.errors import DomainError
from dutyloop.reports.sheets import TASK_COLUMNS
from dutyloop.web.deps import Viewer, business_today, catch_up, current_viewer, fresh_views, system_of
from dutyloop.web.forms import parse_day, parse_id
from dutyloop.web.i18n import Words, locale_of
from dutyloop.web.lists import among_of, choice, export, linker, organisation_choices, paging_of, work_of
from dutyloop.web.pages import nav, notice, redirect, render, safe_next
from dutyloop.web.saved_filters import saved_for
from dutyloop.web.seeing import seeing_of
from projections import lookup
from projections.deadline_queries import LEVELS
from projections.listing import PAGE_SIZES
from projections.tables import meetings, tasks
from projections.task_finder import DONE, SORTS, TaskFilter, find_tasks

router = APIRouter(include_in_schema=False)
nav("/tasks", "任务清单", "Tasks", 20)

STATUSES = ("issued", "signed", "in_progress", "reported_done", "returned", "accepted", "cancelled")
LIST_COLUMNS = [*TASK_COLUMNS[:7], ("level_label", "预警", "Warning"), *TASK_COLUMNS[7:]]


def task_filter(request: Request, conn: Connection, today: date, viewer: Viewer) -> TaskFilter:
    """The filter as the page's form (or a board link) sends it; a wrong value is refused by name.
    A person is named by staff number, name or id, as everywhere else."""
    q = request.query_params
    paging = paging_of(request, SORTS, "deadline")
    done = q.get("done") or None
    if done is not None and done not in DONE:
        raise DomainError("invalid_value", field="done", value=done, allowed=list(DONE))
    return TaskFilter(
        among=among_of(request, conn, today), work_of=work_of(request, viewer),
        org_id=parse_id(q["org"], "organisation").hex if q.get("org") else None,
        below=q.get("scope", "tree") != "self",
        person_id=lookup.resolve_person(conn, q["person"]) if q.get("person", "").strip() else None,
        meeting_id=parse_id(q["meeting"], "meeting").hex if q.get("meeting") else None,
        list_item_id=parse_id(q["item"], "responsibility_item").hex if q.get("item") else None,
        statuses=choice(q.getlist("status"), STATUSES, "status"),
        levels=choice(q.getlist("level"), LEVELS, "level"),
        done=done,
        deadline_from=parse_day(q["from"], "from") if q.get("from") else None,
        deadline_to=parse_day(q["to"], "to") if q.get("to") else None,
        sort=paging.sort, descending=paging.descending, page=paging.page, per_page=paging.per_page,
    )


def _labelled(rows: list[dict[str, Any]], words: Words) -> list[dict[str, Any]]:
    for row in rows:
        row["status_label"] = words.term(row["status"])
        row["level_label"] = words.label(row["level"])
    return rows


@router.get("/tasks")
def task_list_page(
    request: Request,
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    wanted = task_filter(request, conn, today, viewer)
    found = find_tasks(conn, wanted, seeing_of(conn, viewer), today)
    words = Words(locale_of(request))
    orgs = organisation_choices(conn)
    meeting_rows = conn.execute(select(meetings.c.meeting_id, meetings.c.title).order_by(meetings.c.planned_on.desc())).mappings().all()
    return render(
        request, "task_list.html", found=found, rows=_labelled(found.rows, words), wanted=wanted, orgs=orgs,
        meetings=meeting_rows, statuses=STATUSES, levels=LEVELS, page_sizes=PAGE_SIZES,
        sorts=SORTS, link=linker(request), today=today, saved=saved_for(conn, viewer, "tasks"),
    )


@router.get("/tasks.{fmt}")
def task_list_export(
    request: Request,
    fmt: str,
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    words = Words(locale_of(request))
    found = find_tasks(conn, task_filter(request, conn, today, viewer), seeing_of(conn, viewer), today, every=True)
    return export(request, fmt, words, ("任务清单", "Task list"), LIST_COLUMNS, _labelled(found.rows, words), today,
                  ("任务清单", "tasks"))


@router.post("/tasks/bulk")
async def bulk(
    request: Request,
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    """批量办理: accept, return or urge the tasks picked, or urge every overdue task the list's
    filters select (all its pages) — one command per task, each refusal shown by its task."""
    form = await request.form()
    scope, text = str(form.get("scope", "picked")), str(form.get("text", ""))
    if scope == "overdue":
        action = "urge"
        wanted = replace(task_filter(request, conn, today, viewer), levels=("overdue", "seriously_overdue"))
        rows = find_tasks(conn, wanted, seeing_of(conn, viewer), today, every=True).rows
        picked = [parse_id(r["task_id"], "task") for r in rows]
        text = text or "请抓紧办理逾期任务"
    else:
        action = str(form.get("action", ""))
        picked = [parse_id(str(value), "task") for value in form.getlist("task")]
    if not picked:
        raise DomainError("required", field="task")
    titles = dict(conn.execute(select(tasks.c.task_id, tasks.c.title).where(tasks.c.task_id.in_([t.hex for t in picked]))).all())
    outcomes = system_of(request).app.act_on_each(viewer.actor, action, picked, text)
    catch_up(request)
    done = sum(1 for o in outcomes if o.refusal is None)
    notice(request, f"已办理 {done} 项，未办理 {len(outcomes) - done} 项", f"{done} done, {len(outcomes) - done} refused",
           "ok" if done == len(outcomes) else "error")
    for outcome in outcomes:
        if outcome.refusal is not None:
            title = titles.get(outcome.task_id.hex, outcome.task_id.hex[:8])
            notice(request, f"{title}：{outcome.refusal.message('zh-CN')}", f"{title}: {outcome.refusal.message('en')}", "error")
    return redirect(safe_next(str(form.get("back", "")), "/tasks"))
