"""Refusals that arise outside a route's own handling, answered in the API's JSON error shape
under ``/api`` and as a page in the reader's language elsewhere.

- The database cannot give a lock in time: 503 with ``Retry-After``. Nothing was recorded (a
  command's events are written all or nothing), so sending the same request again is safe.
- An address that does not take the method (405): ``Allow`` lists every method the address
  takes, across all the routers that serve it (Starlette's own lists only the first router's)."""

from __future__ import annotations

from eventsourcing.persistence import PersistenceError
from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match

from dutyloop.web.api_support import api_locale, error_response
from dutyloop.web.errors import page_for_http_error, refusal
from dutyloop.web.i18n import Words, english, locale_of
from projections.transactions import RETRY_AFTER_SECONDS, is_busy

BUSY_ZH = "系统正忙（数据库暂时无法写入），本次操作未记录，请稍后重试。"
BUSY_EN = "The system is busy (the database could not be written in time); nothing was recorded, please try again shortly."


def install(app: FastAPI) -> None:
    async def _busy(request: Request, error: Exception) -> Response:
        if not is_busy(error):
            raise error
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if request.url.path.startswith("/api"):
            message = BUSY_EN if english(api_locale(request)) else BUSY_ZH
            response = error_response(request, 503, "busy", message)
        else:
            response = refusal(request, Words(locale_of(request))(BUSY_ZH, BUSY_EN), 503, "busy")
        response.headers.update(headers)
        return response

    async def _http(request: Request, error: HTTPException) -> Response:
        if error.status_code == 405:
            allowed = _methods_at(app, request)
            if request.url.path.startswith("/api"):
                message = "This address does not accept that method" if english(api_locale(request)) else "此地址不接受该请求方法"
                response = error_response(request, 405, "method_not_allowed", message)
            else:
                response = await page_for_http_error(request, error)
            response.headers["Allow"] = ", ".join(allowed)
            return response
        return await page_for_http_error(request, error)

    app.add_exception_handler(DBAPIError, _busy)
    app.add_exception_handler(PersistenceError, _busy)
    app.add_exception_handler(HTTPException, _http)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _methods_at(app: FastAPI, request: Request) -> list[str]:
    """The methods some route answers at this address, asked of the routes themselves."""
    return [
        method for method in METHODS
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in app.router.routes)
    ]
