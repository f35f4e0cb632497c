"""The answer when the database cannot give a lock in time: 503 with ``Retry-After``, as the
API's JSON refusal or a page in the reader's language. Nothing was recorded (a command's events
are written all or nothing), so sending the same request again is safe."""

from __future__ import annotations

from eventsourcing.persistence import PersistenceError
from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError
from starlette.requests import Request
from starlette.responses import Response

from dutyloop.web.api_support import api_locale, error_response
from dutyloop.web.errors import refusal
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

    app.add_exception_handler(DBAPIError, _busy)
    app.add_exception_handler(PersistenceError, _busy)
