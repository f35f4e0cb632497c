"""Logging in and out, and choosing the language."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Form
from starlette.requests import Request
from starlette.responses import Response

from domain.errors import DomainError
from dutyloop.web import csrf
from dutyloop.web.accounts import Account
from dutyloop.web.deps import accounts_of, sessions_of, system_of
from dutyloop.web.i18n import COOKIE, LOCALES
from dutyloop.web.pages import redirect, render, safe_next

router = APIRouter(include_in_schema=False)

LOCALE_DAYS = 365
LOCAL_OFF = ("本系统使用公司账号登录，请用上方的公司账号登录。", "This site signs in with the company account; please use it above.")


def login_form(request: Request, next: str, status_code: int = 200, **context: Any) -> Response:
    """The sign-in page with only the ways this installation is configured for."""
    context = {"staff_no": "", "username": "", "failed": False, "refusal": None} | context
    return render(request, "login.html", status_code=status_code, next=safe_next(next),
                  sign_in=system_of(request).settings.sign_in, **context)


def begin_session(request: Request, account: Account, next_page: str) -> Response:
    """A fresh session for the account's person (a new cookie and CSRF token: nothing from
    before the sign-in carries over), then the page first asked for."""
    request.session.clear()
    session_id = sessions_of(request).start(account.person_id)
    request.session.update(person_id=account.person_id, revision=account.revision, session=session_id)
    csrf.renew(request)
    return redirect(safe_next(next_page))


def begin_company_session(request: Request, person_id: UUID, next_page: str) -> Response:
    """The same session for a person the directory or identity platform vouched for."""
    account = accounts_of(request).for_company_sign_in(person_id.hex, system_of(request).app.person(person_id).staff_no)
    return begin_session(request, account, next_page)


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return login_form(request, next)


@router.post("/login")
def login(request: Request, staff_no: str = Form(""), password: str = Form(""), next: str = Form("/")) -> Response:
    if not system_of(request).settings.sign_in.local_passwords:
        return login_form(request, next, 403, refusal=LOCAL_OFF)
    account = accounts_of(request).authenticate(staff_no, password) if staff_no.strip() and password else None
    if account is not None:
        try:
            system_of(request).app.person(UUID(account.person_id))
        except DomainError:
            account = None
    if account is None:
        return login_form(request, next, 401, staff_no=staff_no, failed=True)
    return begin_session(request, account, next)


@router.post("/logout")
def logout(request: Request) -> Response:
    """Ends the session on the server: the cookie, wherever a copy of it is, logs nobody in."""
    session_id = request.session.get("session")
    if isinstance(session_id, str):
        sessions_of(request).end(session_id)
    request.session.clear()
    csrf.renew(request)
    return redirect("/login")


@router.post("/locale")
def choose_locale(request: Request, locale: str = Form(...), next: str = Form("/")) -> Response:
    response = redirect(safe_next(next))
    if locale in LOCALES:
        response.set_cookie(COOKIE, locale, max_age=LOCALE_DAYS * 86400, samesite="lax", httponly=True)
    return response
