"""任务清单 The task list: every task the person may see, filtered by organisation (and below),
person, meeting, status, warning level and deadline, sorted, paged and counted, and exported
to .xlsx or CSV exactly as filtered and sorted. The board's and home's counts link here."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from sqlalchemy import Connection, select
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from domain.errors import DomainError
from dutyloop.cli.export import TASK_COLUMNS
from dutyloop.web.deps import Viewer, business_today, catch_up, current_viewer, fresh_views, system_of
from dutyloop.web.forms import parse_day, parse_id, parse_page
from dutyloop.web.i18n import Words, locale_of
from dutyloop.web.pages import nav, notice, redirect, render, safe_next
from dutyloop.web.routes.board import board_rows
from dutyloop.web.seeing import seeing_of
from projections import lookup
from projections.deadline_queries import LEVELS
from projections.export import Sheet, write
from projections.tables import meetings, organisations, tasks
from projections.task_finder import DONE, PAGE_SIZES, SORTS, TaskFilter, TaskPage, find_tasks

router = APIRouter(include_in_schema=False)
nav("/tasks", "任务清单", "Tasks", 20)

STATUSES = ("issued", "signed", "in_progress", "reported_done", "returned", "accepted", "cancelled")
MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}
LIST_COLUMNS = [*TASK_COLUMNS[:7], ("level_label", "预警", "Warning"), *TASK_COLUMNS[7:]]


def _choice(values: list[str], allowed: tuple[str, ...], field: str) -> tuple[str, ...]:
    chosen = tuple(v for v in values if v)
    wrong = [v for v in chosen if v not in allowed]
    if wrong:
        raise DomainError("invalid_value", field=field, value=wrong[0], allowed=list(allowed))
    return chosen


def task_filter(request: Request, conn: Connection, today: date, viewer: Viewer) -> TaskFilter:
    """The filter as the page's form (or a board link) sends it; a wrong value is refused by name.
    A person is named by staff number, name or id, as everywhere else."""
    q = request.query_params
    sort = q.get("sort", "deadline")
    if sort not in SORTS:
        raise DomainError("invalid_value", field="sort", value=sort, allowed=list(SORTS))
    done = q.get("done") or None
    if done is not None and done not in DONE:
        raise DomainError("invalid_value", field="done", value=done, allowed=list(DONE))
    per_page = q.get("per_page", "50")
    if per_page not in {str(n) for n in PAGE_SIZES}:
        raise DomainError("invalid_value", field="per_page", value=per_page, allowed=[str(n) for n in PAGE_SIZES])
    among = None
    if q.get("board"):
        among = tuple(r["org_id"] for r in board_rows(conn, today, q.get("kind", ""), q.get("name", ""), q.get("behind", "")))
    work = (tuple(org.hex for org in viewer.branch_org_ids), viewer.hex) if q.get("mine") else None
    return TaskFilter(
        among=among, work_of=work,
        org_id=parse_id(q["org"], "organisation").hex if q.get("org") else None,
        below=q.get("scope", "tree") != "self",
        person_id=lookup.resolve_person(conn, q["person"]) if q.get("person", "").strip() else None,
        meeting_id=parse_id(q["meeting"], "meeting").hex if q.get("meeting") else None,
        list_item_id=parse_id(q["item"], "responsibility_item").hex if q.get("item") else None,
        statuses=_choice(q.getlist("status"), STATUSES, "status"),
        levels=_choice(q.getlist("level"), LEVELS, "level"),
        done=done,
        deadline_from=parse_day(q["from"], "from") if q.get("from") else None,
        deadline_to=parse_day(q["to"], "to") if q.get("to") else None,
        sort=sort, descending=q.get("order") == "desc", page=parse_page(q.get("page", "1")), per_page=int(per_page),
    )


def _labelled(rows: list[dict[str, Any]], words: Words) -> list[dict[str, Any]]:
    for row in rows:
        row["status_label"] = words.term(row["status"])
        row["level_label"] = words.label(row["level"])
    return rows


def _query_with(request: Request, **changes: str | int) -> str:
    """This list's address with some parameters changed (sorting, another page)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    params += [(k, str(v)) for k, v in changes.items()]
    return "?" + urlencode(params)


@router.get("/tasks")
def task_list_page(
    request: Request,
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    wanted = task_filter(request, conn, today, viewer)
    found: TaskPage = find_tasks(conn, wanted, seeing_of(conn, viewer), today)
    words = Words(locale_of(request))
    orgs = conn.execute(select(organisations.c.org_id, organisations.c.name).order_by(organisations.c.name)).mappings().all()
    meeting_rows = conn.execute(select(meetings.c.meeting_id, meetings.c.title).order_by(meetings.c.planned_on.desc())).mappings().all()
    query = request.url.query
    return render(
        request, "task_list.html", found=found, rows=_labelled(found.rows, words), wanted=wanted, orgs=orgs,
        meetings=meeting_rows, statuses=STATUSES, levels=LEVELS, page_sizes=PAGE_SIZES,
        sorts=SORTS, link=lambda **changes: _query_with(request, **changes), today=today,
        export_xlsx=f"/tasks.xlsx?{query}", export_csv=f"/tasks.csv?{query}",
    )


@router.get("/tasks.{fmt}")
def task_list_export(
    request: Request,
    fmt: str,
    viewer: Viewer = Depends(current_viewer),
    conn: Connection = Depends(fresh_views),
    today: date = Depends(business_today),
) -> Response:
    """Every row the filters select, in the page's order (a 台账 holds them all, not one page)."""
    if fmt not in MEDIA:
        raise DomainError("invalid_value", field="format", value=fmt, allowed=list(MEDIA))
    words = Words(locale_of(request))
    found = find_tasks(conn, task_filter(request, conn, today, viewer), seeing_of(conn, viewer), today, every=True)
    handle = tempfile.NamedTemporaryFile(suffix=f".{fmt}", delete=False)
    handle.close()
    path = Path(handle.name)
    write(path, [Sheet("任务清单", "Task list", LIST_COLUMNS, _labelled(found.rows, words))], fmt, words.locale,
          words(f"任务清单（{today}）", f"Task list ({today})"))
    return FileResponse(
        path, filename=words(f"任务清单-{today}.{fmt}", f"tasks-{today}.{fmt}"), media_type=MEDIA[fmt],
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


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
