"""保存筛选 A person saves the filter of the list they are looking at under a name, and deletes one
they no longer use; each is an event in their own stream."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form
from starlette.requests import Request
from starlette.responses import Response

from domain.errors import DomainError
from dutyloop.web.deps import Viewer, catch_up, current_viewer, system_of
from dutyloop.web.pages import notice, redirect
from dutyloop.web.saved_filters import PATHS, kept_query

router = APIRouter(include_in_schema=False)


def _path(list_name: str) -> str:
    if list_name not in PATHS:
        raise DomainError("invalid_value", field="list", value=list_name, allowed=list(PATHS))
    return PATHS[list_name]


@router.post("/saved-filters")
def save(
    request: Request,
    list_name: str = Form(...),
    filter_name: str = Form(""),
    query: str = Form(""),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    path = _path(list_name)
    kept = kept_query(query)
    system_of(request).app.save_filter(viewer.actor, list_name, filter_name, kept)
    catch_up(request)
    notice(request, f"已保存筛选“{filter_name.strip()}”", f"Filter “{filter_name.strip()}” saved")
    return redirect(f"{path}?{kept}")


@router.post("/saved-filters/delete")
def delete(
    request: Request,
    list_name: str = Form(...),
    filter_name: str = Form(...),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    path = _path(list_name)
    system_of(request).app.delete_filter(viewer.actor, list_name, filter_name)
    catch_up(request)
    notice(request, f"已删除筛选“{filter_name}”", f"Filter “{filter_name}” deleted")
    return redirect(path)
