"""Signing in through the company's identity platform (OpenID Connect): away to the platform's
sign-in page, and back to the page first asked for."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from dutyloop.web.company_person import SignInRefusal, known_person
from dutyloop.web.deps import system_of
from dutyloop.web.oidc_signin import IdentityPlatform, Pending
from dutyloop.web.pages import safe_next
from dutyloop.web.routes.auth import begin_company_session, login_form

router = APIRouter(include_in_schema=False)

PENDING = "oidc"
NOT_CONFIGURED = ("本系统未配置公司身份平台登录。", "This site is not set up to sign in with the company identity platform.")


def _callback_url(request: Request, configured: str) -> str:
    return configured or str(request.url_for("oidc_callback"))


@router.get("/login/oidc")
def oidc_start(request: Request, next: str = "/") -> Response:
    settings = system_of(request).settings.sign_in.oidc
    if settings is None:
        return login_form(request, next, 404, refusal=NOT_CONFIGURED)
    try:
        url, pending = IdentityPlatform(settings).start(_callback_url(request, settings.redirect_url), safe_next(next))
    except SignInRefusal as refused:
        return login_form(request, next, refused.status, refusal=refused.words)
    request.session[PENDING] = pending.to_session()
    return RedirectResponse(url, status_code=303)


@router.get("/login/oidc/callback", name="oidc_callback")
def oidc_callback(request: Request) -> Response:
    system = system_of(request)
    settings = system.settings.sign_in.oidc
    pending = Pending.from_session(request.session.pop(PENDING, None))
    next_page = pending.next if pending else "/"
    if settings is None:
        return login_form(request, next_page, 404, refusal=NOT_CONFIGURED)
    try:
        staff_no = IdentityPlatform(settings).finish(
            pending, _callback_url(request, settings.redirect_url), dict(request.query_params),
        )
        person_id = known_person(system, staff_no)
    except SignInRefusal as refused:
        return login_form(request, next_page, refused.status, refusal=refused.words)
    return begin_company_session(request, person_id, next_page)
