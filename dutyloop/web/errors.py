"""Every refusal is a clear page in the reader's language; nothing was recorded.

Domain refusals carry their own zh-CN/en message; form fields that are missing or malformed are
named; a form from another site or an older session is refused before any route runs.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from domain.errors import ConcurrentEdit, DomainError, NotFound, NotPermitted
from dutyloop.reports.printing import PrintBusy
from dutyloop.web.csrf import CsrfRefused
from dutyloop.web.deps import LoginRequired
from dutyloop.web.forms import field_label
from dutyloop.web.i18n import Words, locale_of
from dutyloop.web.pages import login_path, login_path_for, render


RETRY_AFTER_SECONDS = 10


class FormRefused(Exception):
    """A form the web itself refuses before any command runs (an upload too large or of a type
    we do not keep, a date that is not a date); the message names what is wrong."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


def status_for(error: DomainError) -> int:
    if isinstance(error, NotPermitted):
        return 403
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, ConcurrentEdit):
        return 409
    return 422


def refusal(request: Request, message: str, status_code: int, code: str, field: str | None = None) -> Response:
    """``field`` names the form field at fault, so that a form sent in the background shows the
    message beside that field."""
    back = request.headers.get("referer", "")
    same_site = back.startswith(str(request.base_url))
    return render(
        request, "refused.html", status_code=status_code, message=message, code=code,
        back=back if same_site else "/", method=request.method, field=field,
    )


async def page_for_http_error(request: Request, error: HTTPException) -> Response:
    """An address that is not a page (404) or a page that takes no such method (405) gets the
    refusal page; the JSON API keeps its own answers."""
    if request.url.path.startswith("/api") or error.status_code not in (404, 405):
        return await http_exception_handler(request, error)
    words = Words(locale_of(request))
    message = words("没有这个页面。", "There is no such page.") if error.status_code == 404 else words(
        "此页面不接受这种请求。", "This page does not accept that request."
    )
    return refusal(request, message, error.status_code, "not_found" if error.status_code == 404 else "method")


def install(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _: LoginRequired) -> Response:
        if request.method != "GET":
            # After logging in the browser comes back with a GET: to the page the form was on.
            back = request.headers.get("referer", "")
            base = str(request.base_url)
            path = "/" + back[len(base):] if back.startswith(base) else "/"
            return RedirectResponse(login_path_for(path), status_code=303)
        return RedirectResponse(login_path(request), status_code=303)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, error: DomainError) -> Response:
        field = error.params.get("field")
        return refusal(request, error.message(locale_of(request)), status_for(error), error.code,
                       field if isinstance(field, str) else None)

    @app.exception_handler(FormRefused)
    async def _form(request: Request, error: FormRefused) -> Response:
        return refusal(request, Words(locale_of(request))(error.zh, error.en), 422, "invalid_form")

    @app.exception_handler(PrintBusy)
    async def _busy(request: Request, _: PrintBusy) -> Response:
        words = Words(locale_of(request))
        page = refusal(request, words("正在生成其他 PDF，请稍后再试。", "Other PDFs are being printed; try again shortly."), 503, "busy")
        page.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return page

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, _: CsrfRefused) -> Response:
        words = Words(locale_of(request))
        message = words(
            "表单已过期或来源不明（安全校验未通过），请刷新页面后重新提交。",
            "This form has expired or did not come from this site (security check failed); reload the page and submit again.",
        )
        return refusal(request, message, 403, "csrf")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        words = Words(locale_of(request))
        problems = []
        fields = [str(item["loc"][1]) for item in error.errors() if len(item.get("loc", ())) > 1]
        for item in error.errors():
            field = field_label(".".join(str(part) for part in item.get("loc", ())[1:]) or "?", words.english)
            if item.get("type") == "missing":
                problems.append(words(f"{field}不能为空", f"{field} is required"))
            else:
                problems.append(words(f"{field}的值无效：{item.get('input')}", f"Invalid {field}: {item.get('input')}"))
        return refusal(request, "；".join(problems) if not words.english else "; ".join(problems), 422, "invalid_form",
                       fields[0] if fields else None)
