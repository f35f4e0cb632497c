"""What every JSON API route shares: who is calling, in which language, and refusals as JSON.

A program authenticates with a personal API token (``Authorization: Bearer dlp_…``); a browser
that is logged in may call the API with its session, and then every write must carry the
session's CSRF token in the ``X-CSRF-Token`` header (the page's ``csrf_token``), because a
cookie is sent by the browser whoever asks. When an ``Authorization`` header is present, only
the token counts, never the cookie.

Every refusal is JSON ``{"code", "message", "fields", "recorded": false}`` with the message in
the caller's language (``?lang=en`` or ``Accept-Language``), and the HTTP status the web uses
for pages: 401 no valid credentials, 403 not permitted, 404 not found, 409 changed by someone
else, 422 anything wrong with the input. The domain writes all or nothing, so a refusal has
recorded nothing.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable, Coroutine
from typing import Any
from uuid import UUID

from fastapi import Depends
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from domain.errors import DomainError, NotFound
from domain.vocabulary import Role
from dutyloop.web.api_models import MESSAGES
from dutyloop.web.csrf import SAFE_METHODS, CsrfRefused
from dutyloop.web.deps import Viewer, accounts_of, catch_up, system_of, viewer_from_session
from dutyloop.web.errors import FormRefused, status_for
from dutyloop.web.i18n import LOCALES, english, locale_of
from dutyloop.web.tokens import Purpose, Tokens
from dutyloop.wiring import System

CSRF_HEADER = "X-CSRF-Token"


class ApiError(BaseModel):
    """A refusal: nothing was recorded."""

    code: str
    message: str
    fields: list[str] = []
    recorded: bool = False


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ApiError, "description": text}
    for status, text in (
        (401, "No valid token or session"),
        (403, "Not permitted (nothing recorded)"),
        (404, "Not found"),
        (409, "Changed by someone else since the given expected_version (nothing recorded)"),
        (422, "Invalid input; `fields` names what is wrong (nothing recorded)"),
        (503, "Busy: the database could not be written in time; nothing recorded, send again after `Retry-After` seconds"),
    )
}


class Unauthenticated(Exception):
    """No token, a wrong or revoked token, or no session."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


class Refused(Exception):
    """The API refuses the input before any command runs; the message names the field."""

    def __init__(self, status: int, code: str, zh: str, en: str, fields: list[str] | None = None) -> None:
        super().__init__(en)
        self.status = status
        self.code = code
        self.zh = zh
        self.en = en
        self.fields = fields or []


# -- language --------------------------------------------------------------------------------------


def api_locale(request: Request) -> str:
    """``?lang=`` first, then the best of ``Accept-Language``, then the web's cookie."""
    chosen = request.query_params.get("lang", "")
    if chosen:
        return "en" if english(chosen) else "zh-CN"
    header = request.headers.get("accept-language", "")
    ranked: list[tuple[float, str]] = []
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            ranked.append((quality, tag.lower()))
    for _, tag in sorted(ranked, key=lambda item: -item[0]):
        if tag.startswith("en"):
            return "en"
        if tag.startswith("zh"):
            return "zh-CN"
    locale = locale_of(request)
    return locale if locale in LOCALES else "zh-CN"


def _say(request: Request, zh: str, en: str) -> str:
    return en if english(api_locale(request)) else zh


# -- refusals as JSON ------------------------------------------------------------------------------


def error_response(request: Request, status: int, code: str, message: str, fields: list[str] | None = None) -> JSONResponse:
    body = ApiError(code=code, message=message, fields=fields or [])
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
    fields: list[str] = []
    problems: list[str] = []
    for item in error.errors():
        location = [str(part) for part in item.get("loc", ())]
        field = ".".join(location[1:]) if len(location) > 1 else (location[0] if location else "body")
        fields.append(field)
        kind = str(item.get("type", ""))
        if kind == "missing":
            problems.append(_say(request, f"{field}不能为空", f"{field} is required"))
        elif kind in MESSAGES:
            zh, en = MESSAGES[kind]
            problems.append(_say(request, f"{field}：{zh}", f"{field}: {en}"))
        elif item.get("type") == "json_invalid":
            problems.append(_say(request, "请求体不是有效的 JSON", "The request body is not valid JSON"))
        else:
            problems.append(_say(request, f"{field}的值无效：{item.get('msg')}", f"Invalid {field}: {item.get('msg')}"))
    return error_response(request, 422, "invalid_input", "；".join(problems) if not english(api_locale(request)) else "; ".join(problems), fields)


class JsonRoute(APIRoute):
    """An API route whose every refusal is JSON in the caller's language (the site's own error
    handlers answer with pages, which a program cannot read)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except Unauthenticated as error:
                return error_response(request, 401, "unauthenticated", _say(request, error.zh, error.en))
            except Refused as error:
                return error_response(request, error.status, error.code, _say(request, error.zh, error.en), error.fields)
            except DomainError as error:
                return error_response(request, status_for(error), error.code, error.message(api_locale(request)),
                                      [str(error.params["field"])] if "field" in error.params else [])
            except RequestValidationError as error:
                return _validation(request, error)
            except FormRefused as error:
                return error_response(request, 422, "invalid_input", _say(request, error.zh, error.en))
            except HTTPException as error:
                if error.status_code != 400:
                    raise
                # FastAPI's own answer to a body it cannot decode (not UTF-8, not JSON).
                return error_response(request, 422, "invalid_input", _say(
                    request, "请求体不是有效的 JSON（应为 UTF-8 编码的 JSON）", "The request body is not valid JSON (UTF-8 encoded JSON expected)",
                ), ["body"])
            except CsrfRefused:
                return error_response(request, 403, "csrf", _say(
                    request,
                    "API 写操作须以 JSON 发送（Content-Type: application/json）；使用浏览器会话时还须带 X-CSRF-Token 请求头",
                    "API writes are JSON (Content-Type: application/json); with a browser session they also carry the X-CSRF-Token header",
                ))

        return run


# -- who is calling --------------------------------------------------------------------------------

_tables_lock = threading.Lock()


def tokens_of(request: Request) -> Tokens:
    """The token store of this app (its table made on first use, once)."""
    state = request.app.state
    with _tables_lock:
        if getattr(state, "tokens", None) is None:
            store = Tokens(system_of(request).engine)
            store.create_tables()
            state.tokens = store
    return state.tokens  # type: ignore[no-any-return]


def viewer_for(system: System, person_id: UUID) -> Viewer:
    """The person a token belongs to, with their roles as the domain knows them now."""
    authority = system.app.authority(person_id)
    person = authority.person
    return Viewer(
        person_id=person.id, name=person.name, staff_no=person.staff_no, org_id=person.org_id,
        roles=tuple((Role(a.role), a.org_id) for a in person.assignments), authority=authority,
    )


bearer = HTTPBearer(auto_error=False, scheme_name="token", description="A personal API token: dutyloop account token create STAFF_NO")


def api_viewer(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Viewer:
    """The caller: by API token if an Authorization header is sent, else by the browser session
    (whose writes must carry the CSRF header)."""
    if request.headers.get("authorization") is not None:
        viewer = _token_viewer(request, credentials)
    else:
        viewer = _session_viewer(request)
    request.state.viewer = viewer
    return viewer


def _token_viewer(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Viewer:
    if credentials is None or not credentials.credentials.strip():
        raise Unauthenticated("Authorization 请求头应为“Bearer 令牌”", "The Authorization header must be “Bearer TOKEN”")
    person_hex = tokens_of(request).person_of(credentials.credentials.strip(), Purpose.API)
    if person_hex is None or accounts_of(request).current(person_hex) is None:
        raise Unauthenticated("API 令牌无效或已撤销", "The API token is not valid or has been revoked")
    try:
        return viewer_for(system_of(request), UUID(person_hex))
    except DomainError:
        raise Unauthenticated("令牌所属人员已不存在", "The token's person no longer exists") from None


def _session_viewer(request: Request) -> Viewer:
    viewer = viewer_from_session(request)
    if viewer is None:
        raise Unauthenticated(
            "请先登录，或用“Authorization: Bearer 令牌”调用 API", "Log in, or call the API with “Authorization: Bearer TOKEN”"
        )
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        expected = str(request.session.get("csrf", ""))
        if not expected or not hmac.compare_digest(sent, expected):
            raise CsrfRefused()
    return viewer


Caller = Depends(api_viewer)


# -- running a command -----------------------------------------------------------------------------


def run_command(request: Request, body: BaseModel | None, target: UUID | None, command: Callable[[], Any]) -> Any:
    """Run one domain command and bring the views up to date, so the caller's next read sees it.

    An id in the path that does not exist is 404; an id in the body that does not exist is bad
    input (422) naming the field that holds it."""
    try:
        result = command()
    except NotFound as error:
        key = str(error.params.get("key", ""))
        if target is not None and _same_id(key, target):
            raise
        field = _field_holding(body.model_dump(mode="json") if body is not None else {}, key)
        if field is None:
            raise
        raise Refused(422, "not_found", f"{error.message('zh-CN')}（字段 {field}）", f"{error.message('en')} (field {field})", [field]) from None
    catch_up(request)
    return result


def _same_id(key: str, value: UUID) -> bool:
    try:
        return UUID(key) == value
    except ValueError:
        return False


def _field_holding(data: Any, key: str, path: str = "") -> str | None:
    if isinstance(data, dict):
        for name, value in data.items():
            found = _field_holding(value, key, f"{path}.{name}" if path else name)
            if found:
                return found
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found = _field_holding(value, key, f"{path}.{index}")
            if found:
                return found
    elif isinstance(data, str):
        try:
            if UUID(data) == UUID(key):
                return path
        except ValueError:
            return None
    return None
